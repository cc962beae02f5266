# The two set-up commands of the README:
#   make run   - install into .venv, build and validate the course archives, then serve the preview
#   make test  - install everything the tests need (Debian packages, .venv with the test extras,
#                axe-core from npm), then run the whole test suite, browser tests included
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run build test install install-test translations clean system-deps system-deps-test

system-deps:
	./scripts/install_system_deps.sh run

system-deps-test:
	./scripts/install_system_deps.sh test

$(BIN)/python: | system-deps
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip setuptools wheel

install: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[workbench]'

install-test: system-deps-test $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	npm install --no-audit --no-fund --silent

build: install
	$(BIN)/devisus-course build --lang all

run: build
	$(BIN)/devisus-course serve $(SERVE_ARGS)

test: install-test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

translations: install-test
	$(BIN)/python scripts/translations.py compile

clean:
	rm -rf dist build *.egg-info .pytest_cache test-artifacts
