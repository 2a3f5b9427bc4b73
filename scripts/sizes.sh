#!/usr/bin/env bash
# Prints the gzipped sizes of the built app and worker .wasm and fails when
# one is over its budget (app 400 KB, worker 180 KB, save worker 120 KB,
# session worker 125 KB, range worker 110 KB). The page's budgets answer to
# a new user's first screen (tests/bench/first-screen.mjs, recorded in
# docs/benchmarks.md): what the app and the recalculation worker weigh is
# downloaded before the first total shows: both at their budgets (580 KB)
# weigh what a padded build measured at about 1 s (docs/benchmarks.md).
# The build for a team server (dist-team/, `team`) has its own app budget:
# what signing in and following the server add (docs/benchmarks.md).
# Usage: bash scripts/sizes.sh [dir [team]]   (dir: another build; dist/ by default)
set -euo pipefail
dist=$(realpath "${1:-$(dirname "$0")/../dist}")
cd "$(dirname "$0")/.."
status=0
check() {
  local label=$1 pattern=$2 budget_kb=$3 file bytes gz
  file=$(ls "$dist"/$pattern 2>/dev/null | head -1)
  if [ -z "$file" ]; then echo "sizes: no $label wasm in $dist"; status=1; return; fi
  bytes=$(stat -c %s "$file")
  gz=$(gzip -9 -c "$file" | wc -c)
  printf 'sizes: %-6s %-32s %8d bytes, %7d bytes gzipped (budget %d KB)\n' \
    "$label" "$(basename "$file")" "$bytes" "$gz" "$budget_kb"
  if [ "$gz" -gt $((budget_kb * 1024)) ]; then echo "sizes: $label is over budget"; status=1; fi
}
if [ "${2:-}" = team ]; then
  check app 'app-*_bg.wasm' 440
else
  check app 'app-*_bg.wasm' 400
fi
check worker 'worker_bg.wasm' 180
# The page's saves, started with the page.
check saver 'saver_bg.wasm' 120
# Session files' YAML, loaded only when a session is uploaded or downloaded.
check sessions 'sessions_bg.wasm' 125
# The reserve range (the engine's reserve and bootstrap, the table and
# histogram's markup), started when the Reserve range view is first shown:
# 90.5 KB at its first build (2026-12-04), with room for the exhibit to grow.
check range 'range_bg.wasm' 110
exit $status
