# make site  — create .venv, install, validate and build site/ from the shipped catalog
# make test  — the same setup, plus browser and fonts, then the whole test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: site test validate serve bench system-deps-site system-deps-test system-deps-bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

system-deps-site:
	./tools/system-deps.sh fontconfig fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0

system-deps-test:
	./tools/system-deps.sh fontconfig fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 poppler-utils=pdftoppm rsync=rsync chromium=chromium nodejs=node npm=npm

site: $(STAMP) system-deps-site
	$(BIN)/juli validate
	$(BIN)/juli build

validate: $(STAMP)
	$(BIN)/juli validate

serve: $(STAMP) system-deps-site
	$(BIN)/juli serve

node_modules/.package-lock.json: package.json package-lock.json | system-deps-test
	npm ci --no-audit --no-fund

SIZE ?= 10000
system-deps-bench:  # the benchmark needs fonts and a browser, not npm
	./tools/system-deps.sh fontconfig fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 chromium=chromium

bench: $(STAMP) system-deps-bench  # generate a SIZE-entry catalog and measure; see README "Benchmark"
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test,bench]'
	$(BIN)/python bench/run.py --size $(SIZE)

test: $(STAMP) system-deps-test node_modules/.package-lock.json
	$(BIN)/python -m pytest -n 2 -q

clean:
	rm -rf site .juli
