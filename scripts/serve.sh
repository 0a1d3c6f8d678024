#!/usr/bin/env bash
# One command from a fresh machine to a running service on http://localhost:8000.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec bash run.sh
