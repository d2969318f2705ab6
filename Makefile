# The two commands a user needs: `make reports` (the main job on the shipped data) and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: reports test setup ingest lab bench clean browser office

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $(STAMP)

setup: $(STAMP)

ingest: $(STAMP)
	$(BIN)/perfeval ingest

# The shipped demo data holds deliberate errors, so `perfeval ingest` exits 1 (data errors, listed);
# anything else (3 = a bug) stops the job.
YEARS ?= 2022 2023

reports: $(STAMP)
	$(BIN)/perfeval ingest || test $$? -eq 1
	$(BIN)/perfeval results
	@set -e; for year in $(YEARS); do $(BIN)/perfeval run --year $$year; done
	$(BIN)/perfeval trends

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/

test: $(STAMP)
	$(BIN)/python -m pytest

# Debian's chromium for the browser tests, LibreOffice for the .docx/.xlsx → PDF tests (CI runs both;
# without them those tests skip, and `make test` ends with one line saying how many and this command).
browser:
	bash scripts/install_browser.sh

office:
	bash scripts/install_office.sh

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_scoring.py
	$(BIN)/python benchmarks/bench_forms.py

clean:
	rm -rf data/processed/*.parquet reports/*/
