# Two commands a new user needs: `make serve` and `make test`.
# Everything else (the virtualenv, the packages) is set up on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1:8000
export NO_MKDOCS_2_WARNING := 1

.PHONY: help install serve build test validate bench clean intake

help:
	@echo "make serve     serve the site with live rebuild on http://$(HOST)/"
	@echo "make test      run the whole test suite"
	@echo "make build     production build into site/ (search index included)"
	@echo "make validate  check every record (kehto validate)"
	@echo "make intake    run the intake service on http://127.0.0.1:8010/ (see README)"

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# axe-core for the accessibility tests and vnu-jar (the Nu HTML Checker) for the HTML
# validity test (npm registry); skipped with a note without npm. --ignore-scripts: vnu-jar's
# install script would download a Java runtime; Java comes from the system (default-jre-headless).
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --ignore-scripts --no-audit --no-fund --silent && touch $@; \
	else echo "npm not found: the accessibility and HTML validity tests will be skipped (CI installs it)"; fi

install: $(STAMP)

# Not --strict: a strict build that fails leaves the server answering nothing; record problems are
# shown on the site instead (hooks/kehto_hooks.py) and warnings in the terminal. `make build` is strict.
# --dirty: after an edit only the pages whose content changed are rendered again.
serve: $(STAMP)
	$(BIN)/mkdocs serve --no-strict --dirty -a $(HOST)

build: $(STAMP)
	$(BIN)/kehto build

validate: $(STAMP)
	$(BIN)/kehto validate

test: $(STAMP) node_modules/.installed
	$(BIN)/python -m pytest

clean:
	rm -rf site .cache .pytest_cache

bench: $(STAMP)
	$(BIN)/python bench/run.py 1000 10000 --write docs/performance.md
	$(BIN)/python bench/share_images.py 1000 10000 --write docs/performance.md
	$(BIN)/python bench/intake_load.py --write docs/performance.md

# The intake service with its embedded defaults: SQLite in .intake/. Without KEHTO_INTAKE_REMOTE
# the branches go to a local demo remote, .intake/demo-remote.git, seeded once with this checkout's HEAD.
intake: $(STAMP)
ifdef KEHTO_INTAKE_REMOTE
	$(BIN)/kehto intake serve
else
	@test -d .intake/demo-remote.git || { git init --quiet --bare .intake/demo-remote.git \
	  && git push --quiet .intake/demo-remote.git HEAD:refs/heads/main \
	  && echo "make intake: demo remote .intake/demo-remote.git (main = this checkout's HEAD)"; }
	$(BIN)/kehto intake serve --remote .intake/demo-remote.git
endif
