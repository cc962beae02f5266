"""What the views show, built from the domain's results: the learner's and the trainer's
view-models (plain, JSON-able dicts, rendered by the templates and returned by the handlers),
and the strings the JavaScript shows. Plain Python; ``_`` is the request's gettext.

Learner text (drafts, submissions, comments, usernames) is passed through as plain strings: the
templates escape it and the JavaScript inserts it with ``textContent``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from ..config import inactive

Gettext = Callable[[str], str]

STEP_ORDER = ("profile", "pairing", "draft", "review", "self", "grade")
CURRENT = {
    "profile": "profile",
    "pairing": "pairing",
    "draft": "draft",
    "review": "review",
    "waiting_for_grade": "grade",
    "graded": "grade",
}


def uid_of(block_key: str) -> str:
    """A short, HTML-safe id for this block's elements (several blocks may share a page)."""
    return "devisus-pr-" + hashlib.blake2s(block_key.encode("utf-8"), digest_size=5).hexdigest()


def when(value) -> str:
    """A date and time in the active language's format, with its time zone ('' for None)."""
    if value is None:
        return ""
    from django.utils.formats import date_format  # needs configured settings: only at render time
    from django.utils.timezone import localtime

    local = localtime(value)
    return f"{date_format(local, 'DATETIME_FORMAT')} {local.tzname() or ''}".strip()


def percent(fraction: float | None, _: Gettext) -> str:
    if fraction is None:
        return ""
    from django.utils.formats import number_format

    return _("%(value)s%%") % {"value": number_format(round(fraction * 100, 1), decimal_pos=1)}


def points(value) -> str:
    if value is None:
        return ""
    from django.utils.formats import number_format

    return number_format(value, decimal_pos=0 if float(value).is_integer() else 1)


def rubric(settings) -> list[dict]:
    return [
        {
            "id": c.id,
            "title": c.title,
            "description": c.description,
            "weight": c.weight,
            "max_points": c.max_points,
            "levels": [
                {"id": lv.id, "points": lv.points, "title": lv.title, "description": lv.description} for lv in c.levels
            ],
        }
        for c in settings.rubric.criteria
    ]


def _criteria_results(settings, results) -> list[dict]:
    """Criterion results (``CriterionResult``s) with the rubric's titles."""
    rows = []
    for result in results:
        criterion = settings.rubric.criterion(result.criterion_id)
        level = criterion.level(result.level_id) if criterion else None
        rows.append(
            {
                "id": result.criterion_id,
                "title": criterion.title if criterion else result.criterion_id,
                "level": level.title if level else result.level_id,
                "points": result.points,
                "max_points": criterion.max_points if criterion else None,
                "comment": result.comment,
            }
        )
    return rows


def profile_choices(labels: dict, current: str, _: Gettext) -> list[dict]:
    descriptions = {
        "theoretician": _(
            "You mainly bring theory: research, training or studies in the social economy, the history "
            "of the notions, methods and critical distance."
        ),
        "practitioner": _(
            "You mainly bring field experience: running or coordinating an organisation, producing a "
            "good or a service, supporting organisations, the financial realities organisations face."
        ),
    }
    return [
        {"value": value, "label": labels[value], "description": descriptions[value], "checked": value == current}
        for value in ("theoretician", "practitioner")
    ]


def _steps(state, settings, self_done: bool, _: Gettext) -> list[dict]:
    current = CURRENT[state.step]
    labels = {
        "profile": _("Your profile"),
        "pairing": _("Your partner"),
        "draft": _("Joint draft"),
        "review": _("Peer reviews (%(done)s of %(required)s)")
        % {"done": state.reviews_done, "required": state.reviews_required},
        "self": _("Review your own work (optional)"),
        "grade": _("Feedback and grade"),
    }
    order = [key for key in STEP_ORDER if key != "self" or settings.self_assessment]
    position = order.index(current)
    steps = []
    for index, key in enumerate(order):
        if key == "self":
            status = "done" if self_done else "optional"
        elif key == "grade" and state.step == "graded":
            status = "final"  # where the learner is, and done
        elif index < position:
            status = "done"
        elif key == current:
            status = "current"
        else:
            status = "upcoming"
        if key == "self" and state.submission is None:
            status = "upcoming"
        steps.append({"key": key, "label": labels[key], "status": status})
    return steps


