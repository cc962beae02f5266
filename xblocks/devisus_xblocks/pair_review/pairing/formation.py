"""Forming pairs: profiles, automatic matching, invitation codes, trainer CSV, leftovers, moves.

A learner is in at most one pair per pairing. The database enforces it (``Membership`` is
unique on (activity, anonymous_id)); the services turn a violation into a 409 ``ServiceError``.
Pairs live in the activity's pairing (``Activity.scope``: the course's pairing its block names,
or the activity itself), so every service here works on ``activity.scope``; a block sharing a
pairing finds the pairs formed in any other block of it.
Automatic pairing and every trainer change of pairs take a per-activity lock (an ``UPDATE`` of
the activity row, which also makes SQLite start a write transaction at once), so concurrent
arrivals are matched first come, first matched, and nobody is matched twice.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import F

from ...common.errors import ServiceError
from ...common.i18n import noop
from ...common.identity import Caller
from ...common.keys import fold, is_learner_key, learner_key
from ..activity import PROFILES, UNREAD, ActivitySettings, require_caller, require_staff, resolve_now
from ..db import atomic, for_update
from ..models import Activity, Membership, Pair, Participant, Profile
from .pairs_csv import MAX_GROUP_SIZE, parse_pairs_csv  # the CSV reading lives in pairs_csv.py

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L
CODE_LENGTH = 8
MAX_CODE_LENGTH = 16  # Pair.invite_code
CODE_SEPARATORS = frozenset(" \t-_.")  # what people type between groups of a code; ignored


@dataclass(frozen=True)
class Partner:
    username: str
    profile: str
    last_active_at: datetime | None = field(default=None, compare=False)  # see inactivity.py


@dataclass(frozen=True)
class PairingState:
    """Where a learner stands in pairing.

    ``status``: ``no_profile`` (must declare a profile first), ``unpaired`` (no pair, not
    waiting), ``waiting`` (in the automatic queue, or alone in an invitation pair: ``pair_id``
    set), ``paired`` (pair complete). ``invite_code`` is shown to members of an invitation pair
    that still has room. ``partners`` are the other members (usernames are shown to partners,
    who work together; reviewers stay anonymous).
    """

    status: str
    profile: str
    pair_id: int | None = None
    member_count: int = 0
    capacity: int = 0
    submitted: bool = False
    invite_code: str | None = None
    partners: tuple[Partner, ...] = ()
    waiting_since: datetime | None = None  # in the automatic queue since


@dataclass(frozen=True)
class LeftoverResult:
    new_pairs: tuple[int, ...] = ()
    extended_pairs: tuple[int, ...] = ()  # pairs that became trios or got their missing partner
    still_waiting: tuple[str, ...] = ()  # anonymous ids


@dataclass
class _Unit:
    participant: Participant
    lonely_pair: Pair | None = None  # an unsubmitted pair where this learner is alone
    since: datetime | None = None


# --- helpers -------------------------------------------------------------------------------


def lock_pairing(activity: Activity) -> None:
    """Serialise changes of the pairing's pairs: an UPDATE of its row (a write lock on every database)."""
    Activity.objects.filter(id=activity.id).update(pairing_seq=F("pairing_seq") + 1)


def _participant(activity: Activity, caller: Caller) -> Participant:
    participant = Participant.objects.filter(activity=activity, anonymous_id=caller.anonymous_id).first()
    if participant is None:
        try:
            with transaction.atomic():
                return Participant.objects.create(
                    activity=activity, anonymous_id=caller.anonymous_id, username=caller.username or ""
                )
        except IntegrityError:
            participant = Participant.objects.get(activity=activity, anonymous_id=caller.anonymous_id)
    if caller.username and participant.username != caller.username:
        Participant.objects.filter(id=participant.id).update(username=caller.username)
        participant.username = caller.username
    return participant


def _add_members(activity: Activity, pair: Pair, participants: Iterable[Participant], now: datetime) -> None:
    participants = list(participants)
    try:
        with transaction.atomic():
            Membership.objects.bulk_create(
                [
                    Membership(
                        activity=activity,
                        pair=pair,
                        participant=p,
                        anonymous_id=p.anonymous_id,
                        joined_at=now,
                        last_active_at=now,
                    )
                    for p in participants
                ]
            )
    except IntegrityError:
        raise ServiceError(noop("You are already in a pair for this activity."), status=409) from None
    waiting = [p.id for p in participants if p.waiting_since is not None]
    if waiting:
        Participant.objects.filter(id__in=waiting).update(waiting_since=None)
    for p in participants:
        p.waiting_since = None


