# motcua: `make demo` runs the product, `make test` runs the whole suite.
VENV   ?= .venv
PY     := $(VENV)/bin/python
PORT   ?= 8000
VAR    := $(or $(MOTCUA_VAR_DIR),var)
# Every manage.py run here is the demo's or a developer's: the published demo key is allowed (settings.py).
# A production release step runs manage.py itself, with DJANGO_SECRET_KEY (docs/deployment.md).
export MOTCUA_DEMO ?= 1
# collectstatic hashes and compresses ~1,100 files (30 s on a busy machine): only when they may have changed.
STATIC_STAMP   := $(VAR)/static/.collected
STATIC_SOURCES := $(shell find src/motcua -path '*/static/*' -type f 2>/dev/null)


.PHONY: demo setup install test browser ocr lint types check-migrations openapi openapi-check messages clean

demo: setup
	PORT=$(PORT) VENV=$(VENV) scripts/serve-demo

# Creates the virtual environment, migrates, collects static files, loads the demo province and a year of
# history (10,000 synthetic dossiers, daily and monthly counts rebuilt). Idempotent: a second run changes
# nothing.
setup: install ocr $(STATIC_STAMP)
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py createcachetable
	$(PY) manage.py load_demo --quiet-logins
	$(PY) manage.py load_demo_history

$(STATIC_STAMP): $(VENV)/.installed $(STATIC_SOURCES)
	$(PY) manage.py collectstatic --noinput -v0
	@touch $@

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || "$$(scripts/find-python)" -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	@touch $@

browser:
	@scripts/ensure-test-tools

# Text recognition of scans (Tesseract, Vietnamese): installed when possible, else one line says it is off.
ocr:
	@scripts/ensure-ocr-tools

test: install browser
	$(VENV)/bin/pytest --ds=motcua.test_settings $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/ruff format --check src tests bench

types: install
	$(VENV)/bin/mypy

check-migrations: install
	$(PY) manage.py makemigrations --check --dry-run

openapi: install
	$(PY) manage.py spectacular --file openapi.yaml --validate --fail-on-warn

openapi-check: install
	$(PY) manage.py spectacular --file $(VENV)/openapi.check.yaml --validate --fail-on-warn
	diff -u openapi.yaml $(VENV)/openapi.check.yaml

messages: install
	cd src/motcua && ../../$(PY) ../../manage.py makemessages -l vi --no-obsolete --no-location --ignore "*/tests/*" --ignore test_settings.py
	$(PY) scripts/compile_messages.py

clean:
	rm -rf $(VENV) var
