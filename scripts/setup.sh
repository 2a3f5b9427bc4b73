#!/usr/bin/env bash
# Installs what building and testing runoff needs, on a fresh machine, and
# does nothing slow when everything is already there:
#   the pinned Rust toolchain with the wasm32 target, Trunk, the wasm-bindgen
#   CLI of exactly the version in Cargo.lock, the npm tools (wasm-opt from
#   binaryen, Playwright's library), and the browsers the tests drive:
#   Chromium and chromedriver, Firefox ESR and geckodriver, WebKitGTK's
#   WebKitWebDriver with its MiniBrowser, and Xvfb for WebKit's window; and
#   PostgreSQL 15 for the team server's tests.
# Usage: scripts/setup.sh [--no-browser]   (--no-browser: only what serving needs)
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
GECKODRIVER_VERSION=0.37.1
want_browser=1
[ "${1:-}" = "--no-browser" ] && want_browser=0

say() { printf 'setup: %s\n' "$*"; }
export PATH="$HOME/.cargo/bin:$PATH"

# Rust toolchain: rust-toolchain.toml pins it. Where the machine has that
# release as "stable" but not under its number, link it rather than download.
pinned=$(sed -n 's/^channel *= *"\(.*\)"/\1/p' rust-toolchain.toml)
if ! rustup toolchain list | grep -q "^$pinned"; then
  if rustup run stable rustc --version 2>/dev/null | grep -q " $pinned "; then
    say "linking the stable toolchain as $pinned"
    rustup toolchain link "$pinned" "$(rustup run stable rustc --print sysroot)"
  else
    say "installing Rust $pinned"
    rustup toolchain install "$pinned" --profile minimal --component rustfmt --component clippy
  fi
fi
# The test command's layout and lint gates.
for tool in rustfmt clippy; do
  if ! rustup run "$pinned" cargo "${tool/rustfmt/fmt}" --version >/dev/null 2>&1; then
    say "adding $tool"
    rustup component add "$tool" --toolchain "$pinned"
  fi
done
if ! rustup target list --installed --toolchain "$pinned" | grep -q wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown --toolchain "$pinned"
fi

# Trunk (0.22 needs a newer rustc than the pinned one).
if ! trunk --version 2>/dev/null | grep -q "$TRUNK_VERSION"; then
  say "installing trunk $TRUNK_VERSION (several minutes)"
  cargo install --locked trunk --version "$TRUNK_VERSION"
fi

# wasm-bindgen CLI: exactly the library's version, or Trunk tries to download
# one. Not --locked: a locked dependency of some releases is not on the registry.
wb_version=$(cargo pkgid -p wasm-bindgen 2>/dev/null | sed 's/.*@//')
if ! wasm-bindgen --version 2>/dev/null | grep -q " $wb_version\$" ||
   ! command -v wasm-bindgen-test-runner >/dev/null; then
  say "installing wasm-bindgen-cli $wb_version"
  cargo install wasm-bindgen-cli --version "$wb_version" --force
fi

# npm tools: wasm-opt (binaryen: Debian's is too old for today's rustc) and
# playwright-core. Reinstalled only when package-lock.json changed.
if [ ! -x node_modules/.bin/wasm-opt ] || [ ! -d node_modules/playwright-core ] ||
   [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm tools"
  npm ci --no-audit --no-fund --loglevel=error
fi

# The browsers, from Debian (tools' own browser downloads fail here):
# Chromium and chromedriver; Firefox ESR; WebKitGTK's WebDriver, which
# brings MiniBrowser; Xvfb, for the window WebKit opens. Each package is
# installed only when the file that says it is there is missing.
if [ "$want_browser" = 1 ]; then
  missing=()
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  [ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
  [ -x /usr/bin/firefox-esr ] || missing+=(firefox-esr)
  [ -x /usr/bin/WebKitWebDriver ] || missing+=(webkit2gtk-driver)
  command -v xvfb-run >/dev/null || missing+=(xvfb)
  # xvfb-run needs xauth, which xvfb only recommends.
  command -v xauth >/dev/null || missing+=(xauth)
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing ${missing[*]}"
    sudo_cmd=""
    [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
  # geckodriver, Firefox's WebDriver, is not packaged by Debian: built from
  # crates.io (a few minutes, once). Its version text is several lines, read
  # whole: grep -q would close the pipe early and pipefail fail the check.
  if [ "$(geckodriver --version 2>/dev/null | head -n 1 || true)" != "geckodriver $GECKODRIVER_VERSION" ]; then
    say "installing geckodriver $GECKODRIVER_VERSION (a few minutes)"
    cargo install --locked geckodriver --version "$GECKODRIVER_VERSION"
  fi
fi
# PostgreSQL 15, for the team server's tests on PostgreSQL (scripts/pg.sh
# runs a throwaway cluster of it); skipped at once when it is there.
if [ "$want_browser" = 1 ] && [ ! -x /usr/lib/postgresql/15/bin/initdb ]; then
  say "installing postgresql"
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq postgresql >/dev/null
fi
# chainladder-python's sample files, which the browser tests import.
if [ "$want_browser" = 1 ]; then
  bash scripts/samples.sh
fi
say "ready"
