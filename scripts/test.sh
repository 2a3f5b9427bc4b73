#!/usr/bin/env bash
# Every test of runoff, in the order a failure is cheapest to find:
#   0. the code's layout (cargo fmt --check, rustfmt.toml) and clippy with
#      every warning an error, natively and for wasm32 (the page's and the
#      workers' code, and its browser tests);
#   1. cargo test: the engine (reference fixtures), the worker, the app's logic,
#      the command line and the team server (SQLite), then the team server on
#      PostgreSQL (a throwaway cluster, scripts/pg.sh);
#   2. wasm-bindgen-test: the app's browser code in headless Chromium, then in
#      headless Firefox ESR, then in WebKit;
#   3. the release builds (the static app, and the app for a team server),
#      with the gzipped sizes against their budgets;
#   4. end to end: the built app served on loopback, driven by Playwright in
#      headless Chromium (and the team build served by `runoff serve`);
#   5. the core of the workbench end to end in Firefox ESR and WebKit, each
#      through its own WebDriver (tests/browsers/).
# wasm-bindgen-test-runner picks its browser from the first driver variable
# set, GECKODRIVER before CHROMEDRIVER, so each run sets only its own. It
# knows WebKit only as macOS's safaridriver and asks it for a session without
# capabilities, which WebKitGTK's driver cannot start: tests/browsers/
# wasm-in-webkit.mjs relays its commands and names MiniBrowser.
# WebKit opens a window, so its steps run under xvfb-run.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh
gecko="$HOME/.cargo/bin/geckodriver"

echo "== cargo fmt --check, clippy -D warnings (native and wasm32)"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --quiet -- -D warnings
# The command line and the server run natively only.
cargo clippy --workspace --exclude runoff-server --exclude runoff-cli --target wasm32-unknown-unknown --quiet \
  -- -D warnings
cargo clippy -p runoff-app --target wasm32-unknown-unknown --test web --test web_views --quiet -- -D warnings
# The build for a team server (the feature `team`).
cargo clippy -p runoff-app --features team --target wasm32-unknown-unknown --quiet -- -D warnings

echo "== cargo test (engine, worker, app logic, command line, server on SQLite)"
cargo test --workspace --quiet

echo "== the server on PostgreSQL (a throwaway cluster: the API's tests, the load test on two servers)"
bash scripts/pg.sh cargo test -p runoff-server --test api --quiet
bash scripts/pg.sh cargo test -p runoff-cli --test load --quiet -- postgres killed

echo "== wasm-bindgen-test (browser code in headless Chromium)"
env -u GECKODRIVER cargo test -p runoff-app --target wasm32-unknown-unknown --test web --test web_views

echo "== wasm-bindgen-test (browser code in headless Firefox ESR)"
GECKODRIVER="$gecko" cargo test -p runoff-app --target wasm32-unknown-unknown --test web --test web_views

echo "== wasm-bindgen-test (browser code in WebKit)"
xvfb-run -a node tests/browsers/wasm-in-webkit.mjs --test web --test web_views

echo "== release build"
bash scripts/build.sh

echo "== end to end (Playwright, headless Chromium)"
node --test --test-concurrency=1 tests/e2e/

echo "== end to end in Firefox ESR and WebKit (WebDriver)"
GECKODRIVER="$gecko" xvfb-run -a node --test --test-concurrency=1 tests/browsers/
