"""Retirement (GDPR): the USER_RETIRE_LMS_MISC receiver deletes the learner's positionings."""

from __future__ import annotations

import sys
import types

import pytest
from django.dispatch import Signal

from devisus_xblocks.positioning import signals, store
from devisus_xblocks.positioning.answers import Answers
from devisus_xblocks.positioning.apps import PositioningConfig
from devisus_xblocks.positioning.models import Positioning

KEY = store.RoundKey("course-v1:Org+C+1", "devisus-principles", "before")


class _AnonymousUserIdStandIn:
    """The LMS's student.models.AnonymousUserId, reduced to the query the receiver makes."""

    rows: list[tuple[object, str]] = []

    class objects:  # noqa: N801 - shaped like a Django manager
        @staticmethod
        def filter(user):
            ids = [anonymous_id for owner, anonymous_id in _AnonymousUserIdStandIn.rows if owner is user]
            return types.SimpleNamespace(values_list=lambda field, flat: ids)


@pytest.fixture
def lms_anonymous_ids(monkeypatch):
    module = types.ModuleType("common.djangoapps.student.models")
    module.AnonymousUserId = _AnonymousUserIdStandIn
    for name in ("common", "common.djangoapps", "common.djangoapps.student"):
        monkeypatch.setitem(sys.modules, name, types.ModuleType(name))
    monkeypatch.setitem(sys.modules, "common.djangoapps.student.models", module)
    _AnonymousUserIdStandIn.rows = []
    return _AnonymousUserIdStandIn.rows


@pytest.mark.django_db
def test_the_signal_receiver_deletes_the_retired_users_rows(lms_anonymous_ids):
    retired, kept = object(), object()
    lms_anonymous_ids += [(retired, "anon-course-1"), (retired, "anon-course-2"), (kept, "anon-kept")]
    for learner in ("anon-course-1", "anon-course-2", "anon-kept"):
        store.submit(KEY, learner, Answers({"Pr1": 3}, {}))
    signal = Signal()
    assert signals.connect_retirement(signal)

    signal.send(sender=None, user=retired)

    assert list(Positioning.objects.values_list("learner", flat=True)) == ["anon-kept"]


def test_outside_the_lms_there_is_nothing_to_connect_or_resolve():
    assert signals.connect_retirement() is False
    assert signals.anonymous_ids_of(object()) == []


def test_the_plugin_framework_connects_the_receiver_to_the_platform_signal():
    receivers = PositioningConfig.plugin_app["signals_config"]["lms.djangoapp"]["receivers"]
    assert receivers == [
        {
            "receiver_func_name": "on_user_retire",
            "signal_path": signals.RETIREMENT_SIGNAL,
            "dispatch_uid": signals.DISPATCH_UID,
        }
    ]
    assert callable(getattr(signals, receivers[0]["receiver_func_name"]))
