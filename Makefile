# conflict-map: the two commands of the README are `make setup` and `make test`.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: setup system-deps venv index boundaries web-assets context-layers test test-fast test-browser lint run run-classroom eval bench bench-ingest clean

## setup: everything a fresh machine needs (apt packages where missing, .venv, data index, map layers)
setup: system-deps venv boundaries index web-assets context-layers

system-deps:
	@bash scripts/install-system-deps.sh

venv:
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	@$(BIN)/pip install -q --upgrade pip 2>&1 | grep -v '^WARNING: Location' || true
	@$(BIN)/pip install -q -c constraints.txt -e '.[dev,cluster]' 2>&1 | grep -v '^WARNING: Location' || true
	@$(BIN)/python -c "import conflict_map, streamlit, folium, geopandas, distributed" && echo "python environment ready"

## boundaries: country/province polygons and shared borders into the cache (Debian qgis-common fetched, not installed)
boundaries:
	@PY=$(BIN)/python bash scripts/fetch-boundary-data.sh

## web-assets: the dashboard's browser libraries (npm registry, pinned) + offline basemap into git-ignored static/
web-assets:
	@PY=$(BIN)/python bash scripts/install-web-assets.sh

index:
	@$(BIN)/conflict-map build-index

## context-layers: rivers (GSHHG WDBII from Debian gmt-gshhg-low, fetched, not installed) and town labels
## (gazetteer) into the cache and static/geo/; after index and web-assets
context-layers:
	@PY=$(BIN)/python bash scripts/fetch-context-layers.sh

## test: the whole suite (unit + browser); exit code 5 (no tests collected) is not a failure
test:
	@$(BIN)/python -m pytest; rc=$$?; if [ $$rc -eq 5 ]; then echo "no tests collected"; exit 0; fi; exit $$rc

test-fast:
	@$(BIN)/python -m pytest -m "not browser"

test-browser:
	@$(BIN)/python -m pytest -m browser

lint:
	@$(BIN)/ruff check src tests bench app.py pages

## run: the dashboard on this computer only (127.0.0.1:8501); it never connects anywhere by itself.
## `make run SHARE=1` is `make run-classroom`.
run:
	@$(BIN)/python -m conflict_map.web.serve $(if $(SHARE),--share)

## run-classroom: share it on the local network (0.0.0.0:8501): reading for everyone there, changes to the
## corpus only with the passphrase; refuses to start unless CONFLICT_MAP_PASSPHRASE is set (8+ characters).
run-classroom:
	@$(BIN)/python -m conflict_map.web.serve --share

eval:
	@$(BIN)/conflict-map eval ../shared/eval/gwn.jsonl ../shared/eval/trnews.jsonl ../shared/eval/lgl.jsonl --no-adjectival

bench:
	@$(BIN)/python bench/bench_gazetteer.py

bench-ingest:
	@$(BIN)/python bench/bench_ingest.py

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
