# Thin bootstrap: creates .venv from the pinned requirements, then hands over to invoke (tasks.py).
PYTHON ?= python3
VENV := .venv
INVOKE := $(VENV)/bin/invoke

.PHONY: build test rehearsal alertes-e2e serve lint clean publish editor

# The pinned requirements first, then the project itself (the pressroom package), editable.
$(VENV)/.installed: requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements.txt
	$(VENV)/bin/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

build: $(VENV)/.installed
	$(INVOKE) build

test: $(VENV)/.installed
	$(INVOKE) test

# One day of operation with real parts (forge, nginx, list server, Chromium) and faults: minutes, not seconds.
rehearsal: $(VENV)/.installed
	$(VENV)/bin/pytest -q -m rehearsal tests/rehearsal

# invoke alertes through a real Mailman 3 (its own venv, made on first use).
alertes-e2e: $(VENV)/.installed
	bash deploy/alertes-e2e.sh

serve: $(VENV)/.installed
	$(INVOKE) livereload

lint: $(VENV)/.installed
	$(INVOKE) lint

publish: $(VENV)/.installed
	$(INVOKE) publish

# The editor's Decap CMS and decap-server, from the committed package-lock.json.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

editor: $(VENV)/.installed node_modules/.installed
	$(INVOKE) editor

clean: $(VENV)/.installed
	$(INVOKE) clean
