# sohoa: `make run` starts the service, `make test` runs every test. Both install what is missing.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.sohoa-installed
APT_PACKAGES := tesseract-ocr tesseract-ocr-vie tesseract-ocr-script-viet fonts-liberation2 \
                fonts-dejavu-core
TEST_APT_PACKAGES := chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test setup apt apt-test lint bench bench-apt clean test-services train

run: setup
	$(BIN)/sohoa serve

test: setup apt-test test-services
	$(BIN)/ruff check .
	$(BIN)/mypy
	SOHOA_TEST_SERVERS=require $(BIN)/pytest

# Debian's Chromium for the browser tests (Playwright drives it; no browser download).
apt-test:
	@missing=$$(for p in $(TEST_APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "Cài gói cho kiểm thử / installing test apt packages:" $$missing; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

# PostgreSQL and Redis binaries for the tests, which start private throw-away servers.
test-services:
	@bash tools/ensure-test-services.sh

setup: apt $(STAMP)

apt:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "Cài gói hệ thống / installing apt packages:" $$missing; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

$(STAMP): requirements.txt requirements-nodeps.txt pyproject.toml
	@[ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements.txt
	$(BIN)/pip install -q --no-deps -r requirements-nodeps.txt
	$(BIN)/pip install -q --no-deps -e .
	@touch $@

lint: setup
	$(BIN)/ruff check .
	$(BIN)/mypy

# Benchmarks only (not `make run`): Ghostscript for OCRmyPDF's PDF/A output in bench.speed.
BENCH_APT_PACKAGES := ghostscript

bench-apt:
	@missing=$$(for p in $(BENCH_APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "Cài gói cho đo hiệu năng / installing bench apt packages:" $$missing; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi

bench: setup bench-apt
	$(BIN)/python -m bench.quality run --workers 2 --lines
	$(BIN)/python -m bench.speed --pages 30 --workers 2 --rounds 1 --systems raw,serve,ocrmypdf
	$(BIN)/python -m bench.latency --runs 10

# Rebuild the document-type model (models/doctype) from the generated corpus, fixed seeds.
# OCR'd corpus pages are cached in models/corpus (delete it to OCR everything again).
train: setup
	$(BIN)/python -m classify.model.build $(TRAIN_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache *.egg-info
