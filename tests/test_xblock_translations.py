"""The LMS finds each block's translations, whichever lookup its release uses.

The LMS's XBlock i18n service (edx-platform ``xmodule/modulestore/django.py``,
``XBlockI18nService``) opens ``gettext.translation(domain, directory, [to_locale(language)])``
and silently falls back to the platform's own Django catalogs (English for our strings) when
that raises. Where it looks has changed over the releases; both lookups are reproduced here
from the platform's code and run for the three block classes, in French and English:

- Redwood and later (OEP-58): ``get_python_locale`` takes the block class's *root* module
  (``xmodule/modulestore/api.py`` ``get_root_module_name``: ``devisus_xblocks``), prefers an
  atlas-pulled ``conf/plugins-locale/xblock.v1/<root module>/`` (domain ``django``) and
  otherwise opens ``resources.files(<root module>) / "translations"`` (domain ``text``);
- up to Quince: ``pkg_resources.resource_filename(xblock_class.__module__, "translations")``,
  i.e. a ``translations`` folder next to the block's *module* (``devisus_xblocks/glossary/``).

The same lookups run against a wheel built from this checkout, extracted as pip would install
it, so the shipped package (not only this checkout) carries every catalog.
"""

from __future__ import annotations

import gettext
import importlib
import json
import os
import re
import subprocess
import sys
import zipfile
from importlib import resources
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.utils.translation import to_locale

from devisus_course.typography import catalog_spacing

REPO = Path(__file__).resolve().parent.parent
LOCALE_SRC = REPO / "xblocks" / "devisus_xblocks" / "locale_src"
BLOCK_MODULES = {  # the setup.py xblock.v1 entry points (checked below against the wheel's)
    "devisus_glossary": "devisus_xblocks.glossary.block",
    "devisus_pair_review": "devisus_xblocks.pair_review.block",
    "devisus_self_positioning": "devisus_xblocks.positioning.block",
}
LANGUAGES = ("fr", "fr-ca", "en", "en-us")  # what Django's get_language() returns in the LMS


# The platform's lookups ------------------------------------------------------------------------


def root_package_lookup(module_name: str, python_locale_root: Path) -> tuple[str, str]:
    """Redwood on: XBlockI18nService.get_python_locale (openedx-platform
    xmodule/modulestore/django.py) with get_root_module_name and get_python_locale_root
    (xmodule/modulestore/api.py: settings.REPO_ROOT / "conf/plugins-locale/xblock.v1")."""
    root_module = module_name.split(".")[0]
    atlas_path = python_locale_root / root_module
    if atlas_path.is_dir():
        return "django", str(atlas_path)
    with resources.as_file(resources.files(root_module) / "translations") as bundled:
        return "text", str(bundled)


def module_lookup(module_name: str) -> tuple[str, str]:
    """Up to Quince: resource_filename(xblock_class.__module__, 'translations'). pkg_resources'
    DefaultProvider resolves a module name to the folder of the module's file."""
    origin = importlib.util.find_spec(module_name).origin
    return "text", os.path.join(os.path.dirname(origin), "translations")


def lms_translator(lookup: tuple[str, str], language: str) -> gettext.GNUTranslations:
    """XBlockI18nService.__init__: raises OSError where the LMS would fall back to Django."""
    domain, directory = lookup
    return gettext.translation(domain, directory, [to_locale(language)])


def resolve_everywhere(module_names, python_locale_root: Path) -> dict:
    """For each module, lookup and language: (catalog file found, translation of its title)."""
    results = {}
    for module_name in module_names:
        title = importlib.import_module(module_name).DEFAULT_TITLE
        for lookup_name, lookup in (
            ("root package", root_package_lookup(module_name, python_locale_root)),
            ("module", module_lookup(module_name)),
        ):
            for language in LANGUAGES:
                translator = lms_translator(lookup, language)
                found = [path for path in Path(lookup[1]).rglob(f"{lookup[0]}.mo")]
                results[f"{module_name} {lookup_name} {language}"] = {
                    "directory": lookup[1],
                    "catalogs": sorted(str(path) for path in found),
                    "title": title,
                    "translated": translator.gettext(title),
                }
    return results


# Tests -----------------------------------------------------------------------------------------


def french(msgid: str) -> str:
    """The French string as the LMS shows it: the .po's translation, with the no-break spaces
    that `scripts/translations.py compile` adds."""
    for po in sorted((LOCALE_SRC / "fr").glob("*.po")):
        with po.open("rb") as handle:
            message = read_po(handle, locale="fr").get(msgid)
        if message is not None and message.string:
            return catalog_spacing(message.string)
    raise AssertionError(f"{msgid!r} has no French translation in locale_src")


def check_results(results: dict, inside: Path) -> None:
    assert len(results) == len(BLOCK_MODULES) * 2 * len(LANGUAGES)
    for key, result in results.items():
        assert Path(result["directory"]).is_relative_to(inside), key
        expected = french(result["title"]) if " fr" in key else result["title"]
        assert result["translated"] == expected, key
        assert expected != result["title"] or " en" in key


