# The two commands a newcomer needs: `make demo` (the main job) and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
LINT_DIRS := $(wildcard src tests scripts benchmarks examples)

DEMO_STAMP := $(VENV)/.installed-demo
# The floor of `make test` (and of everything else on the dev extra): openapi-python-client 0.29.1, the
# generator `make check-generated` runs, needs Python 3.11. The SDK itself, and `make demo`, need 3.10.
DEV_PYTHON_FLOOR := 3.11

.PHONY: test-fast install install-demo generate check-generated lint docs docs-serve test test-all demo build bench clean

install: $(STAMP)

# Re-install when the dependency list changes; a fresh clone gets everything it needs here. The floor is
# checked on the Python that would run (the venv's, else $(PYTHON)) before anything is installed.
$(STAMP): pyproject.toml
	@py=$(PYTHON); test -x $(PY) && py=$(PY); \
	$$py -c 'import sys; sys.exit(sys.version_info < tuple(map(int, "$(DEV_PYTHON_FLOOR)".split("."))))' || { \
	  echo "make test needs Python $(DEV_PYTHON_FLOOR)+ (its code generator, openapi-python-client, does);" \
	       "$$py is Python $$($$py -c 'import platform; print(platform.python_version())')." >&2; \
	  echo "Use a newer one: rm -rf $(VENV) && make test PYTHON=python$(DEV_PYTHON_FLOOR)" \
	       "(the SDK and make demo work from Python 3.10)." >&2; \
	  exit 1; }
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

# The docs site (mkdocs.yml, docs/) into site/; --strict makes every warning (a broken link, an API
# reference that does not resolve) an error. `make docs-serve` previews it on http://127.0.0.1:8000.
docs: install
	NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs build --strict --quiet --site-dir site

docs-serve: install
	NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs serve

test: install check-generated lint docs
	$(VENV)/bin/pytest -q

# The quick loop while working: everything but the torchrun tests and the slow ones (kill -9 loops, huge
# components, watchdog waits). `make test` still runs all of it.
test-fast: install
	$(VENV)/bin/pytest -q -m "not distributed and not slow"

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

# Only what the demo needs (the `demo` extra: the local server and numpy), on Python 3.10-3.13; says so first.
DEMO_PACKAGES := methodic (editable, with httpx, attrs, PyYAML, tqdm), starlette, uvicorn, openapi-core, numpy
install-demo: $(DEMO_STAMP)

$(DEMO_STAMP): pyproject.toml
	@echo "make demo: installing into $(VENV)/ (the 'demo' extra, about 120 MB): $(DEMO_PACKAGES)"
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[demo]'
	touch $(DEMO_STAMP)

demo: install-demo
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
	rm -rf $(VENV) .venv-3.* .build-venv dist build site .mypy_cache .ruff_cache
