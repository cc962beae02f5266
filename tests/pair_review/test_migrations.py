"""The committed migrations match the models (checked on whichever database the suite runs on)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_missing_migrations():
    out = StringIO()
    call_command("makemigrations", "devisus_pair_review", "--check", "--dry-run", stdout=out, stderr=out)
    assert "No changes detected" in out.getvalue()
