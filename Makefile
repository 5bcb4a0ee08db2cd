# Nollvision: `make run` serves the default plan on http://127.0.0.1:8000 (PORT=8001 for another port)
# with a background worker, `make demo-reset` restores the demo, `make test` runs every test.
PYTHON ?= python3
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
BIN := $(VENV)/bin
export UV_PYTHON_DOWNLOADS := never
export UV_LINK_MODE := copy
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: run demo-load demo-reset test test-sqlite test-postgres lint fmt bench bench-scale load messages translations install clean

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet uv==$(UV_VERSION)

# Bytecode is compiled at install: these machines set PYTHONDONTWRITEBYTECODE, so without it every
# Python process (each test worker, each server a drill starts) compiles its imports again.
$(VENV)/.installed: pyproject.toml uv.lock | $(UV)
	$(UV) sync --locked --python $(PYTHON) --quiet --compile-bytecode
	@touch $@

install: $(VENV)/.installed translations

translations: $(VENV)/.installed
	$(BIN)/nollvision build_translations

# The port `make run` serves on: `make run PORT=8001` for a second instance beside the first
# (give it its own data folder too: NOLLVISION_DATA_DIR=var2 make run PORT=8001).
PORT ?= 8000
# The address the links in e-mail lead to: this instance's, unless BASE_URL names another.
BASE_URL ?= http://127.0.0.1:$(PORT)

# The database brought up to date, with the default plan, the demo, the indicators and the
# support services loaded where missing (`make run` and `make demo-reset` do this first).
demo-load: install
	$(BIN)/nollvision migrate --no-input
	$(BIN)/nollvision import_plan --if-missing
	$(BIN)/nollvision load_demo --if-missing
	$(BIN)/nollvision build_public_editions
	$(BIN)/nollvision import_indicators defaults
	$(BIN)/nollvision load_support --if-missing

# The server and one background worker (publishing, archive packages, documents, e-mail) on the
# same database: no other server needed. Ctrl-C stops the server, and the worker with it.
run: demo-load
	@export BASE_URL='$(BASE_URL)'; \
	$(BIN)/nollvision qcluster & worker=$$!; \
	trap 'kill -TERM $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	trap 'exit 130' INT TERM; \
	$(BIN)/nollvision runserver 127.0.0.1:$(PORT)

# Back to the freshly loaded demo: the demo database and its stored files are removed (refused
# unless demo data is allowed, i.e. development settings), then loaded again as `make run` does.
demo-reset: install
	$(BIN)/nollvision demo_reset --no-input
	$(MAKE) --no-print-directory demo-load

# The whole suite on SQLite, then on PostgreSQL (DATABASE_URL, or a throw-away cluster). Run side
# by side on two cores the two took longer than one after the other (measured), so they do not.
test: install
	bash scripts/ensure-system-packages.sh
	$(BIN)/python -m compileall -q -j 2 src/nollvision
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

test-sqlite: install
	@echo "== tests on SQLite"
	env -u DATABASE_URL bash scripts/pytest.sh

test-postgres: install
	@echo "== tests on PostgreSQL"
	bash scripts/with-postgres.sh bash scripts/pytest.sh

lint: $(VENV)/.installed
	$(BIN)/ruff check src
	$(BIN)/ruff format --check src
	$(BIN)/lint-imports --no-cache
	DJANGO_SETTINGS_MODULE=nollvision.settings.test $(BIN)/nollvision makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=nollvision.settings.test $(BIN)/nollvision check --fail-level WARNING

fmt: $(VENV)/.installed
	$(BIN)/ruff format src
	$(BIN)/ruff check --fix src

# Swedish catalogue: refresh msgids from the sources (needs GNU gettext's xgettext).
messages: $(VENV)/.installed
	cd src/nollvision && ../../$(BIN)/nollvision makemessages --locale sv --no-obsolete --no-location

bench: install
	$(BIN)/python -m nollvision.devtools.bench

# Key pages, report builds and imports on generated county and national data sets, on SQLite and
# on PostgreSQL (about 40 minutes): JSON in docs/benchmarks/, tables appended to docs/benchmarks.md,
# with one county's pages at national scale beside county scale.
BENCH_SCALE = $(BIN)/python -m nollvision.devtools.bench_scale --markdown docs/benchmarks.md
bench-scale: install
	for scale in county national; do \
	  $(BENCH_SCALE) --scale $$scale --json docs/benchmarks/$$scale-sqlite.json || exit 1; \
	done
	$(BENCH_SCALE) --compare docs/benchmarks/county-sqlite.json docs/benchmarks/national-sqlite.json
	bash scripts/with-postgres.sh sh -c 'for scale in county national; do \
	  $(BENCH_SCALE) --scale $$scale --database-url "$${DATABASE_URL%/*}/bench_$$scale" \
	    --json docs/benchmarks/$$scale-postgresql.json || exit 1; done'
	$(BENCH_SCALE) --compare docs/benchmarks/county-postgresql.json docs/benchmarks/national-postgresql.json

# gunicorn with production settings on 127.0.0.1 and PostgreSQL: public pages and 50 reporters
# saving for 60 s; appends the results to docs/load.md.
load: install
	bash scripts/with-postgres.sh sh -c '$(BIN)/python -m nollvision.devtools.loadtest --database-url "$$DATABASE_URL" --markdown docs/load.md'

clean:
	rm -rf $(VENV) $(TOOLS) .pytest_cache