def _new_pair(
    activity: Activity,
    participants: list[Participant],
    origin: str,
    now: datetime,
    invite_code: str | None = None,
    capacity: int | None = None,
) -> Pair:
    pair = Pair.objects.create(
        activity=activity,
        origin=origin,
        invite_code=invite_code,
        created_at=now,
        capacity=capacity or max(2, len(participants)),
        member_count=len(participants),
    )
    _add_members(activity, pair, participants, now)
    return pair


def _complement(profile: str) -> str:
    return Profile.PRACTITIONER if profile == Profile.THEORETICIAN else Profile.THEORETICIAN


def _state_for(
    activity: Activity, anonymous_id: str, participant: Participant | None, membership=UNREAD
) -> PairingState:
    profile = participant.profile if participant else ""
    if membership is UNREAD:
        membership = (
            Membership.objects.select_related("pair").filter(activity=activity, anonymous_id=anonymous_id).first()
        )
    if membership is None:
        if not profile:
            return PairingState(status="no_profile", profile="")
        waiting = participant is not None and participant.waiting_since is not None
        return PairingState(
            status="waiting" if waiting else "unpaired",
            profile=profile,
            waiting_since=participant.waiting_since if waiting else None,
        )
    pair = membership.pair
    partners = tuple(
        Partner(
            username=m.participant.username,
            profile=m.participant.profile,
            last_active_at=m.last_active_at or m.joined_at,
        )
        for m in getattr(membership, "pair_members", None)
        or Membership.objects.select_related("participant").filter(pair=pair).order_by("joined_at", "id")
        if m.anonymous_id != anonymous_id
    )
    complete = pair.member_count >= 2
    return PairingState(
        status="paired" if complete else "waiting",
        profile=profile,
        pair_id=pair.id,
        member_count=pair.member_count,
        capacity=pair.capacity,
        submitted=pair.submitted_at is not None,
        invite_code=pair.invite_code
        if pair.invite_code and pair.member_count < pair.capacity and not pair.submitted_at
        else None,
        partners=partners,
    )


def _require_mode(settings: ActivitySettings, mode: str) -> None:
    if settings.pairing_mode != mode:
        raise ServiceError(noop("This activity does not use this way of forming pairs."), status=409)


def normalise_code(code: str) -> str:
    """The stored form of a typed invitation code: ASCII letters upper-cased, separators dropped.

    Codes are ASCII (``CODE_ALPHABET``) and so is their normal form: a letter MySQL's collations
    would take for another (``É`` for ``E``, a full-width ``Ａ`` for ``A``, a NUL ignored) is
    refused here (400), so a code finds the same pair, or none, on SQLite and MariaDB.
    """
    kept = []
    for ch in str(code or ""):
        if ch in CODE_SEPARATORS:
            continue
        if not (ch.isascii() and ch.isalnum()):
            raise ServiceError(noop("An invitation code has only the letters A to Z and digits."))
        kept.append(ch.upper())
    return "".join(kept)


# --- learner services ------------------------------------------------------------------------


def pairing_state(activity: Activity, caller: Caller, membership=UNREAD) -> PairingState:
    """The caller's pairing status (3 queries at most; 1 with the caller's ``membership`` already
    read with its pair and participant, see ``own_membership``)."""
    activity = activity.scope  # the pairing's pairs (see the module's docstring)
    require_caller(caller)
    if membership is UNREAD or membership is None:
        participant = Participant.objects.filter(activity=activity, anonymous_id=caller.anonymous_id).first()
    else:
        participant = membership.participant
    return _state_for(activity, caller.anonymous_id, participant, membership)


def own_membership(activity: Activity, caller: Caller) -> Membership | None:
    """The caller's place in a pair of the pairing, with its pair and participant, and every
    member of that pair (``pair_members``), in one query: the one read a view of the learner makes
    of it, handed to the functions that take ``membership=``."""
    # a join on the caller's own membership (one per pairing: a unique constraint), not a
    # subquery with LIMIT, which MariaDB does not support inside IN
    members = list(
        Membership.objects.select_related("pair", "participant")
        .filter(activity=activity.scope, pair__memberships__anonymous_id=caller.anonymous_id)
        .order_by("joined_at", "id")
    )
    own = next((m for m in members if m.anonymous_id == caller.anonymous_id), None)
    if own is not None:
        own.pair_members = members
    return own


