"""Text keys that mean the same thing on SQLite and on MariaDB/MySQL.

Open edX runs on MySQL/MariaDB with case- and accent-insensitive collations (``utf8mb4_general_ci``,
``utf8mb4_unicode_ci``, ``uca1400_ai_ci``): there ``'A' = 'a'``, ``'é' = 'e'``, ``'ß' = 'ss'``,
``'abc ' = 'abc'`` (PAD SPACE) and control or format characters are ignored (``'bob\\0' = 'bob'``,
``'a\\u200bb' = 'ab'``). SQLite compares bytes. A unique key or a lookup by a text key therefore
behaves differently on the two: what is two rows on SQLite is an ``IntegrityError`` (a 500) or a
silent match with somebody else's row on MariaDB.

openedx-learning solves this in the schema with per-database collations
(``openedx_learning/lib/fields.py``: ``case_sensitive_char_field``, ``utf8mb4_bin`` on MySQL); even
``utf8mb4_bin`` is PAD SPACE on MariaDB, and an existing platform table cannot be re-collated
safely, so this package keeps its keys collation-proof *in code* instead:

- keys the platform or this package makes (anonymous ids, invitation codes, framework ids) are
  normalised into an alphabet every collation compares byte for byte (:func:`learner_key`);
- keys people type (usernames in a trainer's CSV, custom item codes in Studio) are refused when
  they hold control characters (:func:`has_control`) or when two of them would be equal to the
  database (:func:`fold`), and rows found by them are checked for an exact match in Python.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

# Lowercase ASCII letters, digits and these marks: checked to compare one to one under
# utf8mb4_general_ci, utf8mb4_unicode_ci, utf8mb4_unicode_520_ci and utf8mb4_uca1400_ai_ci.
SAFE_KEY = re.compile(r"[a-z0-9][a-z0-9_.@+-]*")
KEY_LENGTH = 128  # the models' ANONYMOUS_ID_LENGTH / LEARNER_LENGTH
# Reviewer keys of the pair-review block that are not learners ("self", "pair:<id>"): a learner's
# key never equals them (":" is outside the safe alphabet).
RESERVED_KEYS = frozenset({"self"})
HASHED_PREFIX = "~"  # outside the safe alphabet: a hashed key never equals a safe one
_HASHED_KEY = re.compile(r"~[0-9a-f]{40}")

# Unicode categories MySQL's collations ignore or that have no business in a key: control (NUL,
# tab, line breaks...), format (zero-width space, byte order mark...), surrogates, private use.
_CONTROL_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co"})
_MARK_CATEGORIES = frozenset({"Mn", "Mc", "Me"})


def learner_key(anonymous_id: str) -> str:
    """The stored form of an anonymous user id: the id itself when it is collation-proof.

    The LMS's anonymous ids are 32 lowercase hexadecimal digits (an md5 digest, see edx-platform
    ``common/djangoapps/student/models/user.py``: ``anonymous_id_for_user``), so in the LMS this
    is the identity and stored rows keep their keys. Any other id (the workbench's ``?student=``
    ids such as ``Alice`` beside ``alice``) becomes ``~`` and a digest of the exact id, so two
    different ids never share a row on any database.
    """
    anonymous_id = str(anonymous_id)
    if len(anonymous_id) <= KEY_LENGTH and SAFE_KEY.fullmatch(anonymous_id) and anonymous_id not in RESERVED_KEYS:
        return anonymous_id
    digest = hashlib.blake2b(anonymous_id.encode("utf-8", "surrogatepass"), digest_size=20).hexdigest()
    return HASHED_PREFIX + digest


def is_learner_key(value) -> bool:
    """True if ``value`` is a key :func:`learner_key` can produce (so a stored row may have it)."""
    if not isinstance(value, str):
        return False
    return learner_key(value) == value or _HASHED_KEY.fullmatch(value) is not None


def has_control(text: str) -> bool:
    """True if ``text`` holds a control, format (invisible), surrogate or private-use character."""
    return any(unicodedata.category(ch) in _CONTROL_CATEGORIES for ch in text)


def fold(text: str) -> str:
    """What a case- and accent-insensitive MySQL collation compares: two texts with the same fold
    may be one row to MariaDB. Compatibility forms decomposed (``ﬁ`` -> ``fi``, ``Ａ`` -> ``A``),
    accents and ignorable characters dropped, case folded (``ß`` -> ``ss``), trailing spaces
    dropped (PAD SPACE). It may identify more than a given collation does, never less of what
    the collations above identify for the keys it is used on."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    kept = "".join(ch for ch in decomposed if unicodedata.category(ch) not in _MARK_CATEGORIES | _CONTROL_CATEGORIES)
    return unicodedata.normalize("NFKC", kept.casefold()).rstrip(" ")
