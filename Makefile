# Two entry points: `make demo` and `make test`. Each builds its own virtual
# environment from this project's files, so a fresh machine needs only Python 3.11+.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test lint bench clean

$(BIN)/powcount: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,dev]'
	# An editable install leaves the modules uncompiled; compile them as a regular
	# install does, so no command pays for compiling them (start-up is a target).
	$(BIN)/python -m compileall -q src/powcount
	touch $(BIN)/powcount

demo: $(BIN)/powcount
	$(BIN)/powcount reconcile korea

test: $(BIN)/powcount
	$(BIN)/python -m pytest -q
	$(BIN)/ruff check src tests
	$(BIN)/mypy src

# Benchmarks take a few minutes; `make bench BENCH_ARGS=--quick` runs N = 1e4 and 1e5 only.
bench: $(BIN)/powcount
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
