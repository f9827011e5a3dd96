#!/usr/bin/env bash
# The one test command (README, CI): set up, lint, type-check, test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
.venv/bin/ruff check typhoon_tf tests scripts benchmarks
.venv/bin/ruff format --check typhoon_tf tests benchmarks
.venv/bin/mypy
.venv/bin/python -m pytest -q -n auto --dist worksteal "$@"
