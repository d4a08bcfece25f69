# One entry point for set-up, running, tests and benchmarks. `make help` lists targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Rasa 3.6 supports Python 3.8-3.10 only: find a working python3.10.
PYTHON310 := $(shell for p in python3.10 $$HOME/.pyenv/versions/3.10*/bin/python3.10 /usr/local/bin/python3.10 /usr/bin/python3.10; do \
	if "$$p" -c 'import sys; assert sys.version_info[:2] == (3, 10)' >/dev/null 2>&1; then echo "$$p"; break; fi; done)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-from-lock
SPACY_BASE := var/spacy/en_base/config.cfg
SECOND_OPINION := var/safety/second_opinion.joblib
SECOND_OPINION_INPUTS := content/red_flags.yml $(wildcard tests/safety/*.yml) $(wildcard bot/safety/*.py)
MODEL := models/backcare.tar.gz
MODEL_INPUTS := config.yml domain.yml $(shell find data -name "*.yml" 2>/dev/null)
export TF_CPP_MIN_LOG_LEVEL := 2
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export PYTHONHASHSEED := 0

.PHONY: help setup run test browser-deps balancer-deps lint typecheck validate train unit e2e core-test safety-report nlu-report content-report bench bench-console fuzz clean

help: ## Show what each target does
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(STAMP): requirements.lock
	@if [ -z "$(PYTHON310)" ]; then echo "error: python3.10 not found (Rasa 3.6 needs Python 3.10); install it, e.g. pyenv install 3.10"; exit 1; fi
	test -x $(PY) || $(PYTHON310) -m venv $(VENV)
	$(PY) -m pip install --quiet --no-deps --require-hashes -r requirements.lock
	$(PY) -m pip check
	touch $@

$(SPACY_BASE): $(STAMP) bot/runtime/nlp.py
	$(PY) -m bot.runtime.nlp var/spacy/en_base

$(SECOND_OPINION): $(STAMP) $(SPACY_BASE) $(SECOND_OPINION_INPUTS)
	$(PY) -m bot.safety.classifier

setup: $(STAMP) $(SPACY_BASE) $(SECOND_OPINION) ## Build the virtual environment, the spaCy base pipeline and the red-flag second opinion

$(MODEL): $(STAMP) $(SPACY_BASE) $(MODEL_INPUTS)
	$(PY) -m rasa train --fixed-model-name backcare --out models --quiet
	@touch $@

train: $(MODEL) ## Train the assistant if data, config or domain changed

run: $(MODEL) $(SECOND_OPINION) ## Train if needed, then start the action server and Rasa server (Ctrl-C stops)
	$(PY) -m bot.runtime.launch

lint: $(STAMP) ## Check style with ruff
	$(PY) -m ruff check bot actions console tests scripts
	$(PY) -m ruff format --check bot actions console

typecheck: $(STAMP) ## Check types with mypy
	$(PY) -m mypy bot actions console

validate: $(STAMP) ## Validate the training data and domain
	$(PY) -m scripts.validate_data

unit: $(STAMP) $(SPACY_BASE) $(SECOND_OPINION) ## Run the unit tests (no servers)
	@$(PY) -m pytest -m "not e2e and not browser" -q; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest ran no tests: treating as a failure"; exit 1; fi; exit $$rc

browser-deps: ## Install Debian's Chromium for the browser tests (if missing)
	@bash scripts/install_chromium.sh || echo "chromium could not be installed: the browser tests will say so and skip"

balancer-deps: ## Install Debian's HAProxy for the scaled-out profile and its test (if missing)
	@bash scripts/install_haproxy.sh || echo "haproxy could not be installed: the scale-out test will say so and skip"

e2e: $(MODEL) $(SECOND_OPINION) browser-deps balancer-deps ## Run the end-to-end and browser tests against the real servers
	@$(PY) -m pytest -m "e2e or browser" -q; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest ran no tests: treating as a failure"; exit 1; fi; exit $$rc

core-test: $(MODEL) ## Run the conversation tests (test stories) on the trained model
	$(PY) -m rasa test core --model $(MODEL) --stories tests/ --fail-on-prediction-errors --out var/results/core

test: lint typecheck validate unit safety-report core-test e2e ## Run the whole suite (what CI runs)

safety-report: $(STAMP) $(SPACY_BASE) $(SECOND_OPINION) ## Print the red-flag detector's sensitivity and false positives; check the hazard log's tests
	$(PY) -m bot.safety.report
	$(PY) -m scripts.hazard_check

content-report: $(STAMP) ## List the content awaiting clinical review
	$(PY) -m scripts.content_report

nlu-report: $(MODEL) ## Print per-intent precision/recall/F1 on the held-out NLU test set
	$(PY) -m scripts.nlu_report

fuzz: $(MODEL) $(SECOND_OPINION) ## Fuzz conversations through the real servers (2,000 x 20 turns; FUZZ_ARGS to change)
	$(PY) -m scripts.fuzz $(FUZZ_ARGS)

bench: $(MODEL) $(SECOND_OPINION) ## Benchmark the real servers: NLU floor vs full turn at 1/10/50 conversations, a 300-turn conversation, memory (BENCH_ARGS to change)
	$(PY) -m scripts.bench $(BENCH_ARGS)

bench-console: $(STAMP) ## Time the console's pages over 10,000 seeded conversations (one of 5,000 events)
	$(PY) -m scripts.bench_console $(BENCH_CONSOLE_ARGS)

clean: ## Remove the trained model, local data and caches (keeps the venv)
	rm -rf models var/results var/bench .pytest_cache .mypy_cache .ruff_cache
