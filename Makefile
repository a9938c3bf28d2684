# pccgraph: two commands do everything on a fresh machine.
#   make build   create .venv, install, build the graph and views into output/
#   make test    install what the tests need, run them
PYTHON ?= python3
VENV   ?= .venv
PY      = $(VENV)/bin/python
PIP     = $(PY) -m pip -qq --disable-pip-version-check
STAMP   = $(VENV)/.installed

.PHONY: build test install system-deps clean benchmark

build: $(STAMP)
	$(VENV)/bin/pccgraph build

install: $(STAMP)

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(PY)
	$(PIP) install -e '.[test,notebook]'
	touch $@

# Java (HermiT reasoner) and Chromium (browser tests) come from Debian packages.
system-deps:
	@bash .ci/system-deps.sh

test: $(STAMP) system-deps
	$(VENV)/bin/pytest

benchmark: $(STAMP)
	$(PY) benchmarks/build.py
	$(PY) benchmarks/queries.py

clean:
	rm -rf $(VENV) .pytest_cache