def _panel_title(steps: list[dict], step: str, _: Gettext) -> str:
    key = CURRENT[step]
    titles = {
        "profile": _("Choose your profile"),
        "pairing": _("Find your partner"),
        "draft": _("Write and submit your assignment together"),
        "review": _("Review other pairs' work"),
        "grade": _("Feedback and grade"),
    }
    number = [s["key"] for s in steps].index(key) + 1
    return _("Step %(number)s of %(count)s: %(title)s") % {"number": number, "count": len(steps), "title": titles[key]}


def _draft_status(draft, _: Gettext) -> str:
    if draft.version == 0:
        return _("Not saved yet.")
    values = {"version": draft.version, "when": when(draft.saved_at)}
    if draft.saved_by_me:
        return _("Version %(version)s, saved by you on %(when)s.") % values
    return _("Version %(version)s, saved by your partner on %(when)s.") % values


def _next(state, settings, _: Gettext, ngettext) -> str:
    step = state.step
    if step == "profile":
        return {
            "automatic": _("Next: you will be paired with a learner of the other profile."),
            "invitation": _("Next: you create an invitation code for your partner, or join your partner with theirs."),
            "trainer": _("Next: your trainer pairs you with a partner."),
        }[settings.pairing_mode]
    if step == "pairing":
        return _("Next: once you have a partner, you write your assignment together in a shared draft.")
    if step == "draft":
        count = settings.reviews_per_reviewer
        if settings.review_unit == "pair":
            return ngettext(
                "Next: once your pair has submitted, your pair reviews the work of %(count)s other pair.",
                "Next: once your pair has submitted, your pair reviews the work of %(count)s other pairs.",
                count,
            ) % {"count": count}
        return ngettext(
            "Next: once your pair has submitted, you review the work of %(count)s other pair.",
            "Next: once your pair has submitted, you review the work of %(count)s other pairs.",
            count,
        ) % {"count": count}
    if step == "review":
        return _("Next: once your reviews are given, you see the reviews of your work and your grade.")
    if step == "waiting_for_grade":
        grade = state.grade
        return _(
            "Next: your grade, as soon as enough reviews of your work have arrived (%(count)s of %(required)s so far)."
        ) % {
            "count": grade.review_count if grade else 0,
            "required": grade.reviews_required if grade else settings.reviews_required,
        }
    return _("Your pair's work is graded. You can still tell reviewers how helpful their reviews were.")


def _source_label(source: str, _: Gettext) -> str:
    labels = {
        "peer": _(
            "The median of the peer reviews on each criterion (each review weighted by its reviewer's accuracy, "
            "when known), then weighted by criterion."
        ),
        "flexible": _(
            "Graded with the peer reviews received so far, as not enough arrived in time (flexible grading)."
        ),
        "trainer": _("Graded by your trainer with the rubric."),
        "override": _("Set by your trainer."),
    }
    return labels.get(source, "")


def _grade(state, settings, received, _: Gettext) -> dict | None:
    grade = state.grade
    if grade is None or grade.grade is None:
        return None
    trainer = next((r for r in reversed(received) if r.kind == "staff"), None)
    trainer_points = {c.criterion_id: c.points for c in trainer.criteria} if trainer else {}
    criteria = []
    for c in settings.rubric.criteria:
        median = grade.peer_details.get(c.id)
        criteria.append(
            {
                "title": c.title,
                "weight": c.weight,
                "max_points": c.max_points,
                "peer": points(median),
                "trainer": points(trainer_points.get(c.id)),
            }
        )
    return {
        "percent": percent(grade.grade, _),
        "source": grade.source,
        "source_label": _source_label(grade.source, _),
        "criteria": criteria,
        "has_peer": bool(grade.peer_details),
        "has_trainer": bool(trainer_points),
        "review_count": grade.review_count,
        "reviews_required": grade.reviews_required,
    }