def declare_profile(activity: Activity, settings: ActivitySettings, caller: Caller, profile: str) -> PairingState:
    """Record the caller's profile ("theoretician" or "practitioner"). Changeable until paired.

    In automatic mode, call :func:`join_automatic` next (the block can do both in one handler).
    Errors: 400 unknown profile; 409 already in a pair with another profile.
    """
    activity = activity.scope  # the pairing's pairs (see the module's docstring)
    require_caller(caller)
    if profile not in PROFILES:
        raise ServiceError(noop("Please choose theoretician or practitioner."))

    def body():
        participant = _participant(activity, caller)
        if participant.profile != profile:
            if Membership.objects.filter(activity=activity, anonymous_id=caller.anonymous_id).exists():
                raise ServiceError(noop("You cannot change your profile once you are in a pair."), status=409)
            Participant.objects.filter(id=participant.id).update(profile=profile)
            participant.profile = profile
        return _state_for(activity, caller.anonymous_id, participant)

    return atomic(body)


def join_automatic(
    activity: Activity, settings: ActivitySettings, caller: Caller, now: datetime | None = None
) -> PairingState:
    """Match the caller with the longest-waiting learner of the complementary profile, or queue them.

    Idempotent: a learner already in a pair gets their state back; a waiting learner keeps their
    place in the queue. Errors: 409 not automatic mode, or no profile declared yet.
    """
    activity = activity.scope  # the pairing's pairs (see the module's docstring)
    require_caller(caller)
    _require_mode(settings, "automatic")
    now = resolve_now(now)

    def body():
        lock_pairing(activity)
        participant = _participant(activity, caller)
        if not participant.profile:
            raise ServiceError(noop("Please choose your profile first."), status=409)
        if Membership.objects.filter(activity=activity, anonymous_id=caller.anonymous_id).exists():
            return _state_for(activity, caller.anonymous_id, participant)
        partner = (
            Participant.objects.filter(
                activity=activity,
                profile=_complement(participant.profile),
                waiting_since__isnull=False,
                memberships__isnull=True,
            )
            .exclude(id=participant.id)
            .order_by("waiting_since", "id")
            .first()
        )
        if partner is None:
            if participant.waiting_since is None:
                Participant.objects.filter(id=participant.id).update(waiting_since=now)
                participant.waiting_since = now
        else:
            _new_pair(activity, [partner, participant], Pair.Origin.AUTOMATIC, now)
        return _state_for(activity, caller.anonymous_id, participant)

    return atomic(body)


def create_invitation(
    activity: Activity, settings: ActivitySettings, caller: Caller, now: datetime | None = None
) -> PairingState:
    """Create a pair with the caller alone in it and an invitation code to share (``invite_code``).

    Idempotent for a learner already alone in an invitation pair. Errors: 409 not invitation
    mode, no profile yet, already in a pair.
    """
    activity = activity.scope  # the pairing's pairs (see the module's docstring)
    require_caller(caller)
    _require_mode(settings, "invitation")
    now = resolve_now(now)

    def body():
        participant = _participant(activity, caller)
        if not participant.profile:
            raise ServiceError(noop("Please choose your profile first."), status=409)
        if Membership.objects.filter(activity=activity, anonymous_id=caller.anonymous_id).exists():
            state = _state_for(activity, caller.anonymous_id, participant)
            if state.invite_code:
                return state
            raise ServiceError(noop("You are already in a pair for this activity."), status=409)
        for _attempt in range(5):
            code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
            try:
                with transaction.atomic():
                    _new_pair(activity, [participant], Pair.Origin.INVITATION, now, invite_code=code, capacity=2)
                break
            except IntegrityError:  # code already used in this activity: draw another
                continue
        else:
            raise ServiceError(noop("Could not create an invitation code, please try again."), status=409)
        return _state_for(activity, caller.anonymous_id, participant)

    return atomic(body)


