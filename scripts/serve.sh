#!/usr/bin/env bash
# Builds runoff and serves it on http://127.0.0.1:8080/ (the `quarterly`
# sample segment opens first). Usage: scripts/serve.sh [--port N]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --no-browser
source scripts/env.sh
port=8080
[ "${1:-}" = "--port" ] && port="$2"
exec trunk serve --release --address 127.0.0.1 --port "$port"
