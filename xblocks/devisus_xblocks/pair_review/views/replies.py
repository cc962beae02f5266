"""What the block's views and handlers answer: the view-models of ``presenter`` filled from the
domain's read services, rendered with the block's templates.

Every learner handler answers ``{"state": <view-model>, "html": <the learner part, rendered>,
"message": <translated>}``. The trainer's handlers answer ``{"html": <the whole dashboard, or null>,
"summary": <its top: counts and waiting learners, or null>, "detail": <one pair, or "">,
"pair_id": <its id or null>, "message": ...}``: the dashboard when it opens or is refreshed
(``staff_state``), the summary and the pair concerned after an action, the detail alone
(``staff_pair``); ``staff_worklist`` and ``staff_targets`` answer a page of pairs and a search for
a target pair (see their functions).
"""

from __future__ import annotations

from ...common.errors import ServiceError
from ...common.i18n import gettext_for, ngettext_for, noop
from ...common.identity import block_key_of, course_key_of
from ...common.rendering import render_template, setting_label
from .. import config
from ..activity import require_staff
from ..grading import grades
from ..pairing import formation, inactivity
from ..reviewing import calibration
from ..trainer import oversight, worklist
from . import learner, presenter


def translate(block, message: str, params: dict) -> str:
    if not message:
        return ""
    text = gettext_for(block)(message)
    return text % params if params else text


def uid(block) -> str:
    return presenter.uid_of(block_key_of(block))


def learner_view(block, caller, activity, settings, task=None, none_available: bool = False) -> dict:
    """The learner's view-model: their state, and the review they have started (never a new lease).
    The caller's membership is read once and handed to every read (and to the activity stamp)."""
    from django.utils import timezone

    membership = formation.own_membership(activity, caller)
    inactivity.touch(activity, caller, membership=membership)  # every learner request shows the learner is active
    state = learner.learner_state(activity, settings, caller, membership=membership)
    if task is None:
        task = state.task
    _ = gettext_for(block)
    return presenter.learner(
        state,
        settings,
        task=task,
        labels=config.profile_labels(block, _),
        uid=uid(block),
        title=block.title,
        _=_,
        ngettext=ngettext_for(block),
        now=timezone.now(),
        none_available=none_available,
    )


def learner_reply(block, caller, activity, settings, message: str, params: dict, **view) -> dict:
    vm = learner_view(block, caller, activity, settings, **view)
    block.complete(vm)
    return {
        "state": vm,
        "html": render_template(block, "pair_review/learner.html", vm=vm),
        "message": translate(block, message, params),
    }


def staff_view(block, caller, activity, settings, flexible: bool = False) -> dict:
    """The trainer's dashboard view-model: counts, the longest-waiting learners and the first page
    of the worklist; the same few queries whatever the number of pairs. ``flexible``: grade first
    what flexible grading allows (as the dashboard opens; set-based, see grading)."""
    if flexible:
        grades.apply_flexible_grading(activity, settings, caller)
    page, worklist_vm = worklist_view(block, caller, activity, settings, {})
    vm = summary_view(block, caller, activity, settings, counts=(page.counts, page.inactive_partner))
    vm["worklist"] = worklist_vm
    return vm


def summary_view(block, caller, activity, settings, counts=None) -> dict:
    """The top of the dashboard (counts and the waiting list), which every trainer action refreshes."""
    status_counts, inactive_count = counts or worklist.counts(activity, settings, caller)
    waiting, waiting_total = oversight.waiting_learners(activity, caller)
    _ = gettext_for(block)
    return presenter.staff(
        {**status_counts, "inactive_partner": inactive_count},
        waiting,
        waiting_total,
        settings,
        labels=config.profile_labels(block, _),
        uid=uid(block),
        _=_,
        ngettext=ngettext_for(block),
        grades_url=block.runtime.handler_url(block, "grades_csv"),
        reviews_url=block.runtime.handler_url(block, "reviews_csv"),
    )


def dashboard_reply(block, caller, activity, settings, message: str = "", params: dict | None = None) -> dict:
    """The whole dashboard (as it opens or is refreshed)."""
    staff = staff_view(block, caller, activity, settings, flexible=True)
    return {
        "html": render_template(block, "pair_review/staff.html", staff=staff),
        "summary": None,
        "detail": "",
        "pair_id": None,
        "message": translate(block, message, params or {}),
    }


def action_reply(
    block,
    caller,
    activity,
    settings,
    message: str,
    params: dict,
    *,
    pair_id: int | None = None,
    submission_id: int | None = None,
) -> dict:
    """What a trainer's action changed: the top of the dashboard and, when the action concerns one
    pair, that pair's detail; never the list of pairs (the page refreshes the worklist page it
    shows with ``staff_worklist``). The same queries whatever the number of pairs."""
    from ..models import Submission

    if pair_id is None and submission_id is not None:
        pair_id = (
            Submission.objects.filter(activity=activity, id=submission_id).values_list("pair_id", flat=True).first()
        )
    detail = pair_detail_html(block, caller, activity, settings, pair_id, missing_ok=True) if pair_id else ""
    return {
        "html": None,
        "summary": render_template(
            block, "pair_review/staff_summary.html", staff=summary_view(block, caller, activity, settings)
        ),
        "detail": detail,
        "pair_id": pair_id if detail else None,
        "message": translate(block, message, params),
    }


def staff_pair_reply(block, caller, activity, settings, pair_id: int) -> dict:
    """One pair in detail, on its own: its status, text, reviews, history; never the list of pairs.
    The same queries whatever the pairing's size."""
    detail = pair_detail_html(block, caller, activity, settings, pair_id)
    return {"html": None, "summary": None, "detail": detail, "pair_id": pair_id, "message": ""}