def join_with_code(
    activity: Activity, settings: ActivitySettings, caller: Caller, code: str, now: datetime | None = None
) -> PairingState:
    """Join the pair whose invitation code is ``code`` (case and spaces ignored).

    Errors: 400 empty code; 404 no pair uses it; 409 own code, already in a pair, pair complete
    or already submitted, not invitation mode.
    """
    activity = activity.scope  # the pairing's pairs (see the module's docstring)
    require_caller(caller)
    _require_mode(settings, "invitation")
    code = normalise_code(code)
    if not code or len(code) > MAX_CODE_LENGTH:
        raise ServiceError(noop("Please enter the invitation code you were given."))
    now = resolve_now(now)

    def body():
        participant = _participant(activity, caller)
        if not participant.profile:
            raise ServiceError(noop("Please choose your profile first."), status=409)
        pair = Pair.objects.filter(activity=activity, invite_code=code).first()
        if pair is None:
            raise ServiceError(noop("No pair uses this invitation code. Check it with your partner."), status=404)
        own = Membership.objects.filter(activity=activity, anonymous_id=caller.anonymous_id).first()
        if own is not None and own.pair_id == pair.id:
            raise ServiceError(noop("This is your own invitation code: share it with your partner."), status=409)
        if own is not None:
            raise ServiceError(noop("You are already in a pair for this activity."), status=409)
        taken = Pair.objects.filter(id=pair.id, member_count__lt=F("capacity"), submitted_at__isnull=True).update(
            member_count=F("member_count") + 1
        )
        if not taken:
            raise ServiceError(noop("This pair is already complete."), status=409)
        _add_members(activity, pair, [participant], now)
        return _state_for(activity, caller.anonymous_id, participant)

    return atomic(body)


def leave_pair(activity: Activity, settings: ActivitySettings, caller: Caller) -> PairingState:
    """Leave a pair in which the caller is still alone (e.g. cancel an unused invitation).

    Errors: 409 not in a pair, partner already there, already submitted.
    """
    activity = activity.scope  # the pairing's pairs (see the module's docstring)
    require_caller(caller)

    def body():
        membership = (
            Membership.objects.select_related("pair", "participant")
            .filter(activity=activity, anonymous_id=caller.anonymous_id)
            .first()
        )
        if membership is None:
            raise ServiceError(noop("You are not in a pair yet."), status=409)
        pair = membership.pair
        if pair.submitted_at is not None:
            raise ServiceError(noop("Your pair has already submitted its work."), status=409)
        # Close the pair to newcomers first (capacity 0), so that a partner joining at this very
        # moment either got in before (then we refuse) or finds it full.
        closed = Pair.objects.filter(id=pair.id, member_count=1, submitted_at__isnull=True).update(
            member_count=0, capacity=0
        )
        if not closed:
            raise ServiceError(noop("Your partner has joined: ask course staff to change pairs."), status=409)
        Pair.objects.filter(id=pair.id).delete()
        return _state_for(activity, caller.anonymous_id, membership.participant)

    return atomic(body)


# --- trainer services ------------------------------------------------------------------------


def _move(
    activity: Activity, participant: Participant, membership: Membership | None, target: Pair | None, now: datetime
) -> None:
    """Move one learner (with the activity locked) out of their pair and into ``target`` (or none)."""
    if membership is not None:
        source = for_update(Pair.objects.filter(id=membership.pair_id)).first()
        if source is not None and source.submitted_at is not None:
            raise ServiceError(noop("This pair has already submitted its work."), status=409)
        membership.delete()
        if source is not None and source.member_count <= 1:
            source.delete()  # an empty pair has nothing worth keeping: no submission yet
        elif source is not None:
            Pair.objects.filter(id=source.id).update(member_count=F("member_count") - 1)
    if target is None:
        return
    target = for_update(Pair.objects.filter(id=target.id)).first()
    if target is None:
        raise ServiceError(noop("This pair does not exist."), status=404)
    if target.submitted_at is not None:
        raise ServiceError(noop("This pair has already submitted its work."), status=409)
    if target.member_count >= MAX_GROUP_SIZE:
        raise ServiceError(noop("A group has at most %(limit)s members."), status=409, limit=MAX_GROUP_SIZE)
    Pair.objects.filter(id=target.id).update(
        member_count=F("member_count") + 1, capacity=max(target.capacity, target.member_count + 1)
    )
    _add_members(activity, target, [participant], now)


