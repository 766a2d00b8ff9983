# Thin bootstrap: creates .venv from the pinned requirements, then hands over to invoke (tasks.py).
PYTHON ?= python3
VENV := .venv
INVOKE := $(VENV)/bin/invoke

.PHONY: build test serve lint clean publish

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements.txt
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

clean: $(VENV)/.installed
	$(INVOKE) clean
