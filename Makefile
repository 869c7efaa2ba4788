# jettycfg developer commands. `make demo` and `make test` are the README's quick start.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test check bench clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: install
	$(BIN)/jettycfg lint --base samples/joc-2.7/jetty_base --jetty-version 11 \
	    --client-cert samples/clients/root.crt --client-cert samples/clients/demo-operator.crt \
	    --account root --account demo-operator
	@echo
	$(BIN)/jettycfg lint --base samples/joc-2.4/jetty_base --jetty-version 9.4.57 \
	    --client-cert samples/clients/root.crt --account root --fail-on never
	@echo
	$(BIN)/jettycfg client-auth want --base samples/joc-2.4/jetty_base --jetty-version 9.4.57 --dry-run

test: install
	$(BIN)/python -m pytest

check: install
	$(BIN)/ruff check jettycfg tests bench tools
	$(BIN)/ruff format --check jettycfg tests bench tools
	$(BIN)/mypy --strict jettycfg

bench: install
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