def move_learner(
    activity: Activity,
    settings: ActivitySettings,
    staff: Caller,
    anonymous_id: str,
    to_pair_id: int | None,
    now: datetime | None = None,
) -> None:
    """Move a learner to another pair (becoming a trio if needed), or out of any pair (``None``).

    A learner taken out of pairs in automatic mode goes back to the waiting queue. A pair left
    empty is deleted. Errors: 403 not staff; 404 unknown learner or pair; 409 a pair involved
    has already submitted, or the target already has three members.
    """
    activity = activity.scope  # the pairing's pairs (see the module's docstring)
    require_staff(staff)
    now = resolve_now(now)
    # Only a stored key can name a learner: "ANON-A" or "anon-a\0" would find "anon-a" on MariaDB.
    known_key = is_learner_key(anonymous_id)

    def body():
        lock_pairing(activity)
        participant = (
            Participant.objects.filter(activity=activity, anonymous_id=anonymous_id).first() if known_key else None
        )
        if participant is None:
            raise ServiceError(noop("This learner has not taken part in the activity yet."), status=404)
        membership = (
            Membership.objects.select_related("pair").filter(activity=activity, anonymous_id=anonymous_id).first()
        )
        target = None
        if to_pair_id is not None:
            target = Pair.objects.filter(activity=activity, id=to_pair_id).first()
            if target is None:
                raise ServiceError(noop("This pair does not exist."), status=404)
            if membership is not None and membership.pair_id == target.id:
                return
        _move(activity, participant, membership, target, now)
        if target is None and settings.pairing_mode == "automatic" and participant.profile:
            Participant.objects.filter(id=participant.id).update(waiting_since=now)

    atomic(body)


def _leftover_units(activity: Activity) -> list[_Unit]:
    units = [
        _Unit(p, None, p.waiting_since)
        for p in Participant.objects.filter(activity=activity, waiting_since__isnull=False, memberships__isnull=True)
    ]
    lonely = Membership.objects.select_related("pair", "participant").filter(
        activity=activity, pair__member_count=1, pair__submitted_at__isnull=True
    )
    units += [_Unit(m.participant, m.pair, m.pair.created_at) for m in lonely]
    units.sort(key=lambda u: (u.since, u.participant.id))
    return units


def resolve_leftovers(
    activity: Activity, settings: ActivitySettings, staff: Caller, strategy: str, now: datetime | None = None
) -> LeftoverResult:
    """Find a place for every learner still waiting (automatic queue, or alone in a pair).

    ``strategy="same_profile"``: pair leftovers with each other in arrival order, whatever their
    profiles; an odd one out joins an existing pair as a trio. ``strategy="trio"``: each leftover
    joins an existing complete, unsubmitted pair, newest first, making it a trio. Learners with
    nowhere to go stay waiting (listed in ``still_waiting``). Errors: 400 unknown strategy; 403.
    """
    activity = activity.scope  # the pairing's pairs (see the module's docstring)
    require_staff(staff)
    if strategy not in ("same_profile", "trio"):
        raise ServiceError(noop("Unknown way of resolving leftovers."))
    now = resolve_now(now)

    def body():
        lock_pairing(activity)
        units = _leftover_units(activity)
        new_pairs, extended = [], []
        if strategy == "same_profile":
            while len(units) >= 2:
                first, second = units.pop(0), units.pop(0)
                host = first if first.lonely_pair else second if second.lonely_pair else None
                if host is None:
                    pair = _new_pair(activity, [first.participant, second.participant], Pair.Origin.TRAINER, now)
                    new_pairs.append(pair.id)
                else:
                    guest = second if host is first else first
                    guest_membership = (
                        Membership.objects.select_related("pair")
                        .filter(activity=activity, anonymous_id=guest.participant.anonymous_id)
                        .first()
                    )
                    _move(activity, guest.participant, guest_membership, host.lonely_pair, now)
                    extended.append(host.lonely_pair.id)
        hosts = list(
            Pair.objects.filter(activity=activity, member_count=2, submitted_at__isnull=True).order_by(
                "-created_at", "-id"
            )
        )
        waiting = []
        for unit in units:
            if not hosts:
                waiting.append(unit.participant.anonymous_id)
                continue
            host = hosts.pop(0)
            membership = (
                Membership.objects.select_related("pair")
                .filter(activity=activity, anonymous_id=unit.participant.anonymous_id)
                .first()
            )
            _move(activity, unit.participant, membership, host, now)
            extended.append(host.id)
        return LeftoverResult(tuple(new_pairs), tuple(extended), tuple(waiting))

    return atomic(body)


