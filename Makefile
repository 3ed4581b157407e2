# xbsim developer and user commands. `make run` and `make test` create or reuse .venv (Python >= 3.12, found by
# scripts/find-python.sh) and install the project into it before doing anything else.
# `make run` = the feasibility estimate of the default programme (xbsim experiment=feasibility).
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.xbsim-installed
ARGS ?=
TEST_WORKERS ?= 2

.PHONY: run test lint install bench clean

run: $(STAMP)
	$(VENV)/bin/xbsim experiment=feasibility $(ARGS)

# The whole suite (what CI runs), on $(TEST_WORKERS) processes (pytest-xdist; a test file's tests stay together in
# one process, which keeps their module-scoped runs shared; TEST_WORKERS=0: one process), then the tests that
# assert wall-clock times (marker timing) alone, so that no other test shares the CPU with them (status 5: none
# selected by ARGS). A quick local run without the slow tests: make test ARGS='-m "not slow"'.
test: $(STAMP)
	$(PY) -m pytest -q -n $(TEST_WORKERS) --dist loadfile --timing=skip $(ARGS)
	$(PY) -m pytest -q --timing=only $(ARGS) || [ $$? -eq 5 ]

# ruff, the layers contract (import-linter, pyproject.toml) and pylint's duplicate-code check.
lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/pylint --disable=all --enable=duplicate-code xbsim

bench: $(STAMP)
	$(PY) benchmarks/bench_model.py
	$(PY) benchmarks/bench_process.py
	$(PY) benchmarks/bench_sweep.py

install: $(STAMP)

# Reinstalls when pyproject.toml or this file (the install line) changes. The ray extra (the Ray launcher, tested by
# tests/test_launchers.py) is installed too; it pins joblib < 1.6 (hydra-ray-launcher needs cloudpickle < 3).
$(STAMP): pyproject.toml Makefile
	@if [ ! -x "$(PY)" ] || ! "$(PY)" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
	  PYBIN=$$(scripts/find-python.sh) || exit 1; \
	  echo "creating $(VENV) with $$PYBIN"; \
	  rm -rf "$(VENV)"; "$$PYBIN" -m venv "$(VENV)" || exit 1; \
	fi
	$(PY) -m pip install -q --disable-pip-version-check --upgrade pip
	$(PY) -m pip install -q --disable-pip-version-check -e '.[dev,ray]'
	@touch $(STAMP)

clean:
	rm -rf $(VENV) outputs multirun .pytest_cache .ruff_cache
