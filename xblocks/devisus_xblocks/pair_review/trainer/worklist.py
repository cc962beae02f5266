"""The trainer's worklist: one page of pairs, filtered by status, searched by username, sorted, with
the number of pairs in each status. The database does the filtering, counting and paging, so a page
costs the same few queries, and carries the same few rows, at 10 pairs as at 10,000.

The status of a pair is computed in SQL from its submission to this activity (left join) and its
member count, with the same rules as ``trainer._status``; two more statuses serve the worklist:
``overridden`` (graded, the grade set by a trainer's override) and ``inactive_partner`` (a filter
over the others: a current member silent for the block's ``inactive_after_days``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Case, CharField, Count, Exists, F, FilteredRelation, OuterRef, Q, Value, When

from ...common.errors import ServiceError
from ...common.i18n import noop
from ...common.identity import Caller
from ..activity import ActivitySettings, require_staff, resolve_now
from ..models import Activity, Membership, Pair, Participant, SubmissionMember
from .oversight import PairStatus, pair_statuses

STATUSES = (
    "waiting_for_partner",
    "drafting",
    "submitted",
    "in_review",
    "needs_trainer",
    "graded",
    "overridden",
    "removed",
)
FILTERS = ("all", *STATUSES, "inactive_partner")
SORTS = {
    "oldest": ("created_at", "id"),
    "newest": ("-created_at", "-id"),
    # Submitted works waiting the longest first (the trainer's queue), then the others by age.
    "longest_waiting": (F("work__submitted_at").asc(nulls_last=True), "created_at", "id"),
}
MAX_PAGE_SIZE = 100
MAX_SEARCH = 150


@dataclass(frozen=True)
class WorklistPage:
    pairs: tuple[PairStatus, ...]
    status: dict[int, str]  # pair id -> worklist status (``overridden`` refines ``graded``)
    counts: dict  # worklist status -> number of pairs in the pairing (search applied), and "all"
    inactive_partner: int  # pairs with a silent member (search applied)
    total: int  # pairs matching the filter and the search
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


def _annotated(activity: Activity):
    work = FilteredRelation("submissions", condition=Q(submissions__activity=activity))
    status = Case(
        When(work__id__isnull=True, member_count__lt=2, then=Value("waiting_for_partner")),
        When(work__id__isnull=True, then=Value("drafting")),
        When(work__grade__isnull=False, work__grade_source="override", then=Value("overridden")),
        When(work__grade__isnull=False, then=Value("graded")),
        When(work__in_pool=False, then=Value("removed")),
        When(Q(work__trainer_grade__isnull=True) & ~Q(work__needs_trainer_reason=""), then=Value("needs_trainer")),
        When(work__review_count=0, work__lease_count=0, then=Value("submitted")),
        default=Value("in_review"),
        output_field=CharField(),
    )
    return Pair.objects.filter(activity=activity.scope).annotate(work=work).annotate(worklist_status=status)


def page(
    activity: Activity,
    settings: ActivitySettings,
    staff: Caller,
    *,
    status: str = "all",
    search: str = "",
    sort: str = "oldest",
    number: int = 1,
    size: int = 25,
    now: datetime | None = None,
) -> WorklistPage:
    """One page of the worklist. Bad input (unknown filter or sort, a page beyond the end, a size
    out of range, an overlong search) is refused with a 400 before anything is read."""
    require_staff(staff)
    if status not in FILTERS:
        raise ServiceError(noop("Unknown status filter."), 400)
    if sort not in SORTS:
        raise ServiceError(noop("Unknown sort order."), 400)
    if not 1 <= size <= MAX_PAGE_SIZE or number < 1:
        raise ServiceError(noop("Page and page size must be positive, and a page holds at most 100 pairs."), 400)
    search = " ".join(search.split())
    if len(search) > MAX_SEARCH:
        raise ServiceError(noop("The search is too long."), 400)
    now = resolve_now(now)
    pairs, silent = _matching(activity, settings, search, now)
    counts, inactive_count = _counted(pairs, silent)
    if status == "inactive_partner":
        chosen = pairs.filter(silent) if silent is not None else pairs.none()
        total = inactive_count
    else:
        chosen = pairs if status == "all" else pairs.filter(worklist_status=status)
        total = counts[status]
    size_pages = max(1, -(-total // size))
    if number > size_pages:
        raise ServiceError(noop("There is no such page."), 400)
    offset = (number - 1) * size
    rows = list(chosen.order_by(*SORTS[sort])[offset : offset + size])
    statuses = pair_statuses(activity, settings, rows, now)
    return WorklistPage(
        pairs=tuple(statuses),
        status={row.id: row.worklist_status for row in rows},
        counts=counts,
        inactive_partner=inactive_count,
        total=total,
        page=number,
        page_size=size,
    )


def counts(
    activity: Activity, settings: ActivitySettings, staff: Caller, now: datetime | None = None
) -> tuple[dict, int]:
    """The number of pairs in each worklist status (and ``all``), and of pairs with an inactive
    partner: what the dashboard shows at its top, in two queries whatever the pairing's size."""
    require_staff(staff)
    return _counted(*_matching(activity, settings, "", resolve_now(now)))


def _matching(activity: Activity, settings: ActivitySettings, search: str, now: datetime):
    """The pairs whose members' usernames contain ``search`` (all when empty), annotated with their
    status, and the condition "a current member is silent" (None when the block never says so)."""
    scope = activity.scope
    pairs = _annotated(activity)
    if search:
        # Current members, and the members a submission was made for (a learner re-paired since):
        # two uncorrelated subqueries the database runs once, not once per pair.
        named = Participant.objects.filter(activity=scope, username__icontains=search).values("anonymous_id")
        current = Membership.objects.filter(activity=scope, anonymous_id__in=named).values("pair_id")
        submitted = SubmissionMember.objects.filter(activity=activity, anonymous_id__in=named).values(
            "submission__pair_id"
        )
        pairs = pairs.filter(Q(id__in=current) | Q(id__in=submitted))
    cutoff = now - timedelta(days=settings.inactive_after_days) if settings.inactive_after_days else None
    silent = (
        Exists(
            Membership.objects.filter(activity=scope, pair=OuterRef("pk")).filter(
                Q(last_active_at__lte=cutoff) | Q(last_active_at__isnull=True, joined_at__lte=cutoff)
            )
        )
        if cutoff
        else None
    )
    return pairs, silent


def _counted(pairs, silent) -> tuple[dict, int]:
    counts = dict.fromkeys(STATUSES, 0)
    for row in pairs.order_by().values("worklist_status").annotate(n=Count("id")):
        counts[row["worklist_status"]] = row["n"]
    counts["all"] = sum(counts[key] for key in STATUSES)
    return counts, pairs.filter(silent).count() if silent is not None else 0
