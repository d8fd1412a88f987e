# The front door. `make run` starts the assistant; `make test` runs every test.
.PHONY: install run test train validate lint bench bench-replicas fuzz

install:
	@bash scripts/setup.sh

run: install
	@.venv/bin/python scripts/run.py

test: install
	@bash scripts/test.sh

train: install
	@.venv/bin/rasa train --domain bot/domain --data bot/data --config config.yml --out bot/models

validate: install
	@.venv/bin/rasa data validate --domain bot/domain --data bot/data --config config.yml

lint: install
	@.venv/bin/ruff check . && .venv/bin/ruff format --check .

bench: install
	@.venv/bin/python scripts/bench.py

# The production layout (deploy/) with 1 and 2 Rasa replicas behind nginx: needs nginx,
# PostgreSQL and Redis (tests/deploy/cluster.py).
bench-replicas: install
	@.venv/bin/python scripts/bench.py --replicas

# 10,000 generated inputs on every HTTP surface; prints the count of responses >= 500.
fuzz: install
	@.venv/bin/python scripts/fuzz.py
