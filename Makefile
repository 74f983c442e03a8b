# jianbao — developer Makefile (the repo root is also an example office folder).
#   make            set up (system packages, .venv) and build the example bulletin
#   make test       run the whole test suite, LibreOffice layout tests and yaml-language-server included
#   make pdf        build the example bulletin and its PDF
#   make layout-long  the page-breaking property test on 300 random bulletins (issue 13; ~20 min)
#   make bench      benchmark: start-up against pandoc, render cost, a 520-issue archive (bench/run.py)
#   make pictures   regenerate the README's pictures (docs/img/: first and last page, the web edition)
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
ISSUES  := $(wildcard issues/*.yaml)
DOCX    := $(patsubst issues/%.yaml,build/%.docx,$(ISSUES))
PDF     := $(DOCX:.docx=.pdf)
PRESET  := $(wildcard templates/layouts/*.yaml)

.PHONY: all setup deps web-deps editor-deps example pdf check test layout-long bench pictures clean
all: example

deps:
	bash scripts/install-system-deps.sh

$(BIN)/jianbao: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $@

setup: deps $(BIN)/jianbao

# yaml-language-server for the editor tests (tests/test_yaml_language_server.py), pinned in
# tests/editor/package-lock.json.
editor-deps: tests/editor/node_modules/.package-lock.json

tests/editor/node_modules/.package-lock.json: tests/editor/package.json tests/editor/package-lock.json
	cd tests/editor && npm ci --no-audit --no-fund --loglevel=error
	touch $@

web-deps:
	bash scripts/install-web-test-deps.sh

example: setup $(DOCX)

build/%.docx: issues/%.yaml jianbao.yaml $(PRESET) | $(BIN)/jianbao
	$(BIN)/jianbao build $<

# what each issue read last time (its photos, the issue before it for prev/ytd): written by jianbao build
-include $(DOCX:.docx=.d)

pdf: setup
	$(BIN)/jianbao build --pdf $(ISSUES)

check: $(BIN)/jianbao
	$(BIN)/jianbao check issues

test: setup web-deps editor-deps
	$(BIN)/pytest -q

layout-long: setup
	JIANBAO_SHAPES=$${JIANBAO_SHAPES:-300} $(BIN)/pytest -q tests/layout/test_page_shapes.py

bench: setup
	$(BIN)/python bench/run.py
	$(BIN)/python bench/photos.py

pictures: setup web-deps
	$(BIN)/python scripts/pictures.py

clean:
	rm -rf build
