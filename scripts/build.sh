#!/usr/bin/env bash
# Release builds (wasm-opt -Oz), then the gzipped size of the app and worker
# .wasm against their budgets:
#   dist/       the static app, for any host;
#   dist-team/  the same app with the cargo feature `team` (signing in to a
#               team server, which serves it: `runoff serve`).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
trunk build --release
bash scripts/sizes.sh
trunk build --release --features team --dist dist-team
bash scripts/sizes.sh dist-team team
