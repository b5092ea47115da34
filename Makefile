.PHONY: run test install frontend bench clean

# Start the whole system on the embedded default (or on DATABASE_URL / KAFKA_BOOTSTRAP_SERVERS).
run: install frontend
	.venv/bin/python -m devstack run

# Every check: ruff, mypy, the Python tests, the frontend's tests.
test: install
	.venv/bin/python -m devstack test

install:
	./tools/bootstrap.sh

frontend:
	@if [ -f frontend/package.json ]; then echo "==> Building the web app"; cd frontend && npm run --silent build; fi

bench: install
	.venv/bin/python -m bench.outbox_throughput

clean:
	rm -rf .data
