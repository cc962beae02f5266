# The two set-up commands of the README:
#   make run   - install into .venv, build and validate the course archives, then serve the preview
#   make test  - install everything the tests need (Debian packages, .venv with the test extras at
#                the Open edX pins, axe-core from npm), check lint and format (ruff), then run the
#                whole test suite, browser tests included
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# The versions Open edX pins for the libraries we share with it: the preview and the tests run
# against exactly what an institution's LMS and Studio have (see the file's header).
CONSTRAINTS ?= requirements/constraints/openedx.txt
# Build constraints: loremipsum (required by ORA2) ships no wheel and its setup.py needs pkg_resources.
BUILD_CONSTRAINTS ?= requirements/constraints/build.txt
PIP_INSTALL := $(BIN)/python -m pip install --quiet -c $(CONSTRAINTS) --build-constraint $(BUILD_CONSTRAINTS)
# setuptools below 81: fs, pinned by the platform and imported by xblocks-contrib, still declares
# its namespace through pkg_resources, which setuptools 81 removed.
SETUPTOOLS := 'setuptools<81'

.PHONY: run build test lint install install-test translations clean system-deps system-deps-test

system-deps:
	./scripts/install_system_deps.sh run

system-deps-test:
	./scripts/install_system_deps.sh test

$(BIN)/python: | system-deps
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip $(SETUPTOOLS) wheel

install: $(BIN)/python
	$(PIP_INSTALL) $(SETUPTOOLS) -e '.[workbench]'

install-test: system-deps-test $(BIN)/python
	$(PIP_INSTALL) $(SETUPTOOLS) -e '.[test]'
	npm install --no-audit --no-fund --silent

build: install
	$(BIN)/devisus-course build --lang all

run: build
	$(BIN)/devisus-course serve $(SERVE_ARGS)

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: install-test lint
	DEVISUS_EXPECT_PLATFORM_PINS=1 $(BIN)/python -m pytest $(PYTEST_ARGS)

translations: install-test
	$(BIN)/python scripts/translations.py compile

clean:
	rm -rf dist build *.egg-info .pytest_cache test-artifacts
