# Every target sets up what it needs first, so each works on a fresh clone.
PY      := .venv/bin/python
VENV    := .venv/.installed
NODE    := node_modules/.installed
export NO_MKDOCS_2_WARNING := 1

.PHONY: setup serve build pdf test lint bench clean system-deps vendor

$(VENV): requirements.txt requirements-dev.txt pyproject.toml
	python3 -m venv .venv
	.venv/bin/pip install -q --upgrade pip
	.venv/bin/pip install -q -r requirements-dev.txt  # requirements.txt installs the project (-e .)
	touch $@

# Node.js is a maintainer's tool only (Lighthouse in the bench, refreshing the vendored
# libraries); building and serving the site need Python alone.
$(NODE): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

setup: $(VENV)

serve: setup  ## serve the site with live reload at http://127.0.0.1:8000
	.venv/bin/mkdocs serve -a 127.0.0.1:8000

build: setup  ## strict build of both languages + link check
	$(PY) scripts/build.py

pdf: setup system-deps  ## build, check, and render the PDF and EPUB editions
	$(PY) scripts/build.py --pdf

system-deps:
	scripts/system-deps.sh

# English text that must be in American spelling: the English pages and the site's own labels.
ENGLISH := $(wildcard docs/*.en.md docs/*/*.en.md) mkdocs.yml handbook overrides README.md CONTRIBUTING.md

lint: setup  ## ruff, Chinese typography (AutoCorrect) and American spelling (codespell)
	.venv/bin/ruff check handbook scripts tests solutions
	$(PY) scripts/typography.py
	.venv/bin/codespell $(ENGLISH)

test: setup $(NODE) system-deps lint  ## everything: unit, build, browser and PDF tests
	.venv/bin/pytest

bench: setup $(NODE) system-deps  ## performance figures (not part of test)
	$(PY) scripts/bench.py

vendor: setup $(NODE)  ## refresh docs/assets/vendor/ from the versions package.json pins
	$(PY) -m handbook.vendor .

clean:
	rm -rf site .venv node_modules .pytest_cache
