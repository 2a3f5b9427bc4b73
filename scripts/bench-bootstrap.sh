#!/usr/bin/env bash
# Times `runoff bootstrap` against chainladder-python on the same 10,000
# simulations of RAA (10 × 10) and the `quarterly` incurred triangle
# (12 origins × 45 quarterly ages), side by side, and prints the speed-up:
#
#   runoff             `runoff bootstrap --sims 10000` as a whole process
#                      (read the CSV, bootstrap, write JSON), `cli` profile
#   chainladder-python BootstrapODPSample(n_sims=10000, hat_adj=True) then
#                      Chainladder(), timed inside one warm Python process:
#                      chainladder imported and the same pipeline run once
#                      before timing, so neither its import nor its first
#                      call is held against it
#
# Both with process risk (runoff's default `--process gamma`;
# chainladder-python's `fit_transform` pipeline), and without it
# (`--process none`; chainladder-python's `fit(X).resampled_triangles_`).
# Each figure is the median of RUNS runs (default 3). The means and
# standard deviations are printed beside, as a check that both computed the
# same thing (they agree within Monte Carlo error, not digit for digit).
#
# chainladder-python comes from BENCH_VENV (default /work/clvenv, else
# /tmp/runoff-bench/venv, installed there on first use). The results are in
# docs/benchmarks.md, section "Bootstrap".
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNS="${RUNS:-3}"
SIMS="${SIMS:-10000}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
if [ -z "${BENCH_VENV:-}" ]; then
    if [ -x /work/clvenv/bin/python ]; then BENCH_VENV=/work/clvenv; else BENCH_VENV=/tmp/runoff-bench/venv; fi
fi
if ! "$BENCH_VENV/bin/python" -c 'import chainladder' 2>/dev/null; then
    echo "installing chainladder-python into $BENCH_VENV" >&2
    python3 -m venv "$BENCH_VENV"
    "$BENCH_VENV/bin/pip" install --quiet chainladder
fi

echo "building runoff (profile cli)" >&2
cargo build --quiet --profile cli -p runoff-cli --manifest-path "$ROOT/Cargo.toml"
RUNOFF="$CARGO_TARGET_DIR/cli/runoff"

exec "$BENCH_VENV/bin/python" - "$RUNOFF" "$ROOT/engine/tests/data" "$RUNS" "$SIMS" <<'PY'
import json, statistics, subprocess, sys, time, warnings
warnings.filterwarnings("ignore")
import numpy as np
import chainladder as cl

runoff, data, runs, sims = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
SEED = 42

def cl_pipeline(X, n, process):
    sample = cl.BootstrapODPSample(n_sims=n, hat_adj=True, random_state=SEED)
    tri = sample.fit_transform(X) if process else sample.fit(X).resampled_triangles_
    ibnr = np.nan_to_num(cl.Chainladder().fit(tri).ibnr_.values[:, 0, :, 0]).sum(axis=1)
    return ibnr

def chainladder_python(X, process):
    cl_pipeline(X, 100, process)  # warm: the first call's imports and caches
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        ibnr = cl_pipeline(X, sims, process)
        times.append(time.perf_counter() - start)
    return statistics.median(times), float(ibnr.mean()), float(ibnr.std(ddof=1))

def runoff_cli(path, process):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        p = subprocess.run([runoff, "bootstrap", "--triangle", path, "--sims", str(sims),
                            "--seed", str(SEED), "--process", process], capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        if p.returncode != 0:
            sys.exit(f"runoff failed ({p.returncode}): {p.stderr}")
    total = json.loads(p.stdout.splitlines()[0])["total"]
    return statistics.median(times), total["mean"], total["std"]

cases = [
    ("RAA 10×10", f"{data}/raa.csv", cl.load_sample("raa")),
    ("quarterly 12×45", f"{data}/quarterly.csv", cl.load_sample("quarterly")["incurred"]),
]
rows = []
for name, path, X in cases:
    for process in ("gamma", "none"):
        rs, rm, rsd = runoff_cli(path, process)
        cs, cm, csd = chainladder_python(X, process == "gamma")
        rows.append((f"{name}, process {process}", rs, cs, rm, cm, rsd, csd))

print(f"chainladder-python {cl.__version__}; {sims:,} simulations; median of {runs} runs each\n")
print(f'{"case":<30} {"runoff":>9} {"chainladder":>12} {"speed-up":>9}   {"mean: runoff":>14} {"chainladder":>12}   {"std: runoff":>13} {"chainladder":>12}')
for name, rs, cs, rm, cm, rsd, csd in rows:
    print(f"{name:<30} {rs*1000:>7.0f}ms {cs*1000:>10.0f}ms {cs/rs:>8.1f}×   {rm:>14,.0f} {cm:>12,.0f}   {rsd:>13,.0f} {csd:>12,.0f}")
slowest = min(cs / rs for _, rs, cs, *_ in rows)
print(f"\nrunoff ≥ 20× faster in every case: {'yes' if slowest >= 20 else 'NO'} (least {slowest:.1f}×)")
PY