def _calibration(progress, settings, _: Gettext) -> dict | None:
    """The calibration step: the next example to assess, and the comparison of each one assessed
    with its reference, criterion by criterion. None when the block has no examples to show."""
    if not progress:
        return None
    results = []
    for example, result in progress:
        if result is None:
            continue
        criteria = []
        for criterion in settings.rubric.criteria:
            yours = criterion.level(result.choices.get(criterion.id, ""))
            reference = criterion.level(example.levels[criterion.id])
            criteria.append(
                {
                    "title": criterion.title,
                    "yours": yours.title if yours else "–",
                    "reference": reference.title,
                    "same": yours is not None and yours.id == reference.id,
                    "comment": example.comments.get(criterion.id, ""),
                }
            )
        results.append(
            {"id": example.id, "title": example.title, "agreement": percent(result.agreement, _), "criteria": criteria}
        )
    pending = next(({"id": e.id, "title": e.title, "text": e.text} for e, r in progress if r is None), None)
    return {"count": len(progress), "done": len(results), "pending": pending, "results": results}


def learner(
    state,
    settings,
    *,
    task,
    labels: dict,
    uid: str,
    title: str,
    _: Gettext,
    ngettext,
    now,
    none_available: bool = False,
) -> dict:
    """The learner's view-model: where they are, what comes next, and what each step needs."""
    pairing = state.pairing
    received = [r for r in state.received if r.kind in ("peer", "staff")]
    own = next((r for r in state.received if r.kind == "self"), None)
    show_received = state.step in ("waiting_for_grade", "graded")
    draft = state.draft
    submission = state.submission
    review_open = settings.review_due is None or now <= settings.review_due
    peer_number = 0
    received_rows = []
    for review in received:
        if review.kind == "peer":
            peer_number += 1
            label = _("Peer review %(number)s") % {"number": peer_number}
        else:
            label = _("Your trainer's review")
        received_rows.append(
            {
                "review_id": review.review_id,
                "kind": review.kind,
                "label": label,
                "score": percent(review.score, _),
                "criteria": _criteria_results(settings, review.criteria),
                "helpfulness": review.helpfulness,
                "helpfulness_comment": review.helpfulness_comment,
            }
        )
    steps = _steps(state, settings, own is not None, _)
    return {
        "uid": uid,
        "title": title,
        "step": state.step,
        "steps": steps,
        "panel_title": _panel_title(steps, state.step, _),
        "next": _next(state, settings, _, ngettext),
        "mode": settings.pairing_mode,
        "review_unit": settings.review_unit,
        "profiles": profile_choices(labels, pairing.profile, _),
        "profile_label": labels.get(pairing.profile, ""),
        "pairing": {
            "status": pairing.status,
            "pair_id": pairing.pair_id,
            "invite_code": pairing.invite_code or "",
            "partners": [
                {
                    "username": p.username,
                    "profile": labels.get(p.profile, ""),
                    "inactive_since": when(p.last_active_at) if inactive(p.last_active_at, settings, now) else "",
                }
                for p in pairing.partners
            ],
            # every partner silent for inactive_after_days: the learner may leave and pair again
            "can_leave_inactive": bool(pairing.partners)
            and all(inactive(p.last_active_at, settings, now) for p in pairing.partners),
            "inactive_days": settings.inactive_after_days,
            "waiting_since": when(pairing.waiting_since),
        },
        "draft": None
        if draft is None
        else {
            "pair_id": draft.pair_id,
            "text": draft.text,
            "version": draft.version,
            "locked": draft.locked,
            "saved_at": when(draft.saved_at),
            "saved_by_me": draft.saved_by_me,
            "char_limit": draft.char_limit,
            "length": len(draft.text),
            "status": _draft_status(draft, _),
        },
        "submission": None
        if submission is None
        else {
            "text": submission.text,
            "version": submission.draft_version,
            "submitted_at": when(submission.submitted_at),
            "submitted_by_me": submission.submitted_by_me,
            "in_review": submission.in_review,
            "contribution": submission.contribution,
        },
        "review": {
            "done": state.reviews_done,
            "required": state.reviews_required,
            "open": review_open,
            "none_available": none_available and task is None,
            "task": None
            if task is None
            else {
                "assignment_id": task.assignment_id,
                "text": task.text,
                "expires_at": when(task.expires_at),
                "expired": task.expires_at <= now,
            },
        },
        "calibration": _calibration(state.calibration, settings, _),
        "rubric": rubric(settings),
        "min_comment": settings.min_comment_length,
        "max_comment": settings.max_comment_length,
        "self_assessment": {
            "enabled": settings.self_assessment and submission is not None,
            "done": own is not None,
            "choices": {c.criterion_id: c.level_id for c in own.criteria} if own else {},
            "comments": {c.criterion_id: c.comment for c in own.criteria} if own else {},
        },
        "received": received_rows if show_received else [],
        "received_waiting": 0 if show_received else len(received),
        "grade": _grade(state, settings, received, _) if show_received else None,
        "reviews_in": state.grade.review_count if state.grade else 0,
        "reviews_needed": settings.reviews_required,
        "flexible_days": settings.flexible_after_days,
        "flexible_threshold": settings.flexible_threshold,
        "helpfulness": {
            "average": points(state.helpfulness.average) if state.helpfulness.average is not None else "",
            "ratings": state.helpfulness.ratings,
        },
        "deadlines": {
            "submission": when(settings.submission_due),
            "review": when(settings.review_due),
            "submission_passed": settings.submission_due is not None and now > settings.submission_due,
            "review_passed": not review_open,
        },
        "duties_done": state.duties_done,
    }


