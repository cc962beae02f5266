"""What the views and downloads show, built from the services' results: template contexts,
chart series, table rows and CSV rows. Plain Python; ``_`` is the request's gettext.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from markupsafe import Markup

from .aggregates import LEVELS, CohortStats
from .answers import SCALE
from .constants import MIN_COHORT, ROUND_AFTER, ROUND_BEFORE, ROUNDS
from .items import ItemSet
from .plan import ModuleRef, development_plan
from .radar import Series, radar_svg

Gettext = Callable[[str], str]


def number(value: float | None) -> str:
    """A one-decimal number in the active language's format ('3.4' / '3,4'); '' for None."""
    if value is None:
        return ""
    from django.utils.formats import number_format  # needs configured settings: only at render time

    return number_format(value, decimal_pos=1)


def signed(value: int | None) -> str:
    if value is None:
        return ""
    return f"+{value}" if value > 0 else "\u2212" + str(-value) if value < 0 else "0"


@dataclass(frozen=True)
class Snapshot:
    """What one request knows: the item set, the caller's records by round, cohort statistics."""

    uid: str
    round: str
    item_set: ItemSet | None = None
    records: dict = field(default_factory=dict)  # round -> store.Record
    stats: dict | None = None  # round -> CohortStats, when needed
    problem: str = ""  # translated: why the block cannot take answers

    @property
    def current(self):
        return self.records.get(self.round)

    @property
    def before(self):
        """The submitted 'before' answers, shown by an 'after' block."""
        before = self.records.get(ROUND_BEFORE) if self.round == ROUND_AFTER else None
        return before if before is not None and before.submitted else None

    @property
    def submitted(self) -> bool:
        return self.current is not None and self.current.submitted


def scale(_: Gettext) -> list[dict]:
    return [{"value": level, "label": _(label)} for level, label in SCALE]


def form_groups(item_set: ItemSet, current, before, uid: str, _: Gettext) -> list[dict]:
    """Fieldsets of the form: each item with the learner's answer so far and their 'before' one."""
    answers = current.answers if current else None
    previous = before.answers if before else None
    labels = dict(SCALE)
    groups = []
    for group_index, group in enumerate(item_set.groups):
        items = []
        for index, item in enumerate(group.items):
            key = f"{uid}-{group_index}-{index}"
            before_rating = previous.ratings.get(item.code) if previous else None
            items.append(
                {
                    "code": item.code,
                    "title": item.title,
                    "key": key,
                    "rating": answers.ratings.get(item.code) if answers else None,
                    "justification": answers.justifications.get(item.code, "") if answers else "",
                    "before_rating": before_rating,
                    "before_label": _(labels[before_rating]) if before_rating in labels else "",
                    "before_justification": previous.justifications.get(item.code, "") if previous else "",
                }
            )
        groups.append({"code": group.code, "title": group.title, "entries": items})
    return groups


def results(data: Snapshot, modules: Mapping[str, tuple[ModuleRef, ...]], _: Gettext) -> dict:
    """The submitted positioning: radar chart, data table, comparison, development plan."""
    item_set, record = data.item_set, data.current
    ratings = record.answers.ratings
    before = data.before.answers.ratings if data.before else None
    stats = data.stats[data.round]
    cohort_visible = stats.visible_to_learners
    mine_label = _("My self-assessment now") if data.round == ROUND_AFTER else _("My self-assessment")
    series = [Series("learner", mine_label, tuple(ratings.get(code) for code in item_set.codes))]
    sentences = [_("My ratings from 1 to 5 on %(count)s items, one axis per item.") % {"count": len(item_set)}]
    if before is not None:
        series.append(
            Series("before", _("My first self-assessment"), tuple(before.get(code) for code in item_set.codes))
        )
        sentences.append(_("A dashed line shows my first self-assessment."))
    if cohort_visible:
        series.append(
            Series(
                "cohort",
                _("Cohort average (%(count)s learners)") % {"count": stats.respondents},
                tuple(stats.mean(code) for code in item_set.codes),
            )
        )
        sentences.append(_("A dotted line shows the cohort average."))
    sentences.append(_("The table that follows gives every value."))
    svg = radar_svg(
        item_set.codes,
        series,
        title=_("Radar chart of my self-assessment"),
        description=" ".join(sentences),
        id_prefix=f"{data.uid}-radar",
    )
    rows = []
    for item in item_set.items:
        rating = ratings.get(item.code)
        previous = before.get(item.code) if before is not None else None
        rows.append(
            {
                "code": item.code,
                "title": item.title,
                "rating": rating,
                "before": previous,
                "change": signed(rating - previous) if rating is not None and previous is not None else "",
                "cohort": number(stats.mean(item.code)) if cohort_visible else "",
                "justification": record.answers.justifications.get(item.code, ""),
            }
        )
    return {
        # radar_svg escapes every text it writes: the markup is ours, not learner input.
        "radar_svg": Markup(svg),
        "rows": rows,
        "has_before": before is not None,
        "cohort_visible": cohort_visible,
        "respondents": stats.respondents,
        "min_cohort": MIN_COHORT,
        "plan": development_plan(item_set, ratings, modules),
        "round": data.round,
    }


