"""The package installs beside Open edX's own pins and runs the tests against them.

requirements/constraints/openedx.txt copies edx-platform's pins (requirements/edx/base.txt) for
the libraries we share with the platform. An install that respects them must be possible (our
ranges admit every pin), and CI really runs in that environment (the installed versions are the
pinned ones): otherwise a green CI says nothing about an institution's LMS.
"""

from __future__ import annotations

import ast
import os
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
CONSTRAINTS = ROOT / "requirements" / "constraints" / "openedx.txt"


def _pins() -> dict[str, str]:
    pins = {}
    for line in CONSTRAINTS.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, version = line.split("==")
            pins[canonicalize_name(name)] = version
    return pins


def _setup_requirements() -> list[Requirement]:
    """Every requirement string in setup.py (install_requires, extras, module-level lists)."""
    tree = ast.parse((ROOT / "setup.py").read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
            if any(op in text for op in (">=", "<", "==")):
                try:
                    found.append(Requirement(text))
                except InvalidRequirement:
                    continue  # python_requires, prose
    return found


def test_constraints_name_the_platform_pins_we_depend_on():
    pins = _pins()
    for core in ("xblock", "django", "edx-submissions", "lxml", "jinja2", "web-fragments"):
        assert core in pins, f"{core} is pinned by edx-platform and used here: keep its pin"
    assert pins["xblock"] == "5.3.0"


def test_every_range_in_setup_admits_the_platform_pin():
    pins = _pins()
    requirements = _setup_requirements()
    checked = 0
    for requirement in requirements:
        pin = pins.get(canonicalize_name(requirement.name))
        if pin is None:
            continue
        checked += 1
        assert requirement.specifier.contains(pin, prereleases=True), (
            f"setup.py asks for {requirement} but Open edX pins {requirement.name}=={pin}: "
            "an install beside the platform would fail or change the platform's own library"
        )
    assert checked >= 6, "setup.py's requirements were not found"


@pytest.mark.skipif(
    not os.environ.get("DEVISUS_EXPECT_PLATFORM_PINS"),
    reason="only where the environment was installed with the constraints (make test, CI)",
)
def test_the_tests_run_on_the_platform_versions():
    mismatches = {}
    for name, version in _pins().items():
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue  # a pinned library we do not install in this environment
        if installed != version:
            mismatches[name] = (installed, version)
    assert not mismatches, f"installed versions differ from Open edX's pins: {mismatches}"
    assert metadata.version("xblock") == "5.3.0"
