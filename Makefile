# The two set-up commands of the README. Both work on a fresh machine with Python ≥ 3.11
# and the package registries: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

PADDLE := .venv-paddle

.PHONY: demo test test-paddle install system-deps bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# ocrd ships the official PAGE 2019 and METS schemas the export tests validate against; only
# its .xsd files are read, so its (large) dependency tree is not installed.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'
	$(BIN)/pip install -q --no-deps 'ocrd==3.13.3'
	touch $(STAMP)

install: $(STAMP)

# Run the engine on the bundled sample page and print its articles.
demo: $(STAMP)
	$(BIN)/broadsheet read fixtures/pages/sample/page.png --format md

# Debian fonts (CJK test pages) and Tesseract; skipped politely where apt is not ours to use.
system-deps:
	@sh scripts/system-deps.sh

# The paddleocr engine in its own environment: paddleocr pins numpy<2.4 and pulls in
# opencv-contrib, which would clash with the main environment's OpenCV.
test-paddle:
	@test -x $(PADDLE)/bin/python || $(PYTHON) -m venv $(PADDLE)
	$(PADDLE)/bin/pip install -q -e '.[paddle]' 'pytest>=8.0'
	$(PADDLE)/bin/python -m pytest -q -p no:cacheprovider tests/ocr/test_engines.py -k paddleocr

# Install everything the tests need, then run the whole suite (the paddleocr engine first,
# in its own environment). pytest exits 5 when it collects no tests, which make treats as
# a failure.
test: $(STAMP) system-deps test-paddle
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python scripts/bench_engine.py

clean:
	rm -rf $(VENV) $(PADDLE) build *.egg-info .pytest_cache
