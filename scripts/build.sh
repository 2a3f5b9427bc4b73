#!/usr/bin/env bash
# Release build into dist/ (wasm-opt -Oz), then the gzipped size of the app
# and worker .wasm against their budgets.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
trunk build --release
bash scripts/sizes.sh
