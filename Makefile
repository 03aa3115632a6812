# Every target installs into .venv first; the install reruns only when pyproject.toml changes.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/test
export TEST_DATABASE_URL

.PHONY: install demo test lint format bench screenshots clean

install: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { \
		echo "Twoway needs Python 3.11 or newer, and $(VENV) has $$($(BIN)/python --version)."; \
		echo "Run: make clean && make PYTHON=python3.11 demo"; exit 1; }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

# make demo ARGS="--host 0.0.0.0 --port 8080"
demo: install
	$(BIN)/twoway demo $(ARGS)

test: install lint
	$(BIN)/python scripts/run_tests.py

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install
	$(BIN)/python bench/matching.py
	$(BIN)/python bench/web.py
	DATABASE_URL=$(TEST_DATABASE_URL) $(BIN)/python bench/app_matching.py
	DATABASE_URL=$(TEST_DATABASE_URL) $(BIN)/python bench/app_import.py

# The README's screenshots come from the browser test of the participant journey.
screenshots: install
	TWOWAY_README_SCREENSHOTS=1 $(BIN)/python -m pytest -q -p no:cacheprovider tests/e2e/test_participant_journey.py

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