def pair_detail_html(block, caller, activity, settings, pair_id: int, missing_ok: bool = False) -> str:
    """One pair's detail, rendered; a 404 when the pair is not the activity's (or "" if
    ``missing_ok``: an action that emptied it, e.g. moving a pair's last member out)."""
    from django.utils import timezone

    from ..models import Pair

    require_staff(caller)
    pair = Pair.objects.filter(activity=activity.scope, id=pair_id).first()
    if pair is None:
        if missing_ok:
            return ""
        raise ServiceError(noop("This pair does not exist."), status=404)
    status = oversight.pair_statuses(activity, settings, [pair], timezone.now())[0]
    return render_template(
        block, "pair_review/staff_pair.html", pair=staff_pair_view(block, caller, activity, settings, status)
    )


def staff_pair_view(block, caller, activity, settings, pair) -> dict:
    submission = pair.submission_id
    text = oversight.submission_text(activity, caller, submission) if submission else ""
    reviews = oversight.submission_reviews(activity, settings, caller, submission) if submission else []
    history = grades.override_history(activity, caller, submission) if submission else []
    statements = oversight.contributions(activity, caller, submission) if submission else {}
    reviewers = {review.reviewer for review in reviews if review.kind == "peer"}
    _ = gettext_for(block)
    return presenter.staff_pair(
        pair,
        text,
        reviews,
        history,
        settings,
        labels=config.profile_labels(block, _),
        uid=uid(block),
        _=_,
        accuracies=calibration.accuracies(activity, reviewers),
        contributions=statements,
    )


def targets_reply(block, caller, activity, data: dict) -> dict:
    """The open pairs a trainer's search found for moving one learner: their JSON and the choice
    to show (a labelled drop-down and its button, or why nothing was found)."""
    search = " ".join((data.get("search") or "").split())
    found = oversight.target_pairs(activity, caller, search, exclude_pair_id=data.get("exclude_pair_id"))
    _ = gettext_for(block)
    vm = presenter.targets(
        found,
        learner=data["anonymous_id"],
        name=data.get("name") or data["anonymous_id"],
        uid=uid(block),
        search=search,
        _=_,
        ngettext=ngettext_for(block),
    )
    return {
        "targets": vm["options"],
        "html": render_template(block, "pair_review/staff_targets.html", found=vm),
        "message": vm["summary"],
    }


def username_resolver(block):
    """In the LMS the user service finds any enrolled learner by username; elsewhere (None) the
    domain's default finds learners who have already visited the activity."""
    lookup = getattr(block.runtime.service(block, "user"), "get_anonymous_user_id", None)
    course = course_key_of(block)
    if lookup is None or course == "workbench":
        return None
    return lambda username: lookup(username, course)


def author_view(block) -> dict:
    """Studio's author preview (``author_view``): the block's settings, how it grades, its rubric.
    From the block's fields only: no activity row, no learner, nothing written."""
    _ = gettext_for(block)
    found = config.problems(block)
    blocking = any(field not in config.NOT_BLOCKING for field, _error in found)
    deadlines = {}
    for name in config.DUE_FIELDS:
        try:
            deadlines[name] = config.parse_due(getattr(block, name))
        except ValueError:
            deadlines[name] = getattr(block, name)
    return presenter.author(
        block,
        None if blocking else config.activity_settings_of(block),
        [error.translated(_) for _field, error in found],
        labels=config.profile_labels(block, _),
        choices={name: setting_label(block, name) for name in ("pairing_mode", "review_unit", "language")},
        deadlines=deadlines,
        points_possible=block.max_score(),
        _=_,
        ngettext=ngettext_for(block),
    )


def worklist_view(block, caller, activity, settings, data: dict):
    """One page of the trainer's worklist (``data``: the handler's filter, search, order and
    page) and its view-model."""
    status, search, sort = data.get("status") or "all", data.get("search") or "", data.get("sort") or "oldest"
    page = worklist.page(
        activity,
        settings,
        caller,
        status=status,
        search=search,
        sort=sort,
        number=data.get("page") or 1,
        size=data.get("page_size") or 25,
    )
    _ = gettext_for(block)
    vm = presenter.worklist(
        page,
        settings,
        labels=config.profile_labels(block, _),
        uid=uid(block),
        _=_,
        ngettext=ngettext_for(block),
        status=status,
        search=" ".join(search.split()),
        sort=sort,
    )
    return page, vm


def worklist_reply(block, caller, activity, settings, data: dict) -> dict:
    """One page of the trainer's worklist: its JSON (per-status counts, the page's pairs, the
    paging, never the other pairs) and its rendering for the dashboard."""
    page, vm = worklist_view(block, caller, activity, settings, data)
    return {
        **worklist_json(page),
        "html": render_template(block, "pair_review/staff_worklist.html", worklist=vm),
        "message": vm["summary"],
    }


def worklist_json(page) -> dict:
    """The JSON of one worklist page (also what the benchmark weighs)."""
    return {
        "counts": {**page.counts, "inactive_partner": page.inactive_partner},
        "total": page.total,
        "page": page.page,
        "pages": page.pages,
        "page_size": page.page_size,
        "pairs": [
            {
                "pair_id": pair.pair_id,
                "status": page.status[pair.pair_id],
                "members": [
                    {
                        "username": member.username,
                        "profile": member.profile,
                        "inactive": member.inactive,
                        "accuracy": member.accuracy,
                    }
                    for member in pair.members
                ],
                "created_at": pair.created_at.isoformat(),
                "submitted_at": pair.submitted_at.isoformat() if pair.submitted_at else None,
                "reviews": [pair.review_count, pair.reviews_required],
                "grade": pair.grade,
                "grade_source": pair.grade_source,
                "needs_trainer_reason": pair.needs_trainer_reason,
            }
            for pair in page.pairs
        ],
    }