def staff(item_set: ItemSet, stats: Mapping[str, CohortStats], round_: str) -> dict:
    """Distribution of ratings per item for course staff (whatever the number of respondents)."""
    current = stats[round_]
    return {
        "round": round_,
        "respondents": current.respondents,
        "levels": LEVELS,
        "rows": [
            {
                "code": item.code,
                "title": item.title,
                "counts": current.counts(item.code),
                "answered": current.answered(item.code),
                "mean": number(current.mean(item.code)),
            }
            for item in item_set.items
        ],
    }


def round_name(round_: str, _: Gettext) -> str:
    return {ROUND_BEFORE: _("before the course"), ROUND_AFTER: _("after the course")}.get(round_, round_)


def status_name(status: str, _: Gettext) -> str:
    return {"draft": _("draft"), "submitted": _("submitted")}.get(status, status)


def my_csv(item_set: ItemSet, framework_id: str, records: Mapping, _: Gettext) -> tuple[list[str], list[list]]:
    """The learner's own answers, every round of the framework, one row per item and round."""
    header = [
        _("Framework"),
        _("Round"),
        _("Status"),
        _("Submitted at"),
        _("Item code"),
        _("Item"),
        _("Rating"),
        _("Justification"),
    ]
    rows = []
    for round_ in ROUNDS:
        record = records.get(round_)
        if record is None:
            continue
        submitted_at = record.submitted_at.isoformat(timespec="seconds") if record.submitted_at else ""
        for item in item_set.items:
            rows.append(
                [
                    framework_id,
                    round_name(round_, _),
                    status_name(record.status, _),
                    submitted_at,
                    item.code,
                    item.title,
                    record.answers.ratings.get(item.code),
                    record.answers.justifications.get(item.code, ""),
                ]
            )
    return header, rows


def cohort_csv(
    item_set: ItemSet, framework_id: str, stats: Mapping[str, CohortStats], _: Gettext
) -> tuple[list[str], list[list]]:
    """The cohort aggregate per round and item: respondents, counts of each level, average."""
    header = [_("Framework"), _("Round"), _("Respondents"), _("Item code"), _("Item")]
    header += [_("Rated %(level)s") % {"level": level} for level in LEVELS] + [_("Average")]
    rows = []
    for round_ in ROUNDS:
        if round_ not in stats:
            continue
        current = stats[round_]
        for item in item_set.items:
            mean = current.mean(item.code)
            rows.append(
                [framework_id, round_name(round_, _), current.respondents, item.code, item.title]
                + list(current.counts(item.code))
                + [round(mean, 2) if mean is not None else None]
            )
    return header, rows


def when(value) -> str:
    """A date and time in the active language's short format ('' for None)."""
    if value is None:
        return ""
    from django.utils.formats import date_format
    from django.utils.timezone import localtime

    return date_format(localtime(value), "SHORT_DATETIME_FORMAT")


