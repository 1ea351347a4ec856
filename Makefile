# The two set-up commands of the README: `make demo` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: bench-plan demo test bench bench-types bench-detect bench-search bench-scale clean reliability soak

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

# Two test processes (pytest-xdist), a module each at a time: most tests wait on child processes.
test: $(STAMP) $(BROWSER_STAMP)
	$(BIN)/python -m pytest -q -n 2 --dist loadscope

# The reliability suite (tests/reliability, also part of `make test`): kills, faults, bad input,
# security. `soak` runs the same tests longer (more kills, objects, faults and fuzz examples) and
# writes the figures RELIABILITY.md quotes to reliability-figures.json (as root: it mounts a tmpfs).
reliability: $(STAMP)
	BACKTRAIL_FIGURES=reliability-figures.json $(BIN)/python -m pytest -q tests/reliability

soak: $(STAMP)
	BACKTRAIL_SOAK=1 BACKTRAIL_FIGURES=reliability-figures.json $(BIN)/python -m pytest -q tests/reliability

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

bench-scale: $(STAMP)
	$(BIN)/python bench/scale_out.py

clean:
	rm -rf $(VENV) .backtrail demo-bucket
