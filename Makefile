# Thin bootstrap: creates .venv from the pinned requirements, then hands over to invoke (tasks.py).
PYTHON ?= python3
VENV := .venv
INVOKE := $(VENV)/bin/invoke

.PHONY: build test serve lint clean publish editor

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