# ---- trainer ---------------------------------------------------------------------------------


def disagreement_label(reason: str, _: Gettext) -> str:
    """The translated reason a work waits for the trainer ("<spread>;<lowest>;<highest>", see
    grading.disagreement); '' for none."""
    try:
        gap, low, high = (float(part) for part in reason.split(";"))
    except ValueError:
        return ""
    return _("Needs the trainer: the peer reviews differ by %(spread)s points (from %(low)s to %(high)s).") % {
        "spread": points(gap),
        "low": percent(low / 100, _),
        "high": percent(high / 100, _),
    }


def status_label(pair, _: Gettext) -> str:
    if pair.status == "needs_trainer":
        return disagreement_label(pair.needs_trainer_reason, _) or _("Needs the trainer")
    if pair.status == "in_review":
        return _("In review: %(count)s of %(required)s reviews") % {
            "count": pair.review_count,
            "required": pair.reviews_required,
        }
    if pair.status == "graded":
        return _("Graded: %(grade)s") % {"grade": percent(pair.grade, _)}
    return {
        "waiting_for_partner": _("Waiting for a partner"),
        "drafting": _("Drafting"),
        "submitted": _("Submitted, no review yet"),
        "removed": _("Withdrawn from peer review"),
    }[pair.status]


def source_name(source: str, _: Gettext) -> str:
    return {
        "peer": _("peer reviews"),
        "flexible": _("flexible grading"),
        "trainer": _("trainer's review"),
        "override": _("override"),
    }.get(source, "")


