#!/usr/bin/env bash
# Times the `runoff` command line against chainladder-python on the package's
# own sample files, and checks that both compute the same reserves:
#
#   clrd   775 company × line triangles (CumPaidLoss), a chain ladder each
#   prism  34,244 claim-level incremental payments, monthly, summed into one
#          triangle, Mack chain ladder
#
# Both programs go the way a user writes it: read the CSV, build the
# triangle(s), fit, take the totals. chainladder-python by
# `pd.read_csv` → `cl.Triangle(...)` → the fit, timed from inside Python
# after its imports, two ways:
#
#   first call  in a fresh process (what a script run once pays: numba
#               compiling its kernels, pandas' first parse), median of RUNS
#               fresh processes;
#   warm        in one process after one untimed call, median of WARM calls.
#
# runoff is a command line: every run is a fresh process (start-up, reading,
# computing, writing JSON), so its first call and its warm call are the same
# thing; it is timed that way only, median of RUNS runs, and compared with
# both. Defaults RUNS=3, WARM=10.
#
# chainladder-python 0.10.1 comes from BENCH_VENV (default /work/clvenv when
# it has it, else /tmp/runoff-bench/venv, installed there once). The results
# are explained in docs/benchmarks.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ -z "${BENCH_VENV:-}" ] && [ -x /work/clvenv/bin/python ]; then BENCH_VENV=/work/clvenv; fi
VENV="${BENCH_VENV:-/tmp/runoff-bench/venv}"
RUNS="${RUNS:-3}"
WARM="${WARM:-10}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"

if ! "$VENV/bin/python" -c 'import chainladder' 2>/dev/null; then
    echo "installing chainladder-python into $VENV" >&2
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet chainladder==0.10.1
fi

# The `cli` profile: release with full optimisation (the release profile
# itself optimises the browser build for size).
echo "building runoff (profile cli)" >&2
cargo build --quiet --profile cli -p runoff-cli --manifest-path "$ROOT/Cargo.toml"
RUNOFF="$CARGO_TARGET_DIR/cli/runoff"

exec "$VENV/bin/python" - "$RUNOFF" "$RUNS" "$WARM" <<'PY'
import json, math, os, statistics, subprocess, sys, tempfile, time

runoff, runs, warm = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
import chainladder
data = os.path.join(os.path.dirname(chainladder.__file__), "utils", "data")

# chainladder-python's side, as a user writes it: read the CSV with pandas,
# build the triangle, fit. Run as `python -c CL case path calls`: the first
# call is timed, then (calls > 1) one more call and `calls - 2` timed ones in
# the same process; it prints the figures and the times.
CL = r'''
import json, statistics, sys, time, warnings
warnings.filterwarnings("ignore")
import numpy as np
import pandas as pd
import chainladder as cl
case, path, calls = sys.argv[1], sys.argv[2], int(sys.argv[3])

def once():
    df = pd.read_csv(path)
    if case == "clrd":
        # As cl.load_sample builds it, for the one measure runoff reads:
        # origin AccidentYear, development DevelopmentYear, index GRNAME
        # and LOB, cumulative.
        tri = cl.Triangle(df, origin="AccidentYear", development="DevelopmentYear",
                          index=["GRNAME", "LOB"], columns="CumPaidLoss", cumulative=True)
        ibnr = cl.Chainladder().fit(tri).ibnr_.sum("origin")
        per = {f"{g}|{l}": float(v) for (g, l), v in
               zip(tri.index.itertuples(index=False), np.asarray(ibnr.values).ravel())}
        return {"per": per, "total_ibnr": float(np.nansum(list(per.values())))}
    # Incremental payments per claim, summed over the claims (no index) and
    # made cumulative before fitting: Mack's standard errors are defined on
    # the cumulative triangle.
    tri = cl.Triangle(df, origin="AccidentDate", development="PaymentDate",
                      columns="Paid", cumulative=False).incr_to_cum()
    model = cl.MackChainladder().fit(tri)
    return {"total_ibnr": float(model.ibnr_.sum()),
            "total_mack_std_err": float(model.total_mack_std_err_.values.ravel()[0])}

start = time.perf_counter()
out = once()
out["first"] = time.perf_counter() - start
if calls > 1:
    once()
    times = []
    for _ in range(calls - 2):
        start = time.perf_counter()
        once()
        times.append(time.perf_counter() - start)
    out["warm"] = statistics.median(times)
print(json.dumps(out))
'''

def chainladder_python(case, path):
    """First call: median over `runs` fresh processes; warm: the median of
    `warm` calls in one more process, after one untimed call."""
    first = []
    for _ in range(runs):
        p = subprocess.run([sys.executable, "-c", CL, case, path, "1"], capture_output=True, text=True, check=True)
        first.append(json.loads(p.stdout)["first"])
    p = subprocess.run([sys.executable, "-c", CL, case, path, str(warm + 2)], capture_output=True, text=True, check=True)
    out = json.loads(p.stdout)
    out["first"] = statistics.median(first)
    return out