def page(
    snapshot: Snapshot,
    _: Gettext,
    *,
    title: str,
    limit: int,
    signed_in: bool,
    results: dict | None,
    staff_panel: dict | None,
    cohort_csv_url: str,
) -> dict:
    """The context of the learner's view (and of the staff panel below it)."""
    current = snapshot.current
    show_form = snapshot.item_set is not None and signed_in and not snapshot.submitted
    return {
        "title": title,
        "uid": snapshot.uid,
        "round": snapshot.round,
        "status": current.status if current else "new",
        "signed_in": signed_in,
        "problem": snapshot.problem,
        "scale": scale(_),
        "max_justification": limit,
        "groups": form_groups(snapshot.item_set, current, snapshot.before, snapshot.uid, _) if show_form else [],
        "has_before": snapshot.before is not None,
        "updated_at": when(current.updated_at) if current else "",
        "submitted_at": when(current.submitted_at) if current else "",
        "results": results,
        "staff": staff_panel,
        "cohort_csv_url": cohort_csv_url,
    }


def state(snapshot: Snapshot, modules: Mapping[str, tuple[ModuleRef, ...]]) -> dict:
    """The learner's answers as data (the ``state`` handler)."""
    current, before = snapshot.current, snapshot.before
    result = {
        "round": snapshot.round,
        "status": current.status if current else "new",
        "ratings": dict(current.answers.ratings) if current else {},
        "justifications": dict(current.answers.justifications) if current else {},
        "updated_at": current.updated_at.isoformat() if current and current.updated_at else None,
        "submitted_at": current.submitted_at.isoformat() if current and current.submitted_at else None,
        "before": {"ratings": dict(before.answers.ratings), "justifications": dict(before.answers.justifications)}
        if before
        else None,
        "cohort": None,
        "plan": [],
    }
    if snapshot.submitted:
        stats = snapshot.stats[snapshot.round]
        result["cohort"] = {
            "respondents": stats.respondents,
            "min_respondents": MIN_COHORT,
            "averages": {
                code: round(stats.mean(code), 2) for code in snapshot.item_set.codes if stats.mean(code) is not None
            }
            if stats.visible_to_learners
            else None,
        }
        result["plan"] = [
            {
                "code": entry.code,
                "title": entry.title,
                "rating": entry.rating,
                "modules": [{"number": module.number, "title": module.title} for module in entry.modules],
            }
            for entry in development_plan(snapshot.item_set, current.answers.ratings, modules)
        ]
    return result


def js_messages(_: Gettext) -> dict:
    """Strings the JavaScript shows, translated here."""
    return {
        "saving": _("Saving your draft…"),
        "saved": _("Draft saved."),
        "submitting": _("Submitting your self-assessment…"),
        "submitted": _("Your self-assessment is submitted. Your results follow."),
        "missing": _("Please rate every item before submitting. Not yet rated: %(codes)s."),
        "counter": _("%(count)s of %(limit)s characters"),
        "network": _("The server could not be reached. Your answers are still on this page; please try again."),
        "unexpected": _("Something went wrong (error %(status)s). Please try again."),
    }


def author(
    block, item_set: ItemSet | None, problems: list[str], *, labels: dict, limit: int, _: Gettext, ngettext
) -> dict:
    """Studio's author preview: the settings and the items learners rate themselves on. No cohort
    data and no learner's answers: it is built from the block's settings only. ``item_set`` is
    ``None`` when one of ``problems`` (translated) stops the block from taking answers."""
    rows = [
        (_("Items"), labels["item_set"]),
        (_("Round"), labels["round"]),
        (_("Framework id"), str(block.framework_id)),
        (_("Language of the items"), labels["language"]),
        (_("Justification length limit"), _("%(limit)s characters") % {"limit": limit}),
        (
            _("Participation credit"),
            _("Submitting earns full credit; the answers are never graded.")
            if block.participation_credit
            else _("None: nothing is graded."),
        ),
    ]
    groups = []
    if item_set is not None:
        groups = [
            {
                "code": group.code,
                "title": group.title,
                "entries": [{"code": item.code, "title": item.title} for item in group.items],
            }
            for group in item_set.groups
        ]
    count = len(item_set) if item_set is not None else 0
    return {
        "note": _(
            "Preview for course authors: the settings and the items learners rate themselves on. Learners "
            "answer, and see their results and the cohort's averages, in the course itself: nothing is "
            "recorded here."
        ),
        "problems": problems,
        "settings": [{"label": label, "value": value} for label, value in rows],
        "count": ngettext(
            "Learners rate themselves from 1 to 5 on %(num)s item.",
            "Learners rate themselves from 1 to 5 on %(num)s items.",
            count,
        )
        % {"num": count}
        if item_set is not None
        else "",
        "groups": groups,
    }
