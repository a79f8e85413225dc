# The two commands the README gives: `make setup` (environment + quick start) and `make test`.
# .ci/run uses exactly these. Every package is pinned by a constraints file in constraints/, so
# pip installs without searching for a compatible set (no resolver backtracking).

PYTHON ?= python3
VENV ?= .venv
AIRFLOW_VERSION ?= 3.3.2
PY_VERSION := $(shell $(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])')
CONSTRAINTS ?= constraints/airflow-$(AIRFLOW_VERSION)-python$(PY_VERSION).txt
BIN := $(VENV)/bin
EXTRAS ?= dev

.PHONY: setup env quickstart test test-unit test-e2e test-oldest-driver lint wheel constraints

## Create the environment from the constraints file, then run the quick start on the emulator.
setup: env quickstart

env:
	@test -f "$(CONSTRAINTS)" || { echo "no constraints file $(CONSTRAINTS) for Python $(PY_VERSION)" \
	  "and Airflow $(AIRFLOW_VERSION); see constraints/" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c "$(CONSTRAINTS)" -e ".[$(EXTRAS)]"

quickstart:
	$(BIN)/python scripts/run_schema_refresh_on_emulator.py

## The test suite, then the end-to-end suite (real Airflow processes on PostgreSQL).
test: test-unit test-e2e

test-unit:
	$(BIN)/python -m pytest -q -p no:cacheprovider

test-e2e:
	$(BIN)/python -m pytest -q -p no:cacheprovider -m e2e tests/e2e

## The emulator's server and the driver-facing tests with the oldest python-oracledb pyproject
## allows (the constraints file with only oracledb's pin lowered), in a venv of its own.
OLDEST_ORACLEDB := $(shell sed -n 's/^ *"oracledb>=\([0-9.]*\)".*/\1/p' pyproject.toml)
OLD_DRIVER_VENV ?= .venv-oracledb-$(OLDEST_ORACLEDB)
test-oldest-driver:
	@test -n "$(OLDEST_ORACLEDB)" || { echo "no oracledb>= lower bound in pyproject.toml" >&2; exit 1; }
	$(PYTHON) -m venv $(OLD_DRIVER_VENV)
	sed 's/^oracledb==.*/oracledb==$(OLDEST_ORACLEDB)/' "$(CONSTRAINTS)" > $(OLD_DRIVER_VENV)/constraints.txt
	$(OLD_DRIVER_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(OLD_DRIVER_VENV)/bin/python -m pip install --quiet -c $(OLD_DRIVER_VENV)/constraints.txt -e ".[tests]"
	$(OLD_DRIVER_VENV)/bin/python -c "import oracledb; print('python-oracledb', oracledb.__version__)"
	$(OLD_DRIVER_VENV)/bin/python -m pytest -q -p no:cacheprovider tests/testing tests/independent_client

lint:
	$(BIN)/ruff check airflow_datapump tests example_dags benchmarks scripts
	$(BIN)/ruff format --check airflow_datapump tests example_dags benchmarks scripts
	$(BIN)/mypy --strict airflow_datapump

## The wheel to install elsewhere (dist/), built from this checkout.
wheel:
	$(BIN)/python -m pip wheel --quiet --no-deps --wheel-dir dist .

## Re-pin after a change to pyproject.toml's dependencies (from an environment that works).
## A pin with a comment above it was chosen by hand (3.0.6's PyJWT 2.10.1 and FastAPI before
## 0.132, without which 3.0.6 cannot log in or start a task): it and its comment are kept, not
## replaced by the freeze (scripts/pin_constraints.py).
constraints:
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^airflow-datapump' \
	  | $(PYTHON) scripts/pin_constraints.py "$(CONSTRAINTS)" "$(AIRFLOW_VERSION)" "$(PY_VERSION)"