def test_every_lookup_finds_every_block_catalog_in_french_and_english(tmp_path):
    # No atlas-pulled catalogs (an empty conf/plugins-locale): the bundled ones must be found.
    results = resolve_everywhere(BLOCK_MODULES.values(), tmp_path / "conf" / "plugins-locale" / "xblock.v1")
    check_results(results, REPO / "xblocks" / "devisus_xblocks")
    for key, result in results.items():
        if " module " in key:  # each block's own folder, not the package's
            block = key.split(".")[1]
            assert Path(result["directory"]).parent.name == block, key


def test_english_learners_get_our_catalog_not_the_platform_fallback(tmp_path):
    # gettext.translation raises (and the LMS falls back to its Django catalogs) unless a
    # catalog exists for the language; the English one is an identity catalog.
    for module_name in BLOCK_MODULES.values():
        for lookup in (root_package_lookup(module_name, tmp_path), module_lookup(module_name)):
            english = lms_translator(lookup, "en")
            assert english.ngettext("%(count)s term", "%(count)s terms", 1) == "%(count)s term"
            assert english.ngettext("%(count)s term", "%(count)s terms", 2) == "%(count)s terms"
            with pytest.raises(OSError):
                lms_translator(lookup, "de")  # a language we do not ship: the platform's fallback


def test_an_atlas_pull_would_take_precedence_under_the_root_module_name(tmp_path):
    # An institution translating through its own openedx-translations fork: `atlas pull` writes
    # conf/plugins-locale/xblock.v1/<root module>/<lang>/LC_MESSAGES/django.po (then compiled).
    root = tmp_path / "xblock.v1"
    (root / "devisus_xblocks" / "fr" / "LC_MESSAGES").mkdir(parents=True)
    bundled = REPO / "xblocks" / "devisus_xblocks" / "translations" / "fr" / "LC_MESSAGES" / "django.mo"
    (root / "devisus_xblocks" / "fr" / "LC_MESSAGES" / "django.mo").write_bytes(bundled.read_bytes())
    for module_name in BLOCK_MODULES.values():
        lookup = root_package_lookup(module_name, root)
        assert lookup == ("django", str(root / "devisus_xblocks"))
        title = importlib.import_module(module_name).DEFAULT_TITLE
        assert lms_translator(lookup, "fr").gettext(title) == french(title)


def test_no_block_needs_a_javascript_catalog():
    # The LMS serves a compiled JS catalog only to blocks declaring i18n_js_namespace, and only
    # from atlas-pulled translations (edx-platform xmodule/modulestore/django.py
    # get_javascript_i18n_catalog_url, compile_xblock_translations). Our scripts show strings
    # translated in Python (js_args["messages"]) and never call a JS gettext.
    for module_name in BLOCK_MODULES.values():
        module = importlib.import_module(module_name)
        block_class = next(
            value for value in vars(module).values() if isinstance(value, type) and value.__module__ == module_name
        )
        assert block_class.get_i18n_js_namespace() is None
    for script in (REPO / "xblocks" / "devisus_xblocks" / "public" / "js").glob("*.js"):
        assert not re.search(r"\b(?:gettext|ngettext|interpolate)\s*\(", script.read_text(encoding="utf-8")), script


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """A wheel built from a copy of this checkout (the files git would ship)."""
    source = tmp_path_factory.mktemp("source")
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard", "--", "setup.py", "README.md", "devisus_course", "xblocks"],
        cwd=REPO,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    for name in listed:
        if (REPO / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            (source / name).write_bytes((REPO / name).read_bytes())
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(source)],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("*.whl")
    return built


def test_the_wheel_ships_every_catalog(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
        declared = archive.read(entry_points).decode()
    for tag, module_name in BLOCK_MODULES.items():
        assert f"{tag} = {module_name}:" in declared
        block_dir = module_name.rsplit(".", 1)[0].replace(".", "/")
        for language in ("fr", "en"):
            assert f"devisus_xblocks/translations/{language}/LC_MESSAGES/text.mo" in names
            assert f"{block_dir}/translations/{language}/LC_MESSAGES/text.mo" in names


def test_the_installed_wheel_resolves_every_lookup(wheel, tmp_path):
    installed = tmp_path / "site-packages"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(installed)
    script = f"""
import importlib.util, json, sys
from pathlib import Path
spec = importlib.util.spec_from_file_location("lookups", {str(Path(__file__))!r})
lookups = importlib.util.module_from_spec(spec)
spec.loader.exec_module(lookups)
import devisus_xblocks
assert Path(devisus_xblocks.__file__).is_relative_to({str(installed)!r}), devisus_xblocks.__file__
print(json.dumps(lookups.resolve_everywhere({list(BLOCK_MODULES.values())!r}, Path({str(tmp_path)!r}) / "none")))
"""
    env = {
        **os.environ,
        "PYTHONPATH": str(installed),
        "DJANGO_SETTINGS_MODULE": "devisus_course.preview.settings",
        "DEVISUS_PREVIEW_DATA": str(tmp_path / "var"),
    }
    env.pop("DEVISUS_DATABASE_URL", None)
    setup = "import django; django.setup()\n"
    reply = subprocess.run(
        [sys.executable, "-c", setup + script], cwd=tmp_path, env=env, capture_output=True, text=True, check=False
    )
    assert reply.returncode == 0, reply.stderr
    check_results(json.loads(reply.stdout), installed / "devisus_xblocks")