def staff_pair_item(pair, labels: dict, _: Gettext) -> dict:
    """One pair of the trainer's list (dashboard or worklist page)."""
    return {
        "pair_id": pair.pair_id,
        "status": pair.status,
        "status_label": status_label(pair, _),
        "members": [
            {
                "anonymous_id": m.anonymous_id,
                "username": m.username or m.anonymous_id,
                "profile": labels.get(m.profile, ""),
                "reviews_done": m.reviews_done,
                "helpfulness": points(m.helpfulness),
                "inactive_since": when(m.last_active_at) if m.inactive else "",
                "accuracy": percent(m.accuracy, _),
            }
            for m in pair.members
        ],
        "pair_accuracy": percent(pair.pair_accuracy, _),
        "submission_id": pair.submission_id,
        "submitted_at": when(pair.submitted_at),
        "grade": percent(pair.grade, _),
        "grade_source": source_name(pair.grade_source, _),
        "waiting_for_reviews": pair.waiting_for_reviews,
        "pair_reviews_done": pair.pair_reviews_done,
        "pair_helpfulness": points(pair.pair_helpfulness),
        "movable": pair.submission_id is None,
    }


def worklist(
    page, settings, *, labels: dict, uid: str, _: Gettext, ngettext, status: str, search: str, sort: str
) -> dict:
    """One page of the trainer's worklist: the filter, search and order chosen, the count of each
    status in the filter's options, the page's pairs and the paging."""
    names = {
        "all": _("All pairs"),
        "waiting_for_partner": _("Waiting for a partner"),
        "drafting": _("Drafting"),
        "submitted": _("Submitted, no review yet"),
        "in_review": _("In review"),
        "needs_trainer": _("Needs the trainer"),
        "graded": _("Graded"),
        "overridden": _("Grade overridden"),
        "removed": _("Withdrawn from peer review"),
        "inactive_partner": _("With an inactive partner"),
    }
    counts = {**page.counts, "inactive_partner": page.inactive_partner}
    first = (page.page - 1) * page.page_size + 1
    last = first + len(page.pairs) - 1
    if page.total:
        summary = _("Pairs %(first)s to %(last)s of %(total)s.") % {"first": first, "last": last, "total": page.total}
    else:
        summary = _("No pair matches.")
    return {
        "uid": uid,
        "status": status,
        "search": search,
        "sort": sort,
        "filters": [
            {"value": key, "label": _("%(status)s (%(count)s)") % {"status": label, "count": counts.get(key, 0)}}
            for key, label in names.items()
        ],
        "sorts": [
            {"value": "oldest", "label": _("Oldest pairs first")},
            {"value": "newest", "label": _("Newest pairs first")},
            {"value": "longest_waiting", "label": _("Work waiting longest first")},
        ],
        "pairs": [staff_pair_item(pair, labels, _) for pair in page.pairs],
        "review_unit": settings.review_unit,
        "summary": summary,
        "page": page.page,
        "pages": page.pages,
        "page_label": _("Page %(page)s of %(pages)s") % {"page": page.page, "pages": page.pages},
    }


def target_label(target, _: Gettext) -> str:
    """How an open pair is named where a learner can be moved to it."""
    return _("Pair %(number)s: %(members)s") % {
        "number": target.pair_id,
        "members": ", ".join(target.members) or "–",
    }


