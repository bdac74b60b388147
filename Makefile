# Two commands for people: `make run` (chat with the bot locally) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-fast test-timeshift bench fuzz lint install clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# The Microsoft 365 Agents Playground (pinned in package.json) for `make run` and the e2e tests.
node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "make: Node.js and npm are needed for the Agents Playground (Debian: apt-get install nodejs npm)" >&2; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	touch node_modules/.installed

## Start the bot on http://localhost:3978/api/messages with the Agents Playground beside it.
## `make run PERSON=Peter` chats as another mock person (see docs/local-chat.md).
run: $(STAMP) node_modules/.installed
	$(BIN)/python -m bot.dev.devrun $(if $(PERSON),--as "$(PERSON)")

## Set up, check (make lint) and run the whole test suite.
test: lint node_modules/.installed
	$(BIN)/python -m pytest -q

test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -m "not slow and not e2e"

## The fast suite with the system clock moved about seven months ahead (needs Debian's faketime).
test-timeshift: $(STAMP)
	$(BIN)/python -m tests.timeshift --at summer

bench: $(STAMP)
	$(BIN)/python -m bench

## Fuzz every text parser and POST /api/messages with a large budget and texts up to 28 KB, and
## print the figures (inputs tried, 5xx answers, slowest parse and turn). FUZZ_EXAMPLES sets the
## budget (Hypothesis examples per fuzz test); FUZZ_REPORT=<file> also writes the figures as JSON.
FUZZ_EXAMPLES ?= 500
FUZZ_REPORT ?=
fuzz: $(STAMP)
	SKIS_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) SKIS_FUZZ_MAX_CHARS=28000 SKIS_FUZZ_REPORT=$(FUZZ_REPORT) \
		$(BIN)/python -m pytest -q -p no:cacheprovider tests/fuzz

## ruff on the code, tests and benchmarks; mypy on bot/, dialogs/ and storage/ ([tool.mypy] in pyproject.toml).
lint: $(STAMP)
	$(BIN)/ruff check bot dialogs storage tests bench manifest
	$(BIN)/mypy bot dialogs storage

clean:
	rm -rf $(VENV) node_modules
