"""Translation for XBlock code: always through the runtime's i18n service.

In the LMS the service reads ``text.mo`` from ``devisus_xblocks/translations/<lang>/LC_MESSAGES/``
(Redwood on) or from the block module's own ``devisus_xblocks/<block>/translations/`` (earlier
releases): the same catalog is shipped in both places, for French and (identity) English. In the
xblock-sdk workbench it proxies Django's translation (``django.mo`` from ``LOCALE_PATHS``). All
catalogs are compiled from ``locale_src/`` by ``scripts/translations.py``
(``tests/test_xblock_translations.py`` runs the LMS's lookups).
"""

from __future__ import annotations

import gettext as _gettext_module
from collections.abc import Callable

from xblock.exceptions import NoSuchServiceError

from devisus_course.i18n import noop as _package_noop

_NULL = _gettext_module.NullTranslations()


def _i18n_service(block):
    if not _wants_i18n(block):
        return None
    try:
        return block.runtime.service(block, "i18n")
    except NoSuchServiceError:  # a bare parsing runtime (the course validator) has none
        return None


def gettext_for(block) -> Callable[[str], str]:
    """The request's ``gettext``, or the identity when a runtime offers no i18n service."""
    return getattr(_i18n_service(block), "gettext", None) or _NULL.gettext


def ngettext_for(block) -> Callable[[str, str, int], str]:
    return getattr(_i18n_service(block), "ngettext", None) or _NULL.ngettext


def _wants_i18n(block) -> bool:
    # Blocks declare @XBlock.needs("i18n"); asking for an undeclared service raises.
    return block.service_declaration("i18n") is not None


# Marks a string for extraction where it is translated later (e.g. service error messages).
noop = _package_noop


def display_title(block, default_msgid: str) -> str:
    """The block's title: the author's ``display_name``, or the default translated for the request.

    The default is stored untranslated in the field (a msgid), so every learner sees it in their
    own language until an author sets a title of their own.
    """
    if block.display_name and block.display_name != default_msgid:
        return block.display_name
    return gettext_for(block)(default_msgid)
