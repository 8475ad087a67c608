# Two commands do everything on a fresh Debian 12 machine: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
FLASK := $(BIN)/flask --app assess
# Debian packages: PDF rendering (pango, harfbuzz subsetting), Chinese fonts, an emoji font (a
# name with an emoji prints it, not an empty box; PDFs without one are byte-identical), PDF tools, and
# Chromium for the browser tests (Playwright drives it; it never downloads a browser), and Redis
# for the render queue's tests (they start their own server; `make run` needs none).
DEB_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk fonts-noto-color-emoji poppler-utils chromium redis-server
CATALOGS := $(patsubst %.po,%.mo,$(wildcard assess/translations/*/LC_MESSAGES/messages.po))

.PHONY: run test setup system database lint messages bench

## run: install what is missing, create the database with demo data, serve on 127.0.0.1:5000
## with a render worker for the PDFs (Procfile); Ctrl-C stops both. Another port: PORT=5050 make run
## (honcho reads PORT and gives it to the web process; links in e-mail then point to that port
## unless BASE_URL is configured)
run: setup database
	MAKE_RUN_URL=http://127.0.0.1:$${PORT:-5000} $(BIN)/honcho --procfile Procfile start

## test: the same set-up, then lint, format check, bandit and the whole test suite
test: setup database lint
	$(BIN)/pytest

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/bandit -q -c pyproject.toml -r assess

setup: system $(INSTALLED) $(CATALOGS)

system:
	@scripts/system-packages.sh $(DEB_PACKAGES)

$(INSTALLED): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $@

%.mo: %.po $(INSTALLED)
	$(BIN)/pybabel compile --statistics -i $< -o $@

## database: apply migrations; add demo data when the database has no accounts yet; solve the
## dashboards ahead (derived data is made by commands, never when a worker starts)
database: setup
	@$(FLASK) init-db
	@$(FLASK) demo
	@$(FLASK) prepare-dashboards

## messages: extract translatable strings and update the catalogues (then translate the .po)
messages: $(INSTALLED)
	$(BIN)/pybabel extract --no-location --sort-output --width 100 -k _l -k lazy_pgettext:1c,2 -F babel.cfg -o assess/translations/messages.pot .
	$(BIN)/pybabel update --no-fuzzy-matching --width 100 -i assess/translations/messages.pot -d assess/translations

## bench: the benchmarks (printed figures; they take a few minutes)
bench: setup
	$(BIN)/python bench/bench_scoring.py
	$(BIN)/python bench/bench_autosave.py
	$(BIN)/python bench/bench_load.py
