# The two commands a newcomer needs are `make run` and `make test`; the rest serve developers.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test lint typecheck unit bench bench-triage bench-replies bench-spikes bench-topics db-revision clean

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "amends needs Python 3.11 or newer"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -c constraints.txt -e '.[dev]'
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/amends demo

test: $(STAMP) lint typecheck unit

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy src

unit: $(STAMP)
	$(BIN)/pytest -n 2 -p no:cacheprovider

bench: $(STAMP)
	$(BIN)/python -m benchmarks.run

# The triage models against VADER, TextBlob and MiniLM embeddings, on ../shared/data
# (docs/models.md); installs the baselines' extra first (torch CPU, about 1 GB).
DATA ?= ../shared/data
BENCH_STAMP := $(VENV)/.bench-stamp
$(BENCH_STAMP): $(STAMP)
	$(BIN)/pip install -q -c constraints.txt -e '.[dev,bench]'
	@touch $(BENCH_STAMP)

bench-triage: $(BENCH_STAMP)
	OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 $(BIN)/python -m benchmarks.triage $(DATA)

# The reply checker against the hand labels in benchmarks/replies/, and the drafts' scores and
# variety for 500 dev complaints (docs/benchmarks.md#replies); reads the tweets from $(DATA).
bench-replies: $(STAMP)
	OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 $(BIN)/python -m benchmarks.replies $(DATA)

# Spike detection on the airline tweets' timestamps, hourly and daily, with 10 placebo runs
# (docs/spikes.md#evaluation).
bench-spikes: $(STAMP)
	$(BIN)/python -m benchmarks.spikes.evaluate --tweets $(DATA)/airline_tweets.dev.csv --placebo 10
	$(BIN)/python -m benchmarks.spikes.evaluate --tweets $(DATA)/airline_tweets.dev.csv --bucket 1d

# Emerging topics on the negative items triage cannot place, in the airline tweets and the CFPB
# complaints (docs/topics.md#evaluation).
bench-topics: $(STAMP)
	OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 $(BIN)/python -m benchmarks.topics.evaluate --tweets $(DATA)/airline_tweets.dev.csv --cfpb $(DATA)/cfpb_complaints.dev.csv

db-revision: $(STAMP)
	$(BIN)/alembic revision --autogenerate -m "$(m)"

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache .pytest_cache
