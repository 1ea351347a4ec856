# The two set-up commands of the README: `make demo` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: bench-plan demo test bench bench-types bench-detect bench-search clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/backtrail demo --dir ./demo-bucket

# The UI tests drive Debian's chromium through its chromedriver (CI runs as root).
BROWSER_STAMP := $(VENV)/.browser

$(BROWSER_STAMP): $(STAMP)
	command -v chromium >/dev/null && command -v chromedriver >/dev/null || (apt-get update && apt-get install -y chromium chromium-driver)
	touch $(BROWSER_STAMP)

test: $(STAMP) $(BROWSER_STAMP)
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python bench/run.py

bench-types: $(STAMP)
	$(BIN)/python bench/delimited.py

bench-detect: $(STAMP)
	$(BIN)/python bench/detect.py

bench-search: $(STAMP)
	$(BIN)/python bench/search.py

bench-plan: $(STAMP)
	$(BIN)/python bench/plan.py

clean:
	rm -rf $(VENV) .backtrail demo-bucket
