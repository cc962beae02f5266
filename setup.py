"""One distribution: the devisus-course CLI (builder, validator, framework data) and the XBlocks."""

import re
from pathlib import Path

from setuptools import find_namespace_packages, setup

# One version, kept in the package (devisus_course.__version__) and read here.
VERSION = re.search(r'__version__ = "([^"]+)"', Path("devisus_course/__init__.py").read_text(encoding="utf-8")).group(1)

# Namespace packages: data folders (course source, templates, locale) ship as package data.
XBLOCK_PACKAGES = find_namespace_packages("xblocks", include=["devisus_xblocks*"])

# Ranges admit the versions Open edX pins (requirements/constraints/openedx.txt): an install beside
# the platform must never upgrade or downgrade one of its core libraries.
# The course author's tools check and play problems with the real Open edX problem engine (capa),
# which ships in xblocks-contrib from 0.13 (extracted from edx-platform's xmodule/capa). The LMS of
# the current release still pins an earlier xblocks-contrib (0.10.2, without capa) and keeps its own
# copy of capa: this is why the engine is an extra of the authoring tools, never a requirement of
# the XBlocks installed beside the platform.
AUTHORING = ["xblocks-contrib>=0.13.1,<0.14"]
# The preview runs the module 5 workshop with the platform's own open-response block (ORA2, which
# brings edx-submissions); the range admits the ora2 that edx-platform pins (6.17.x).
ORA2 = ["ora2>=6.17,<7"]
WORKBENCH = ["xblock-sdk>=0.12,<0.15", "XBlock[django]>=5.2,<7", *AUTHORING, *ORA2]
TEST = WORKBENCH + [
    "pytest>=8,<10",
    "pytest-django>=4.9,<5",
    "Babel>=2.14,<3",  # translation catalogs: extraction, checks and compilation
    "mysqlclient>=2.2,<3",  # tests of shared state run on MariaDB in CI, like Open edX on MySQL
    "edx-submissions>=3.12,<5",  # the gradebook path of the pair-review block
    "celery>=5.4,<6",  # the LMS's workers: the pair-review grade-publishing task
    "playwright>=1.45,<2",  # browser tests, driving Debian's chromium (never a downloaded one)
    "ruff>=0.6,<1",  # lint and format, checked by `make test`
]

setup(
    name="devisus-course",
    version=VERSION,
    description=(
        "DEVISUS course package for Open edX: course builder and validator, framework data "
        "(principles, glossary, competences) and XBlocks for theoretician-practitioner pairs."
    ),
    long_description=open("README.md", encoding="utf-8").read(),
    long_description_content_type="text/markdown",
    license="AGPL-3.0",
    python_requires=">=3.11",
    packages=find_namespace_packages(include=["devisus_course*"]) + XBLOCK_PACKAGES,
    package_dir={pkg: "xblocks/" + pkg.replace(".", "/") for pkg in XBLOCK_PACKAGES},
    include_package_data=True,
    package_data={
        "devisus_course": [
            "framework_data/*.yaml",
            "content/*.md",
            "content/*.yaml",
            "content/*/*.yaml",
            "content/*/*.md",
            "content/*/modules/*/*",
            "templates/olx/*",
            "templates/olx/*/*",
            "templates/preview/*",
            "preview/static/devisus_preview/*",
            "preview/static/images/*",  # the LMS's spinner, which the problem block's inputs show
            "locale/*/LC_MESSAGES/*",
        ],
        "devisus_xblocks": [
            "templates/*",
            "templates/*/*",
            "public/*/*",
            # text.mo where every LMS release looks for it: the package's translations/ (Redwood
            # on) and each block module's own <block>/translations/ (earlier releases).
            "translations/*/LC_MESSAGES/*",
            "*/translations/*/LC_MESSAGES/*",
            "locale_src/*/*",
        ],
    },
    install_requires=[
        "XBlock>=5.2,<7",
        "Django>=4.2,<6",
        "Jinja2>=3.1,<4",
        "lxml>=5.0,<7",
        "PyYAML>=6.0,<7",
        "markdown-it-py>=3.0,<5",
        "olxcleaner>=0.3,<0.4",
        "web-fragments>=2.2,<5",
    ],
    extras_require={
        # The xblock-sdk workbench behind `devisus-course serve` (the extra brings
        # openedx-django-pyfs, which the workbench settings need and xblock-sdk does not declare).
        "workbench": WORKBENCH,
        "authoring": AUTHORING,
        "mysql": ["mysqlclient>=2.2,<3"],
        "test": TEST,
        "dev": TEST,
    },
    entry_points={
        "console_scripts": [
            "devisus-course = devisus_course.cli:main",
        ],
        "xblock.v1": [
            "devisus_glossary = devisus_xblocks.glossary.block:GlossaryBlock",
            "devisus_pair_review = devisus_xblocks.pair_review.block:PairReviewBlock",
            "devisus_self_positioning = devisus_xblocks.positioning.block:SelfPositioningBlock",
        ],
        # Open edX plugin apps: the models shared between learners, in the LMS and in Studio.
        "lms.djangoapp": [
            "devisus_pair_review = devisus_xblocks.pair_review.apps:PairReviewConfig",
            "devisus_positioning = devisus_xblocks.positioning.apps:PositioningConfig",
        ],
        "cms.djangoapp": [
            "devisus_pair_review = devisus_xblocks.pair_review.apps:PairReviewConfig",
            "devisus_positioning = devisus_xblocks.positioning.apps:PositioningConfig",
        ],
    },
    classifiers=[
        "Framework :: Django",
        "Programming Language :: Python :: 3",
        "Programming Language :: Python :: 3.11",
        "Programming Language :: Python :: 3.12",
        "Natural Language :: French",
        "Natural Language :: English",
    ],
)
