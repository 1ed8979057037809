# Two commands on a fresh machine: `make run` (the site with demo data) and `make test`.
PYTHON ?= $(shell scripts/find-python)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run serve backup restore test test-postgres lint lint-imports format migrations-check deploy-check clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)
	@command -v redis-server >/dev/null 2>&1 || echo "redis-server is not installed:" \
	    "the Redis tests are skipped (apt-get install redis-server)" >&2
	@$(BIN)/python scripts/check-pango 2>/dev/null || echo "Pango is not installed: the papers (PDF) cannot" \
	    "be made. Install it with: apt-get install libpango-1.0-0 libpangoft2-1.0-0" >&2

# The development server, with debug on (the settings default to off).
run: export DJANGO_DEBUG = true
run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py create_demo_login --url http://$(HOST):$(PORT)/admin/
	SITE_URL="$${SITE_URL:-http://$(HOST):$(PORT)}" scripts/run $(HOST):$(PORT)

# Production setup: DEBUG off, WhiteNoise, gunicorn (docs/deployment.md).
serve: install
	GUNICORN_BIND="$${GUNICORN_BIND:-$(HOST):$(PORT)}" scripts/serve

# Back up / restore the database of DATABASE_URL and the uploaded files of MEDIA_ROOT (a bucket
# is backed up on its own): docs/deployment.md.
backup: install
	scripts/backup $(BACKUP)

restore: install
	@test -n "$(BACKUP)" || { echo "usage: make restore BACKUP=backups/anso-....dump" >&2; exit 2; }
	scripts/restore $(BACKUP)

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-postgres: install
	DATABASE_URL="$$(scripts/throwaway-postgres)" $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Imports run one way, meetings -> members -> anso: the contract in pyproject.toml,
# docs/architecture.md.
lint-imports: install
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations-check: install
	DJANGO_DEBUG=true $(BIN)/python manage.py makemigrations --check --dry-run

# The papers' signing key of the check is a throw-away self-signed pair (docs/papers.md).
deploy-check: install
	@keys="$$(mktemp -d)"; trap 'rm -rf "$$keys"' EXIT; \
	DJANGO_DEBUG=true $(BIN)/python manage.py papers_signing_pair "$$keys" >/dev/null && \
	PAPERS_SIGNING_KEY="$$keys/signing-key.pem" PAPERS_SIGNING_CERT="$$keys/signing-cert.pem" \
	VISA_DATA_KEYS="$$($(BIN)/python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')" \
	DJANGO_DEBUG=false DJANGO_SECRET_KEY="$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
	DJANGO_ALLOWED_HOSTS=anso.example.org SITE_URL=https://anso.example.org \
	$(BIN)/python manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