def staff(
    counts: dict,
    waiting,
    waiting_total: int,
    settings,
    *,
    labels: dict,
    uid: str,
    _: Gettext,
    ngettext,
    grades_url: str,
    reviews_url: str,
) -> dict:
    """The trainer's dashboard around its worklist: the number of pairs in each status, the
    learners waiting longest for a partner, the deadlines and the exports."""
    labels_by_status = {
        "waiting_for_partner": lambda n: ngettext(
            "%(num)s pair waiting for a partner", "%(num)s pairs waiting for a partner", n
        ),
        "drafting": lambda n: ngettext("%(num)s pair drafting", "%(num)s pairs drafting", n),
        "submitted": lambda n: ngettext(
            "%(num)s pair submitted, not reviewed yet", "%(num)s pairs submitted, not reviewed yet", n
        ),
        "in_review": lambda n: ngettext("%(num)s pair in review", "%(num)s pairs in review", n),
        "needs_trainer": lambda n: ngettext(
            "%(num)s pair needs the trainer (the reviews disagree)",
            "%(num)s pairs need the trainer (the reviews disagree)",
            n,
        ),
        "graded": lambda n: ngettext("%(num)s pair graded", "%(num)s pairs graded", n),
        "overridden": lambda n: ngettext(
            "%(num)s pair graded by a trainer's override", "%(num)s pairs graded by a trainer's override", n
        ),
        "removed": lambda n: ngettext(
            "%(num)s pair withdrawn from peer review", "%(num)s pairs withdrawn from peer review", n
        ),
        "inactive_partner": lambda n: ngettext(
            "%(num)s pair with an inactive partner", "%(num)s pairs with an inactive partner", n
        ),
    }
    return {
        "uid": uid,
        "counts": [
            {
                "status": status,
                "count": counts.get(status, 0),
                "label": label(counts.get(status, 0)) % {"num": counts.get(status, 0)},
            }
            for status, label in labels_by_status.items()
        ],
        "waiting": [
            {
                "anonymous_id": w.anonymous_id,
                "username": w.username or w.anonymous_id,
                "profile": labels.get(w.profile, ""),
                "since": when(w.waiting_since),
            }
            for w in waiting
        ],
        "waiting_total": waiting_total,
        "waiting_more": ngettext(
            "%(num)s more learner is waiting: the buttons below place everyone.",
            "%(num)s more learners are waiting: the buttons below place everyone.",
            waiting_total - len(waiting),
        )
        % {"num": waiting_total - len(waiting)}
        if waiting_total > len(waiting)
        else "",
        "review_unit": settings.review_unit,
        "mode": settings.pairing_mode,
        "deadlines": {"submission": when(settings.submission_due), "review": when(settings.review_due)},
        "grades_url": grades_url,
        "reviews_url": reviews_url,
    }


def targets(found, *, learner: str, name: str, uid: str, search: str, _: Gettext, ngettext) -> dict:
    """The open pairs a target search found for moving ``learner`` (an anonymised id)."""
    options = [{"pair_id": target.pair_id, "label": target_label(target, _)} for target in found]
    if options:
        summary = ngettext("%(num)s open pair found.", "%(num)s open pairs found.", len(options)) % {
            "num": len(options)
        }
    else:
        summary = _("No open pair matches “%(search)s”.") % {"search": search} if search else _("No open pair.")
    return {
        "uid": uid,
        "learner": learner,
        "name": name,
        "field_id": f"{uid}-target-{hashlib.sha1(learner.encode()).hexdigest()[:10]}",
        "options": options,
        "summary": summary,
    }


