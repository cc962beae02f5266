# The two set-up commands of the README:
#   make run   - install into .venv, build the course archives (then serve the preview, once it exists)
#   make test  - install into .venv with the test extras, then run the whole test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run build test install install-test translations clean system-deps

system-deps:
	./scripts/install_system_deps.sh

$(BIN)/python: | system-deps
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip setuptools wheel

install: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[workbench]'

install-test: system-deps $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'

build: install
	$(BIN)/devisus-course build --lang all

run: build

test: install-test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

translations: install-test
	$(BIN)/python scripts/translations.py compile

clean:
	rm -rf dist build *.egg-info .pytest_cache