def runoff_cli(args):
    times, out = [], None
    for _ in range(runs):
        start = time.perf_counter()
        p = subprocess.run([runoff, "reserve", *args], capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        # 1: some triangles of a grouped run could not be reserved; the
        # others are on stdout, and the refused ones are compared below.
        if p.returncode not in (0, 1) or not p.stdout:
            sys.exit(f"runoff failed ({p.returncode}): {p.stderr}")
        out = [json.loads(line) for line in p.stdout.splitlines()]
    return statistics.median(times), out

def rel(a, b):
    return abs(a - b) / abs(b) if b else abs(a - b)

rows = []

# clrd
clrd_args = ["--triangle", f"{data}/clrd.csv", "--origin-col", "AccidentYear",
             "--development-col", "DevelopmentYear", "--value-col", "CumPaidLoss",
             "--group-col", "GRNAME", "--group-col", "LOB"]
ro_s, ro_out = runoff_cli(clrd_args)
cl_res = chainladder_python("clrd", f"{data}/clrd.csv")
ro_per, refused = {}, {}
for o in ro_out:
    key = f'{o["group"]["GRNAME"]}|{o["group"]["LOB"]}'
    if "error" in o:
        refused[key] = o["error"]
    else:
        ro_per[key] = o["methods"]["chainladder"]["total_ibnr"]
ro_total = sum(ro_per.values())
rows.append(("clrd: 775 chain ladders", ro_s, cl_res, ro_total, cl_res["total_ibnr"], None, None))

# prism
prism_args = ["--triangle", f"{data}/prism.csv", "--origin-col", "AccidentDate",
              "--development-col", "PaymentDate", "--value-col", "Paid",
              "--incremental", "--grain", "monthly"]
pr_s, pr_out = runoff_cli(prism_args)
pr_cl = chainladder_python("prism", f"{data}/prism.csv")
mack = pr_out[0]["methods"]["mack"]
rows.append(("prism: Mack chain ladder 120×120", pr_s, pr_cl,
             pr_out[0]["methods"]["chainladder"]["total_ibnr"], pr_cl["total_ibnr"],
             mack["total_mack_std_err"], pr_cl["total_mack_std_err"]))

print(f"chainladder-python {chainladder.__version__}: first call = median of {runs} fresh processes, "
      f"warm = median of {warm} calls in one process after one call; runoff: a fresh process each run "
      f"(the command line), median of {runs}\n")
print(f'{"case":<34} {"runoff":>9} {"cl first":>10} {"×":>6} {"cl warm":>9} {"×":>6}   {"runoff IBNR":>18} {"chainladder IBNR":>18} {"rel. diff":>9}')
for name, rs, c, ri, ci, _, _ in rows:
    print(f"{name:<34} {rs*1000:>7.0f}ms {c['first']*1000:>8.0f}ms {c['first']/rs:>5.1f}× {c['warm']*1000:>7.0f}ms {c['warm']/rs:>5.1f}×"
          f"   {ri:>18,.2f} {ci:>18,.2f} {rel(ri, ci):>9.1e}")
_, _, _, _, _, rse, cse = rows[1]
print(f'{"prism: total Mack std err":<34} {"":>9} {"":>10} {"":>6} {"":>9} {"":>6}   {rse:>18,.2f} {cse:>18,.2f} {rel(rse, cse):>9.1e}')

print(f"\nchecks: runoff faster than warm chainladder-python on clrd: {'yes' if rows[0][2]['warm'] > rows[0][1] else 'NO'}, "
      f"on prism: {'yes' if rows[1][2]['warm'] > rows[1][1] else 'NO'}; "
      f"prism totals within 1e-9: {'yes' if rel(rows[1][3], rows[1][4]) < 1e-9 and rel(rse, cse) < 1e-9 else 'NO'}")

# Where the clrd triangles differ, and why (see docs/benchmarks.md).
same, zero_vs_nan, nothing, refused_finite, other = 0, [], [], [], []
for key, c in cl_res["per"].items():
    if key in refused:
        (nothing if math.isnan(c) else refused_finite).append((key, c))
    elif math.isnan(c):
        zero_vs_nan.append((key, ro_per[key]))
    elif rel(ro_per[key], c) < 1e-9 or abs(ro_per[key] - c) < 1e-6:
        same += 1
    else:
        other.append((key, ro_per[key], c))
print(f"\nclrd per triangle: {same} agree to 1e-9; "
      f"{len(nothing)} have no reserve in either (runoff refuses: first age all zero; chainladder: NaN); "
      f"{len(zero_vs_nan)} are NaN in chainladder-python and "
      f"{sum(1 for _, r in zero_vs_nan if r == 0)} of them 0 in runoff; "
      f"{len(refused_finite)} are refused by runoff but have a chainladder-python IBNR; "
      f"{len(other)} differ otherwise")
if refused_finite:
    print(f"  refused by runoff (first development age only zeros), chainladder-python's IBNR, "
          f"in all {sum(c for _, c in refused_finite):,.2f}:")
    for key, c in sorted(refused_finite, key=lambda kc: -abs(kc[1])):
        print(f"    {key:<50} {c:>14,.2f}")
for key, r, c in other:
    print(f"  differs: {key:<50} runoff {r:,.2f} chainladder-python {c:,.2f}")
PY
