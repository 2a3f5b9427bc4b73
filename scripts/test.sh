#!/usr/bin/env bash
# Every test of runoff, in the order a failure is cheapest to find:
#   1. cargo test: the engine (reference fixtures), the worker, the app's logic;
#   2. wasm-bindgen-test: the app's browser code in headless Chromium;
#   3. the release build, with the gzipped sizes against their budgets;
#   4. end to end: the built app served on loopback, driven by Playwright.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh

echo "== cargo test (engine, worker, app logic)"
cargo test --workspace --quiet

echo "== wasm-bindgen-test (browser code in headless Chromium)"
cargo test -p runoff-app --target wasm32-unknown-unknown --test web --test web_views

echo "== release build"
bash scripts/build.sh

echo "== end to end (Playwright, headless Chromium)"
node --test --test-concurrency=1 tests/e2e/