def staff_pair(
    pair,
    text: str,
    reviews,
    history,
    settings,
    *,
    labels: dict,
    uid: str,
    _: Gettext,
    accuracies: dict | None = None,
    contributions: dict | None = None,
) -> dict:
    """One pair in detail for trainers: its work, what each member says they contributed, every
    review with its author, the grade's history."""
    kinds = {"peer": _("Peer review"), "staff": _("Trainer's review"), "self": _("Pair's own review")}
    rows, own = [], None
    for review in reviews:
        if review.kind == "peer":
            who = review.reviewer_username or review.reviewer
            if review.reviewer.startswith("pair:"):
                who = _("Pair %(number)s") % {"number": review.reviewer[5:]}
        elif review.kind == "staff":
            who = _("Course staff")
        else:
            who = _("The pair itself")
        row = {
            "review_id": review.review_id,
            "kind": kinds.get(review.kind, review.kind),
            "who": who,
            "profile": labels.get(review.reviewer_profile, ""),
            "score": percent(review.score, _),
            "when": when(review.updated_at),
            "criteria": _criteria_results(settings, review.criteria),
            "helpfulness": review.helpfulness,
            "helpfulness_comment": review.helpfulness_comment,
            "accuracy": percent((accuracies or {}).get(review.reviewer), _) if review.kind == "peer" else "",
        }
        rows.append(row)
        if review.kind == "staff":
            own = review
    names = {m.anonymous_id: m.username or m.anonymous_id for m in pair.members}
    return {
        "uid": uid,
        "pair_id": pair.pair_id,
        "submission_id": pair.submission_id,
        "status_label": status_label(pair, _),
        "needs_trainer": pair.status == "needs_trainer",
        "in_review": pair.in_review,
        "members": [
            {
                "anonymous_id": m.anonymous_id,
                "username": m.username or m.anonymous_id,
                "profile": labels.get(m.profile, ""),
            }
            for m in pair.members
        ],
        "contributions": [
            {"who": names.get(anonymous_id, anonymous_id), "text": text}
            for anonymous_id, text in (contributions or {}).items()
        ],
        "movable": pair.submission_id is None,
        "splittable": bool(pair.members) and pair.lease_count == 0,
        "text": text,
        "reviews": rows,
        "grade": percent(pair.grade, _),
        "grade_source": source_name(pair.grade_source, _),
        "peer_grade": percent(pair.peer_grade, _),
        "trainer_grade": percent(pair.trainer_grade, _),
        "override_grade": percent(pair.override_grade, _),
        "history": [
            {
                "by": h.by_username or h.by,
                "at": when(h.at),
                "old": percent(h.old_grade, _) or "–",
                "new": percent(h.new_grade, _) or _("override removed"),
                "reason": h.reason,
            }
            for h in history
        ],
        "rubric": rubric(settings),
        "trainer_choices": {c.criterion_id: c.level_id for c in own.criteria} if own else {},
        "trainer_comments": {c.criterion_id: c.comment for c in own.criteria} if own else {},
        "min_comment": settings.min_comment_length,
        "max_comment": settings.max_comment_length,
    }


def js_messages(_: Gettext) -> dict:
    """Strings the JavaScript shows, translated here."""
    return {
        "counter": _("%(count)s of %(limit)s characters"),
        "over_limit": _("Your text is %(count)s characters long: the limit is %(limit)s."),
        "comment_counter": _("%(count)s characters (at least %(min)s)"),
        "unsaved": _("You have changes that are not saved: save the draft before submitting it."),
        "choose_profile": _("Please choose your profile first."),
        "choose_level": _("Choose a level for \u201c%(criterion)s\u201d."),
        "short_comment": _(
            "Your comment on \u201c%(criterion)s\u201d is too short: write at least %(count)s characters "
            "(one strength and one suggestion)."
        ),
        "choose_rating": _("Choose how helpful the review was, from 1 to 5."),
        "partner_shown": _("Your partner's version is shown next to your text. Your own text is still in the editor."),
        "partner_used": _("Your partner's version is now in the editor."),
        "kept_mine": _("Your text is kept. Saving it now replaces your partner's version, which you have seen."),
        "enter_code": _("Please enter the invitation code you were given."),
        "enter_reason": _("Please give the reason for changing the grade."),
        "enter_grade": _("Enter a grade between 0 and 100, or choose to remove the override."),
        "network": _("The server could not be reached. Nothing was lost on this page; please try again."),
        "unexpected": _("Something went wrong (error %(status)s). Please try again."),
    }


# ---- Studio's author preview ------------------------------------------------------------------


def _shown_number(value) -> str:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
        return str(value)
    return points(value)