def _default_resolver(activity: Activity) -> Callable[[str], str | None]:
    def resolve(username: str) -> str | None:
        # MariaDB finds "Ana" or "ana " for "ana": only the exact username counts, as on SQLite.
        rows = Participant.objects.filter(activity=activity, username=username).values_list("anonymous_id", "username")
        return next((anonymous_id for anonymous_id, stored in rows if stored == username), None)

    return resolve


def assign_pairs_from_csv(
    activity: Activity,
    settings: ActivitySettings,
    staff: Caller,
    csv_text: str,
    resolve_username: Callable[[str], str | None] | None = None,
    now: datetime | None = None,
) -> list[int]:
    """Create the pairs listed in a CSV (one pair per line: two usernames, or three for a trio).

    ``resolve_username(username) -> anonymous id or None`` maps usernames to anonymous ids; in
    the LMS pass one backed by the user service (``get_anonymous_user_id(username, course_id)``);
    by default, learners who have already visited the activity are found by username. All or
    nothing: the first problem is raised and no pair is created. Returns the new pair ids.
    Errors (400, with the line number): malformed line, unknown username, a username twice;
    409: a learner already in a pair; 403 not staff.
    """
    activity = activity.scope  # the pairing's pairs (see the module's docstring)
    require_staff(staff)
    now = resolve_now(now)
    rows = parse_pairs_csv(csv_text or "")
    if not rows:
        raise ServiceError(noop("The file lists no pairs."))
    resolve = resolve_username or _default_resolver(activity)
    # Usernames are compared as MySQL does (case, accents): Open edX usernames are unique that way,
    # and the LMS's lookup (``get_user_by_username_or_email``) finds "Ana" for "ana".
    seen: dict[str, int] = {}
    learners: dict[str, tuple[int, str]] = {}  # stored key -> (line, username)
    resolved: list[list[tuple[str, str]]] = []
    for line, names in rows:
        group = []
        for name in names:
            if fold(name) in seen:
                raise ServiceError(
                    noop("Line %(line)s: %(username)s is already listed on line %(other)s."),
                    line=line,
                    username=name,
                    other=seen[fold(name)],
                )
            seen[fold(name)] = line
            anonymous_id = resolve(name)
            if not anonymous_id:
                raise ServiceError(
                    noop("Line %(line)s: %(username)s is not a learner of this course."), line=line, username=name
                )
            key = learner_key(str(anonymous_id))  # the key ``caller_of`` gives the same learner
            if key in learners:
                other_line, other_name = learners[key]
                raise ServiceError(
                    noop("Line %(line)s: %(username)s is the same learner as %(other_username)s on line %(other)s."),
                    line=line,
                    username=name,
                    other_username=other_name,
                    other=other_line,
                )
            learners[key] = (line, name)
            group.append((name, key))
        resolved.append(group)

    def body():
        lock_pairing(activity)
        ids = [anonymous_id for group in resolved for _name, anonymous_id in group]
        taken = set(
            Membership.objects.filter(activity=activity, anonymous_id__in=ids).values_list("anonymous_id", flat=True)
        )
        for (line, _names), group in zip(rows, resolved):
            for name, anonymous_id in group:
                if anonymous_id in taken:
                    raise ServiceError(
                        noop("Line %(line)s: %(username)s is already in a pair."), status=409, line=line, username=name
                    )
        existing = {p.anonymous_id: p for p in Participant.objects.filter(activity=activity, anonymous_id__in=ids)}
        missing = [
            Participant(activity=activity, anonymous_id=anonymous_id, username=name)
            for group in resolved
            for name, anonymous_id in group
            if anonymous_id not in existing
        ]
        Participant.objects.bulk_create(missing)
        existing.update(
            {
                p.anonymous_id: p
                for p in Participant.objects.filter(
                    activity=activity, anonymous_id__in=[m.anonymous_id for m in missing]
                )
            }
        )
        renamed = []
        for group in resolved:
            for name, anonymous_id in group:
                participant = existing[anonymous_id]
                if participant.username != name:
                    participant.username = name
                    renamed.append(participant)
        if renamed:
            Participant.objects.bulk_update(renamed, ["username"])
        created = []
        for group in resolved:
            pair = _new_pair(
                activity, [existing[anonymous_id] for _name, anonymous_id in group], Pair.Origin.TRAINER, now
            )
            created.append(pair.id)
        return created

    return atomic(body)
