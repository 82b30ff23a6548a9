# The Storo fleet: two commands for a newcomer (`make up`, `make test`), and the
# package index through which the repositories consume each other's releases.
SHELL := /bin/bash
PYTHON ?= python3
TOOLS := $(CURDIR)/.tools
UV := $(TOOLS)/bin/uv
export UV
export STORO_INDEX := $(CURDIR)/.registry

# Order matters for `registry`: contracts, then libraries, then services.
SPECS := storo-specs
LIBS := storo-platform-lib storo-otel-lib storo-outbox-lib storo-testing-lib
SERVICES := storo-directory storo-compliance storo-ledger storo-gw-usdc storo-cts
TOOLING := storo-devstack storo-observability
# Only the folders present in this checkout: the fleet grows one repository at a time.
REPOS := $(wildcard $(SPECS) $(LIBS) $(SERVICES) $(TOOLING) storo-infra docs)
PUBLISHED := $(wildcard $(SPECS) $(LIBS) $(SERVICES) storo-devstack)
DEVSTACK := storo-devstack/.venv/bin/devstack
JOBS ?= 2

.PHONY: help tools registry up down status test test-repos test-fleet bench lint

help:
	@echo "make up        run the whole fleet on this machine (and leave it running)"
	@echo "make test      every repository's tests, then the fleet's end-to-end test"
	@echo "make down      stop what 'make up' started"
	@echo "make registry  build every release into the local package index ($(STORO_INDEX))"
	@echo "make bench     measure the fleet beside this machine's own limits"

tools: $(UV)

$(UV):
	@echo "==> installing uv into $(TOOLS)"
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install -q 'uv==0.13.9'

# Every released storo-specs version and every library and service release, as wheels
# in one flat directory that pip (--find-links) and uv read.
registry: tools
	@mkdir -p $(STORO_INDEX)
	@for repo in $(PUBLISHED); do \
	  echo "==> publishing $$repo into the package index"; \
	  $(MAKE) -s -C $$repo publish || exit 1; \
	done

$(DEVSTACK): registry
	$(MAKE) -s -C storo-devstack dev

up: registry $(DEVSTACK)
	$(DEVSTACK) up

down:
	@if [ -x $(DEVSTACK) ]; then $(DEVSTACK) down; else echo "nothing to stop"; fi

status: $(DEVSTACK)
	$(DEVSTACK) status

# Each repository's own `make test`, two at a time (CI has two cores), then the fleet.
test: registry
	@$(MAKE) --no-print-directory -k -j$(JOBS) --output-sync=target test-repos
	@$(MAKE) --no-print-directory test-fleet

test-repos: $(addprefix test-,$(REPOS))

test-%:
	@echo "==> $*: make test"
	@start=$$(date +%s); $(MAKE) --no-print-directory -C $* test; rc=$$?; \
	  echo "==> $*: make test exited $$rc after $$(( $$(date +%s) - start ))s"; exit $$rc

test-fleet: $(DEVSTACK)
	$(MAKE) --no-print-directory -C storo-devstack test-fleet

lint: registry
	@for repo in $(REPOS); do $(MAKE) -s -C $$repo lint || exit 1; done

bench: registry $(DEVSTACK)
	$(MAKE) --no-print-directory -C bench run