def author(
    block,
    settings,
    problems: list[str],
    *,
    labels: dict,
    choices: dict,
    deadlines: dict,
    points_possible,
    _: Gettext,
    ngettext,
) -> dict:
    """Studio's author preview: the settings as the block holds them, how the activity grades and
    its rubric. ``settings``: the domain's ``ActivitySettings``, or ``None`` when one of
    ``problems`` (translated) stops the activity; ``choices``: the Studio labels of the drop-down
    settings; ``deadlines``: each due date parsed (``None``: no deadline), or its text if unreadable."""
    from datetime import datetime

    def deadline(value) -> str:
        if value is None:
            return _("No deadline")
        return when(value) if isinstance(value, datetime) else str(value)

    rows = [
        (_("Pairing"), choices["pairing_mode"]),
        (
            _("Shared pairs"),
            _("The pairs of the course's pairing “%(id)s”") % {"id": block.pairing_id}
            if block.pairing_id
            else _("Pairs of this activity only"),
        ),
        (_("Profiles"), _("%(theoretician)s and %(practitioner)s") % labels),
        (_("Who reviews"), choices["review_unit"]),
        (_("Reviews to give"), _shown_number(block.reviews_per_reviewer)),
        (_("Reviews needed for a grade"), _shown_number(block.reviews_required)),
        (_("Hours to finish a review"), _shown_number(block.lease_hours)),
        (_("Character limit of the joint work"), _shown_number(block.char_limit)),
        (
            _("Comment length"),
            _("From %(min)s to %(max)s characters for each criterion")
            % {"min": _shown_number(block.min_comment_length), "max": _shown_number(block.max_comment_length)},
        ),
        (_("Submission due"), deadline(deadlines["submission_due"])),
        (_("Reviews due"), deadline(deadlines["review_due"])),
        (_("Pair's own review"), _("Offered to pairs, never graded") if block.self_assessment else _("Not offered")),
        (_("Language of the default rubric"), choices["language"]),
    ]
    grading = []
    if settings is not None:
        grading = [
            _("The median of the peer reviews on each criterion, weighted."),
            _(
                "Each review is weighted by its reviewer's accuracy: how close their assessments came to the reference "
                "levels of the calibration examples and to the trainer's reviews of the same submissions (agreement = "
                "1 - the weighted mean of the gaps in points, each divided by the criterion's most points). The "
                "median is then the level where half the total weight is reached; without a known accuracy, the "
                "plain median."
            ),
            ngettext(
                "A submission is graded by its peers once %(num)s review is in.",
                "A submission is graded by its peers once %(num)s reviews are in.",
                settings.reviews_required,
            )
            % {"num": settings.reviews_required},
            ngettext(
                "Flexible grading: %(days)s days after it is submitted, a submission with at least %(num)s review "
                "is graded with the reviews it has.",
                "Flexible grading: %(days)s days after it is submitted, a submission with at least %(num)s reviews "
                "is graded with the reviews it has.",
                settings.flexible_threshold,
            )
            % {"days": settings.flexible_after_days, "num": settings.flexible_threshold},
            _("A trainer's review replaces the peer grade; a grade override, given with its reason, replaces both."),
            *(
                [
                    ngettext(
                        "Before their first review, each reviewer assesses %(num)s calibration example.",
                        "Before their first review, each reviewer assesses %(num)s calibration examples.",
                        len(settings.calibration),
                    )
                    % {"num": len(settings.calibration)}
                ]
                if settings.calibration
                else []
            ),
            *(
                [
                    _(
                        "When the peer reviews' scores differ by more than %(points)s points, the submission waits for a "
                        "trainer's review, which sets the grade."
                    )
                    % {"points": settings.disagreement_threshold}
                ]
                if settings.disagreement_threshold
                else []
            ),
            ngettext(
                "Every member of the pair gets the pair's grade, out of %(num)s point in the gradebook.",
                "Every member of the pair gets the pair's grade, out of %(num)s points in the gradebook.",
                points_possible,
            )
            % {"num": _shown_number(points_possible)},
        ]
    return {
        "note": _(
            "Preview for course authors: the activity's settings, how it grades and its rubric. Learners "
            "work in pairs, and trainers follow them, in the course itself: nothing is recorded here."
        ),
        "problems": problems,
        "settings": [{"label": label, "value": value} for label, value in rows],
        "grading": grading,
        "rubric": rubric(settings) if settings is not None else [],
    }
