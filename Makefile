# The two commands a newcomer needs: `make demo` (the main job) and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
LINT_DIRS := $(wildcard src tests scripts benchmarks examples)

.PHONY: install generate check-generated lint test test-all demo build bench clean

install: $(STAMP)

# Re-install when the dependency list changes; a fresh clone gets everything it needs here.
$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[server,dev]'
	touch $(STAMP)

generate: install
	$(PY) scripts/generate.py --write

check-generated: install
	$(PY) scripts/generate.py --check

lint: install
	$(VENV)/bin/ruff check $(LINT_DIRS)
	$(VENV)/bin/ruff format --check $(LINT_DIRS)
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

test: install check-generated lint
	$(VENV)/bin/pytest -q

# The suite on every supported Python (pyenv's 3.10-3.13 here), each in its own venv; `make test` stays on one.
TEST_ALL_VERSIONS ?= 3.10.13 3.11.7 3.12.1 3.13.0
test-all: check-generated lint
	set -e; for v in $(TEST_ALL_VERSIONS); do \
	  venv=.venv-$$v; \
	  test -x $$venv/bin/python || PYENV_VERSION=$$v python -m venv $$venv; \
	  $$venv/bin/python -m pip install --quiet --upgrade pip; \
	  $$venv/bin/python -m pip install --quiet -e '.[server,test]'; \
	  echo "== Python $$v"; $$venv/bin/python -m pytest -q -p no:cacheprovider; \
	done

demo: install
	$(PY) examples/demo.py

bench: install
	$(PY) benchmarks/run_all.py

build: install
	rm -rf dist
	$(PY) -m build --outdir dist .
	rm -rf .build-venv
	$(PYTHON) -m venv .build-venv
	.build-venv/bin/python -m pip install --quiet dist/*.whl
	cd /tmp && $(CURDIR)/.build-venv/bin/python -c "import methodic, methodic_api; print('methodic', methodic.__version__, 'imports from', methodic.__file__)"
	rm -rf .build-venv

clean:
	rm -rf $(VENV) .venv-3.* .build-venv dist build .mypy_cache .ruff_cache
