# Vigil developer commands. `make help` lists them.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000
DEV_ENV := DEBUG=1 SECURE_COOKIES=0
TEST_ENV := VIGIL_TESTING=1

.DEFAULT_GOAL := help
.PHONY: help venv run test lint typecheck format messages check-messages bench system-deps demo-code check-deploy matching-service screenshots

help: ## list the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-15s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || (echo "Python 3.11+ required" && exit 1)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP) ## create the virtual environment and install dependencies

# Fonts: DejaVu and Noto carry Georgian (U+10D0...) and the Kazakh and Kyrgyz letters for PDF.
system-deps: ## install Debian packages the tests need (chromium, gettext, fonts, pango, poppler) when missing
	@command -v chromium >/dev/null && command -v msgfmt >/dev/null && command -v pdftotext >/dev/null && ldconfig -p | grep -q libsodium && fc-list ':charset=10d0 4e9 49b' family | grep -q . || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libsodium23 chromium gettext fontconfig fonts-dejavu-core fonts-noto-core libpango-1.0-0 libpangoft2-1.0-0 poppler-utils >/dev/null; \
	  else echo "Install chromium, gettext, fonts and pango (sudo apt-get install chromium gettext fontconfig fonts-dejavu-core fonts-noto-core libpango-1.0-0 libpangoft2-1.0-0 poppler-utils)"; exit 1; fi; }

run: venv ## set up, migrate, load demo data and serve on http://127.0.0.1:8000
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput
	@echo "Loading demo data: two organisations and a demo year of incidents (about a minute on 2 cores)..."
	$(DEV_ENV) $(BIN)/python manage.py demo_data
	@echo
	@echo "Vigil is starting. Sign in at http://$(HOST):$(PORT)/accounts/login/"
	@echo "(a demo account above, e.g. svitlo-coordinator; password and TOTP secrets are printed above)"
	@echo "The task worker (reports, reminders) runs beside the server; Ctrl-C stops both."
	$(DEV_ENV) $(BIN)/python scripts/serve.py $(HOST):$(PORT)

demo-code: venv ## print the current TOTP code of a demo user: make demo-code USER=svitlo-coordinator
	@$(DEV_ENV) $(BIN)/python manage.py demo_totp $(USER)

CLUSTER_DIR ?= $(CURDIR)/var/cluster
CLUSTER_ENV = DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/vigil_cluster} \
	REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/1} VIGIL_VAR_DIR=$(CLUSTER_DIR) \
	SECRET_KEY_FILE=$(CLUSTER_DIR)/secret_key ALLOWED_HOSTS=127.0.0.1,localhost \
	SECURE_COOKIES=0 SECURE_SSL_REDIRECT=0 DEBUG=0
run-cluster: venv ## production-like: intake pool, two app servers and the worker on PostgreSQL and Redis
	@mkdir -p $(CLUSTER_DIR) && test -s $(CLUSTER_DIR)/secret_key || head -c 48 /dev/urandom | base64 | tr -d '\n' > $(CLUSTER_DIR)/secret_key
	@psql -h 127.0.0.1 -U postgres -tc "SELECT 1 FROM pg_database WHERE datname = 'vigil_cluster'" | grep -q 1 || createdb -h 127.0.0.1 -U postgres vigil_cluster
	$(CLUSTER_ENV) $(BIN)/python manage.py migrate --noinput
	$(CLUSTER_ENV) $(BIN)/python manage.py collectstatic --noinput -v 0
	$(CLUSTER_ENV) $(BIN)/python manage.py demo_data --force
	$(CLUSTER_ENV) $(BIN)/python scripts/cluster.py --first-app-port $(PORT) --intake-port 8080

screenshots: venv system-deps ## retake the user guide's screenshots (docs/img/) from the demo data
	$(BIN)/python scripts/screenshots.py $(SCREENSHOTS_ARGS)

test: venv system-deps ## run the test suite (SQLite by default; set DATABASE_URL for PostgreSQL)
	$(TEST_ENV) $(BIN)/pytest $(PYTEST_ARGS)

lint: venv ## ruff lint and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: venv ## mypy with django-stubs over vigil/ (zero errors expected)
	$(TEST_ENV) $(BIN)/mypy vigil

format: venv ## apply ruff formatting and safe fixes
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages: venv ## extract strings into every language catalogue and compile them
	cd vigil && $(TEST_ENV) ../$(BIN)/python ../manage.py makemessages --no-location --no-obsolete -l en -l ru -l uk -l ro -l ka -l kk -l ky -l be
	cd vigil && $(TEST_ENV) ../$(BIN)/python ../manage.py compilemessages

check-messages: venv ## fail if the catalogues miss a string, have untranslated or fuzzy entries, or .mo are stale
	$(TEST_ENV) $(BIN)/python scripts/check_messages.py

check-deploy: venv ## Django's deployment checks with production-like settings
	SECRET_KEY=$$(head -c 48 /dev/urandom | base64 | tr -d '\n') ALLOWED_HOSTS=vigil.example.org \
	  $(BIN)/python manage.py check --deploy --fail-level WARNING

MATCHING_HOST ?= 127.0.0.1
MATCHING_PORT ?= 8700
matching-service: venv ## run the matching service apart from Vigil (own database and key file; docs/deployment.md)
	$(BIN)/gunicorn --bind $(MATCHING_HOST):$(MATCHING_PORT) --workers 2 matchsvc.wsgi:application

bench: venv ## run the benchmarks in bench/ and print figures for docs/performance.md
	$(TEST_ENV) $(BIN)/python -m bench
