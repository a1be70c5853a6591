# `make build` and `make test` do all the set-up on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: build test lint typecheck unit browser serve check clean

# The site with its search index; more options, e.g.
# make build BUILD_ARGS="--base-url https://example.org/sub/ --minify"
BUILD_ARGS ?=

build: $(STAMP)
	$(BIN)/python build.py build --search $(BUILD_ARGS)

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall whenever the pinned dependencies change.
$(STAMP): pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

test: lint typecheck unit

lint: $(STAMP)
	$(BIN)/ruff check chronicle tests scripts bench build.py
	$(BIN)/ruff format --check chronicle tests scripts bench build.py

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/python -m pytest

browser: $(STAMP)
	$(BIN)/python -m pytest -m browser

serve: $(STAMP)
	$(BIN)/python build.py serve

check: $(STAMP)
	$(BIN)/python build.py check

clean:
	rm -rf output .pytest_cache .mypy_cache .ruff_cache
