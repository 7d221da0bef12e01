# make site  — create .venv, install, validate and build site/ from the shipped catalog
# make test  — the same setup, plus browser and fonts, then the whole test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
UV_VERSION := 0.13.8
# Exact versions of every Python package come from uv.lock (uv sync --frozen); `uv lock` after a change
# to pyproject.toml's ranges writes a new one. --inexact keeps uv itself in the environment.
SYNC   := $(BIN)/uv sync --frozen --inexact --quiet

.PHONY: site test validate serve edit bench system-deps-site system-deps-test system-deps-bench clean

$(STAMP): pyproject.toml uv.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(SYNC) --extra test
	touch $(STAMP)

system-deps-site:
	./tools/system-deps.sh fontconfig fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0

system-deps-test:  # Java runs the Nu HTML Checker (npm vnu-jar); poppler and rsync the print and deploy tests
	./tools/system-deps.sh fontconfig fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 poppler-utils=pdftoppm rsync=rsync chromium=chromium nodejs=node npm=npm default-jre-headless=java

site: $(STAMP) system-deps-site
	$(BIN)/juli validate
	$(BIN)/juli build

validate: $(STAMP)
	$(BIN)/juli validate

serve: $(STAMP) system-deps-site
	$(BIN)/juli serve

edit: $(STAMP) system-deps-site  # the content editor on the working tree (docs/contributing), with the preview
	./tools/system-deps.sh nodejs=node npm=npm
	test -f node_modules/decap-server/dist/index.js || npm ci --no-audit --no-fund
	$(BIN)/juli edit

node_modules/.package-lock.json: package.json package-lock.json | system-deps-test
	npm ci --no-audit --no-fund

SIZE ?= 10000
system-deps-bench:  # the benchmark needs fonts, Pango for the PDF edition, a browser, and node for Lighthouse
	./tools/system-deps.sh fontconfig fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 chromium=chromium nodejs=node npm=npm

bench: $(STAMP) system-deps-bench  # generate a SIZE-entry catalog and measure; see README "Benchmark"
	$(SYNC) --extra test --extra bench
	npm ci --prefix bench/lighthouse --no-audit --no-fund
	$(BIN)/python bench/run.py --size $(SIZE)

test: $(STAMP) system-deps-test node_modules/.package-lock.json
	$(BIN)/python -m pytest -n 2 --dist loadfile -q  # a test file to one worker: its module fixtures (a built copy, a browser) made once

clean:
	rm -rf site .juli
