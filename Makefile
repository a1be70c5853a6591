# `make build` and `make test` do all the set-up on a fresh machine: `build` installs what a
# build needs, `test` (and lint, typecheck, unit, browser) adds the development tools.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --quiet --disable-pip-version-check
# One stamp per set of dependencies: each is installed again only when pyproject.toml changes.
RUNTIME := $(VENV)/.installed-runtime
DEV := $(VENV)/.installed-dev

.PHONY: build test lint typecheck unit browser serve check clean

# The site with its search index; more options, e.g.
# make build BUILD_ARGS="--base-url https://example.org/sub/ --minify"
BUILD_ARGS ?=

build: $(RUNTIME)
	$(BIN)/python build.py build --search $(BUILD_ARGS)

# A new environment gets a current pip, setuptools and wheel: the ones a venv starts with
# are older than pyproject.toml asks for, and warn about it at length.
$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip setuptools wheel

# Editable, so that `chronicle` runs this checkout's code. setuptools then advises, at
# length, that a folder named like the package may shadow it: here it is that package.
QUIET_EDITABLE := PYTHONWARNINGS=ignore::UserWarning:setuptools.command.editable_wheel

$(RUNTIME): pyproject.toml | $(VENV)/bin/python
	$(QUIET_EDITABLE) $(PIP) install -e .
	touch $@

$(DEV): pyproject.toml $(RUNTIME)
	$(QUIET_EDITABLE) $(PIP) install -e '.[dev]'
	touch $@

test: lint typecheck unit

lint: $(DEV)
	$(BIN)/ruff check chronicle tests scripts bench build.py
	$(BIN)/ruff format --check chronicle tests scripts bench build.py

typecheck: $(DEV)
	$(BIN)/mypy

unit: $(DEV)
	$(BIN)/python -m pytest

browser: $(DEV)
	$(BIN)/python -m pytest -m browser

serve: $(RUNTIME)
	$(BIN)/python build.py serve

check: $(RUNTIME)
	$(BIN)/python build.py check

clean:
	rm -rf output .pytest_cache .mypy_cache .ruff_cache
