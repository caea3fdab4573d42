# The 1555 complaint centre. `make run` and `make test` work from nothing:
# the first call builds .venv from the pinned requirements.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements-dev.txt shared/requirements.txt requirements.lock | cksum | cut -d' ' -f1)
PORT ?= 3000

.PHONY: backfill run test browser-deps lint bench bench-load openapi openapi-check fuzz deploy sweep report venv clean

$(STAMP): requirements-dev.txt shared/requirements.txt requirements.lock
	rm -f $(VENV)/.installed-*
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt -c requirements.lock
	touch $@

venv: $(STAMP)

## The local stack: moto + the API on 127.0.0.1:$(PORT), with demo data.
run: venv
	PORT=$(PORT) $(PY) -m local run

## The whole test suite against moto (benchmarks excluded), and the pages in headless Chromium.
test: venv browser-deps
	$(PY) -m pytest -rs

## Debian's chromium and a Thai font (fonts-thai-tlwg) for tests/browser, installed when missing if we are root with apt-get;
## otherwise (or when the install fails) those tests skip and say how to install it.
## CHROMIUM=/path/to/chromium picks another one (the tests read it too) and installs nothing.
browser-deps:
	@missing=""; \
	if [ -z "$${CHROMIUM+set}" ] && [ ! -x /usr/bin/chromium ] && ! command -v chromium >/dev/null 2>&1; then missing="chromium"; fi; \
	if ! fc-list :lang=th 2>/dev/null | grep -q .; then missing="$$missing fonts-thai-tlwg"; fi; \
	if [ -z "$$missing" ]; then :; \
	elif [ "$$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then \
	  echo "browser-deps: missing$$missing and only root with apt-get can install it here;" \
	       "the browser tests will skip or fail (install with: sudo apt-get install$$missing)"; \
	else \
	  echo "browser-deps: installing Debian's$$missing for the browser tests"; \
	  log=$$(mktemp); export DEBIAN_FRONTEND=noninteractive; \
	  if { apt-get update -qq && apt-get install -y -qq --no-install-recommends $$missing; } >"$$log" 2>&1; \
	  then rm -f "$$log"; \
	  else cat "$$log"; rm -f "$$log"; \
	    echo "browser-deps: could not install$$missing (apt-get above)"; fi; \
	fi

lint: venv
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(VENV)/bin/cfn-lint template.yaml

## Figures, printed (not asserted): intake import time and DynamoDB items; the SLA sweep's reads at 2,000 and 20,000 open cases.
bench: venv
	$(PY) -m bench

## The local stack under load (printed, not asserted): 1,000 POST /complaints (+100 repeats of one key) from
## 50 clients; throughput, latency, connection errors, peak memory; then every case, history and notice checked.
bench-load: venv
	$(PY) -m bench.load

## The OpenAPI document the resolver generates.
openapi: venv
	$(PY) -m local openapi > docs/openapi.json
	@echo "wrote docs/openapi.json"

## Fails when docs/openapi.json is not what the resolver generates.
openapi-check: venv
	$(PY) -m local openapi | diff -u docs/openapi.json -

## Fuzz the API with schemathesis from docs/openapi.json, longer than make test does: every operation as every
## caller, FUZZ_EXAMPLES requests each in-process (a fifth of that against the local stack over HTTP), and
## in-process schemathesis' coverage phase (each field at its boundaries, missing, of another type).
## Each distinct failure is printed with a curl command, and kept in .local/fuzz-findings.jsonl.
FUZZ_EXAMPLES ?= 50
fuzz: venv
	@mkdir -p .local && rm -f .local/fuzz-findings.jsonl
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) FUZZ_COVERAGE=1 FUZZ_REPORT=.local/fuzz-findings.jsonl $(PY) -m pytest tests/fuzz -q -rf

## Run the daily SLA sweep against the local stack at an instant: make sweep AT=2026-12-01T08:30:00+07:00
sweep: venv
	$(PY) -m local invoke SlaCheckFunction --at "$(AT)"

## A month's report as files against the local stack: make report MONTH=2026-11 writes .local/reports/2026-11.json,
## .csv, .html and, for a month that has ended, the e-mail the report function sent (.eml); MONTH: the previous month
## by default. With AT=2026-12-01T09:00:00+07:00 instead, it runs the monthly report job at that instant, as before.
MONTH ?=
report: venv
ifneq ($(AT),)
	$(PY) -m local invoke ReportFunction --at "$(AT)"
else
	$(PY) -m local report $(MONTH)
endif

## Deploy to AWS (needs the SAM CLI and credentials; asks for the parameters).
## After a deploy that adds an index: stored cases get the keys they lack (README). Needs AWS credentials.
backfill: venv
	PYTHONPATH=shared $(PY) -m complaints.maintenance backfill-index-keys --table "$(TABLE)" --link-secret "$(LINK_SECRET)"

deploy:
	sam build
	sam deploy --guided

clean:
	rm -rf $(VENV) .local .aws-sam
