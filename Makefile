# Two commands set everything up: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.photocaption-installed

.PHONY: run test lint bench fuzz reliability screenshot samples clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	@# -qq: setuptools prints a boxed note on every editable install; errors still show.
	$(PY) -m pip install -qq -e '.[test]'
	@touch $(STAMP)

## Open the app on a scratch copy of the bundled sample photos (the repo never changes).
run: $(STAMP)
	$(PY) -m editor.demo

## Lint and run the whole test suite.
test: $(STAMP)
	$(PY) -m ruff check editor tests bench resources
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q

lint: $(STAMP)
	$(PY) -m ruff check editor tests bench resources

## Benchmarks (not part of `make test`); `make bench ARGS=--quick` for a fast run.
bench: $(STAMP)
	$(PY) -m bench.run $(ARGS)

## Fuzz read/thumbnail/write/export with 10,000 mutated photos (not part of `make test`).
fuzz: $(STAMP)
	$(PY) -m tests.reliability.fuzz --cases 10000

## Crash-during-save harness: 200 SIGKILLs mid-save (not part of `make test`).
reliability: $(STAMP)
	$(PY) -m tests.reliability.crash_harness --kills 200

## Regenerate docs/screenshot.png from the bundled samples.
screenshot: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m editor.gui.screenshot docs/screenshot.png

## Regenerate resources/samples from scikit-image's public-domain data set.
samples: $(STAMP)
	$(PY) -m pip install -q scikit-image
	$(PY) resources/make_samples.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
