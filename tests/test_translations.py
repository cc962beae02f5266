"""Every UI string is in the French catalogs, translated, and the shipped .mo files are current."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from devisus_course.i18n import translations

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "translations.py"


def _script():
    spec = importlib.util.spec_from_file_location("translations_script", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_catalogs_are_complete_and_compiled():
    assert _script().problems() == []


def test_extraction_finds_the_strings_it_must_check():
    # Guards the check above against silently extracting nothing.
    script = _script()
    assert "Learning objectives" in script.BUILDER.extracted()
    assert "Only course staff can do this." in script.XBLOCKS.extracted()


def test_builder_catalog_is_loaded_at_run_time():
    assert translations("fr").gettext("Learning objectives") == "Objectifs d'apprentissage"
    assert translations("en").gettext("Learning objectives") == "Learning objectives"
