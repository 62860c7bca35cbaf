# conflict-map: the two commands of the README are `make run` (the dashboard) and `make test` (the suite).
# Each sets up what it needs first (`make setup`, idempotent: a few seconds when everything is in place).
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: setup system-deps venv index boundaries web-assets context-layers test test-fast test-browser lint run run-classroom eval eval-dev bench bench-ingest clean

## setup: everything a fresh machine needs (apt packages where missing, .venv, data index, map layers)
setup: system-deps venv boundaries index web-assets context-layers

system-deps:
	@bash scripts/install-system-deps.sh

## venv: the Python environment, reinstalled only when pyproject.toml or constraints.txt changed
VENV_STAMP := $(VENV)/.conflict-map-installed
venv: $(VENV_STAMP)

$(VENV_STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	@$(BIN)/pip install -q --upgrade pip 2>&1 | grep -v '^WARNING: Location' || true
	@$(BIN)/pip install -q -c constraints.txt -e '.[dev,cluster]' 2>&1 | grep -v '^WARNING: Location' || true
	@$(BIN)/python -c "import conflict_map, streamlit, folium, geopandas, distributed" && echo "python environment ready"
	@touch $@

## boundaries: country/province polygons and shared borders into the cache (Debian qgis-common fetched, not installed)
boundaries:
	@PY=$(BIN)/python bash scripts/fetch-boundary-data.sh

## web-assets: the dashboard's browser libraries (npm registry, pinned) + offline basemap into git-ignored static/
WEB_STAMP := static/.conflict-map-installed
web-assets: $(WEB_STAMP)

$(WEB_STAMP): package.json package-lock.json scripts/install-web-assets.sh src/conflict_map/view/offline.py | $(VENV_STAMP)
	@PY=$(BIN)/python bash scripts/install-web-assets.sh
	@touch $@

index:
	@$(BIN)/conflict-map build-index

## context-layers: rivers (GSHHG WDBII from Debian gmt-gshhg-low, fetched, not installed) and town labels
## (gazetteer) into the cache and static/geo/; after index and web-assets
context-layers:
	@PY=$(BIN)/python bash scripts/fetch-context-layers.sh

## test: set up, then the whole suite (unit, CLI, server and browser tests) on two processes
test: setup
	@$(BIN)/python -m pytest -n 2 --dist loadgroup; rc=$$?; if [ $$rc -eq 5 ]; then echo "no tests collected"; exit 0; fi; exit $$rc

test-fast: setup
	@$(BIN)/python -m pytest -n 2 --dist loadgroup -m "not browser"

test-browser: setup
	@$(BIN)/python -m pytest -m browser

lint:
	@$(BIN)/ruff check src tests bench app.py pages

## run: the dashboard on this computer only (127.0.0.1:8501); it never connects anywhere by itself.
## `make run SHARE=1` is `make run-classroom`.
run: setup
	@$(BIN)/python -m conflict_map.web.serve $(if $(SHARE),--share)

## run-classroom: share it on the local network (0.0.0.0:8501): reading for everyone there, changes to the
## corpus only with the passphrase; refuses to start unless CONFLICT_MAP_PASSPHRASE is set (8+ characters).
run-classroom: setup
	@$(BIN)/python -m conflict_map.web.serve --share

## eval: the headline accuracy: the frozen test split of the shared corpora, GeoVirus and the Arabic test splits
## (all held out from tuning); eval-dev: the dev split, the only part to tune on
SHARED_EVAL := ../shared/eval
eval:
	@$(BIN)/conflict-map eval --split test $(SHARED_EVAL)/gwn.jsonl $(SHARED_EVAL)/trnews.jsonl $(SHARED_EVAL)/lgl.jsonl --no-adjectival
	@$(BIN)/conflict-map eval --split test $(SHARED_EVAL)/gwn_middle_east.jsonl $(SHARED_EVAL)/trnews_middle_east.jsonl $(SHARED_EVAL)/lgl_middle_east.jsonl --no-adjectival | grep ALL | sed 's/^ALL   /MIDDLE EAST/'
	@$(BIN)/conflict-map eval $(SHARED_EVAL)/geovirus.jsonl --no-adjectival | grep geovirus
	@$(BIN)/conflict-map eval eval-data/arabic/test.jsonl | grep test.jsonl
	@$(BIN)/conflict-map eval eval-data/arabic/test2.jsonl | grep test2.jsonl
	@$(BIN)/conflict-map eval eval-data/arabic/test3.jsonl | grep test3.jsonl
	@$(BIN)/conflict-map eval eval-data/arabic/test4.jsonl | grep test4.jsonl
	@$(BIN)/conflict-map eval eval-data/arabic/test5.jsonl | grep test5.jsonl
	@$(BIN)/conflict-map eval eval-data/arabic/test6.jsonl | grep test6.jsonl
	@$(BIN)/conflict-map eval eval-data/arabic/test7.jsonl | grep test7.jsonl
	@$(BIN)/conflict-map eval eval-data/arabic/test8.jsonl | grep test8.jsonl
	@$(BIN)/conflict-map eval eval-data/arabic/test9.jsonl | grep test9.jsonl
	@$(BIN)/conflict-map eval eval-data/arabic/test10.jsonl | grep test10.jsonl
	@$(BIN)/conflict-map eval eval-data/arabic/test11.jsonl | grep test11.jsonl

eval-dev:
	@$(BIN)/conflict-map eval --split dev $(SHARED_EVAL)/gwn.jsonl $(SHARED_EVAL)/trnews.jsonl $(SHARED_EVAL)/lgl.jsonl --no-adjectival
	@$(BIN)/conflict-map eval eval-data/arabic/dev.jsonl

bench:
	@$(BIN)/python bench/bench_gazetteer.py

bench-ingest:
	@$(BIN)/python bench/bench_ingest.py

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
