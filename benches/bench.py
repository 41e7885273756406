#!/usr/bin/env python3
"""Benchmark of issue 8 (SPEC 5): on one generated set, alternating in one session,
time `eprscan convergence DIR -f csv`, the same job in Python polars (calamine engine)
and in pandas + openpyxl (benches/jobs.py), and three floors, files in parallel
(examples/floor.rs): every sheet of every workbook read by calamine; and the real
floor of issue 23, every worksheet part and shared-string table only inflated, and
inflated and tokenized by quick-xml (borrowing the buffer, as eprscan's own xlsx
reader does); plus fastexcel's, for reference. Prints median times, ratios, peak memory (from
/usr/bin/time) and the targets. Not used by `cargo test` or CI.

    cargo build --release --bin eprscan --example synth --example floor
    target/release/examples/synth --scale 1 --out /tmp/s1
    python3 benches/bench.py run /tmp/s1 --runs 5 --json s1.json
    python3 benches/bench.py run /tmp/s1 --baseline /tmp/eprscan-old   # a change's before/after
    python3 benches/bench.py compare s1.json s10.json     # scale-10 vs scale-1 targets
    python3 benches/bench.py trend /tmp/s1 --snapshots 24  # issue 20: a trend over 24

Needs `pip install polars fastexcel pandas openpyxl` and /usr/bin/time (apt: time).
"""
import argparse
import importlib.util
import csv
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGET = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
JOBS = os.path.join(ROOT, "benches", "jobs.py")


def timed(cmd):
    """Run cmd; (wall seconds, peak RSS in MB, stdout)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as rss:
        started = time.perf_counter()
        done = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", rss.name] + cmd,
                              capture_output=True, text=True)
        wall = time.perf_counter() - started
        if done.returncode != 0:
            sys.exit(f"failed ({done.returncode}): {' '.join(cmd)}\n{done.stderr[-2000:]}")
        kb = int(rss.read().strip().splitlines()[-1])
    return wall, kb / 1024, done.stdout


def inner_elapsed(stdout):
    """The `elapsed S` line a job prints: its time after start-up and imports."""
    for line in reversed(stdout.splitlines()):
        if line.startswith("elapsed "):
            return float(line.split()[1])
    return None


def check(name, rows, expected, columns):
    """Compare per-ICS values with expected.csv; return a one-line verdict."""
    bad = []
    for code, want in expected.items():
        got = rows.get(code)
        if got is None:
            bad.append(f"{code} missing")
            continue
        for column in columns:
            if int(float(got[column])) != int(want[column]):
                bad.append(f"{code} {column} {got[column]} != {want[column]}")
    return f"{name}: " + ("matches DIR.expected.csv" if not bad else "MISMATCH " + "; ".join(bad[:5]))


def run(args):
    folder = os.path.abspath(args.dir)
    eprscan = args.eprscan or os.path.join(TARGET, "release", "eprscan")
    floor = args.floor or os.path.join(TARGET, "release", "examples", "floor")
    # The job the Python scripts do (NHS trusts' EPRs by the 42 ICBs the synthetic
    # set is of): the same population and geography as DIR.expected.csv.
    job = ["convergence", folder, "--sectors", "trusts", "--geography", "2022", "-f", "csv"]
    tools = {
        "eprscan": [eprscan] + job,
        "floor (calamine, rust)": [floor, folder],
        "floor (inflate)": [floor, folder, "--inflate"],
        "floor (inflate+quick-xml)": [floor, folder, "--tokenize"],
    }
    # The Python jobs only where their modules are installed: without them the run
    # still times eprscan against the floors.
    if args.baseline:
        # An older build in the same alternating run: a change's before and after.
        tools["eprscan (baseline)"] = [args.baseline] + job
    if importlib.util.find_spec("fastexcel"):
        tools["fastexcel (read only)"] = [sys.executable, JOBS, "fastexcel", folder]
    if importlib.util.find_spec("polars"):
        tools["polars"] = [sys.executable, JOBS, "polars", folder]
    else:
        print("polars is not installed: timing eprscan against the floors only", file=sys.stderr)
    if not args.no_pandas and importlib.util.find_spec("pandas") and importlib.util.find_spec("openpyxl"):
        tools["pandas+openpyxl"] = [sys.executable, JOBS, "pandas", folder]
    results = {name: {"wall": [], "inner": [], "rss": []} for name in tools}
    outputs = {}
    names = list(tools)
    for round_ in range(args.runs):
        # Alternate: each round starts with a different tool.
        order = names[round_ % len(names):] + names[:round_ % len(names)]
        for name in order:
            if name.startswith("pandas") and round_ >= args.pandas_runs:
                continue
            wall, rss, stdout = timed(tools[name])
            inner = inner_elapsed(stdout)
            if name.startswith("floor"):
                inner = float(stdout.strip().splitlines()[-1])
            results[name]["wall"].append(wall)
            results[name]["inner"].append(inner if inner is not None else wall)
            results[name]["rss"].append(rss)
            outputs[name] = stdout
            print(f"  round {round_ + 1} {name:24} {wall:8.3f} s wall"
                  + (f" ({inner:.3f} s job)" if inner is not None else "")
                  + f" {rss:7.1f} MB", file=sys.stderr)

    summary = {"dir": folder, "runs": args.runs, "tools": {}}
    for name, r in results.items():
        summary["tools"][name] = {
            "median_wall": statistics.median(r["wall"]),
            "median_job": statistics.median(r["inner"]),
            "min_wall": min(r["wall"]),
            "peak_rss_mb": max(r["rss"]),
            "runs": len(r["wall"]),
        }
    ours = summary["tools"]["eprscan"]["median_wall"]
    print(f"\n{folder}: median of {args.runs} alternating runs")
    print(f"{'tool':26} {'median s':>9} {'job s':>9} {'peak MB':>8} {'x eprscan':>9}")
    for name, t in summary["tools"].items():
        print(f"{name:26} {t['median_wall']:9.3f} {t['median_job']:9.3f} "
              f"{t['peak_rss_mb']:8.1f} {t['median_job'] / ours:9.2f}")
    floor_s = summary["tools"]["floor (calamine, rust)"]["median_job"]
    inflate_s = summary["tools"]["floor (inflate)"]["median_job"]
    tokenize_s = summary["tools"]["floor (inflate+quick-xml)"]["median_job"]
    summary["ratio_floor"] = ours / floor_s
    summary["ratio_inflate"] = ours / inflate_s
    summary["ratio_tokenize"] = ours / tokenize_s
    print()
    if "polars" in summary["tools"]:
        polars = summary["tools"]["polars"]["median_job"]
        summary["ratio_polars"] = ours / polars
        print(f"eprscan / polars job time  = {ours / polars:.3f}  (target <= 0.2)")
    print(f"eprscan / inflate+quick-xml = {ours / tokenize_s:.3f}  (target <= 1.5, issue 23)")
    print(f"eprscan / inflate only     = {ours / inflate_s:.3f}")
    print(f"eprscan / calamine floor   = {ours / floor_s:.3f}  (issue 8's target <= 1.5)")
    if "eprscan (baseline)" in summary["tools"]:
        before = summary["tools"]["eprscan (baseline)"]["median_wall"]
        summary["ratio_baseline"] = ours / before
        print(f"eprscan / baseline         = {ours / before:.3f}  "
              f"(baseline / inflate+quick-xml = {before / tokenize_s:.3f})")
    print(f"eprscan peak memory        = {summary['tools']['eprscan']['peak_rss_mb']:.1f} MB")
    if "pandas+openpyxl" in summary["tools"]:
        pandas = summary["tools"]["pandas+openpyxl"]["median_job"]
        print(f"eprscan / pandas job time  = {ours / pandas:.4f}")

    expected_path = folder.rstrip("/") + ".expected.csv"
    if os.path.exists(expected_path):
        with open(expected_path) as f:
            expected = {r["ics_code"]: r for r in csv.DictReader(f) if r["ics_code"]}
        columns = ["providers", "distinct_eprs", "distinct_eprs_planned"]
        ours_rows = {r["ics_code"]: r for r in csv.DictReader(io.StringIO(outputs["eprscan"]))}
        print(check("eprscan", ours_rows, expected, columns))
        for name in ("polars", "pandas+openpyxl"):
            if name in outputs:
                text = "\n".join(l for l in outputs[name].splitlines() if not l.startswith("elapsed"))
                rows = {r["ICB code"]: r for r in csv.DictReader(io.StringIO(text))}
                print(check(name, rows, expected, columns + ["trusts", "live", "implementing"]))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(summary, f, indent=2)


def compare(args):
    with open(args.small) as f:
        small = json.load(f)
    with open(args.large) as f:
        large = json.load(f)
    s, l = small["tools"]["eprscan"], large["tools"]["eprscan"]
    print(f"eprscan time   : {s['median_wall']:.3f} s -> {l['median_wall']:.3f} s = "
          f"{l['median_wall'] / s['median_wall']:.2f}x  (target <= 11x)")
    print(f"eprscan memory : {s['peak_rss_mb']:.1f} MB -> {l['peak_rss_mb']:.1f} MB = "
          f"{l['peak_rss_mb'] / s['peak_rss_mb']:.2f}x  (target <= 10x; scale 1 < 200 MB)")


def trend(args):
    """Issue 20: `eprscan trend` over N snapshots (hard links of one generated set in
    N dated sub-folders) against N times `eprscan trend` over one snapshot."""
    folder = os.path.abspath(args.dir)
    eprscan = args.eprscan or os.path.join(TARGET, "release", "eprscan")
    files = sorted(f for f in os.listdir(folder) if f.endswith(".xlsx"))
    with tempfile.TemporaryDirectory() as tmp:
        series = os.path.join(tmp, "series")
        for i in range(args.snapshots):
            month = os.path.join(series, f"{2025 + i // 12:04}-{i % 12 + 1:02}")
            os.makedirs(month)
            for f in files:
                os.link(os.path.join(folder, f), os.path.join(month, f))
        one = os.path.join(series, "2025-01")
        many_t, one_t, many_rss, one_rss = [], [], [], []
        for _ in range(args.runs):
            wall, rss, _ = timed([eprscan, "trend", series, "-f", "csv", "-q"])
            many_t.append(wall)
            many_rss.append(rss)
            wall, rss, _ = timed([eprscan, "trend", one, "-f", "csv", "-q"])
            one_t.append(wall)
            one_rss.append(rss)
    many, single = statistics.median(many_t), statistics.median(one_t)
    n = args.snapshots
    print(f"trend over {n} snapshots: {many:.3f} s, peak {max(many_rss):.1f} MB")
    print(f"trend over 1 snapshot   : {single:.3f} s, peak {max(one_rss):.1f} MB")
    print(f"{n} snapshots / ({n} x one) = {many / (n * single):.3f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run", help="time every tool on one generated set")
    r.add_argument("dir")
    r.add_argument("--runs", type=int, default=5)
    r.add_argument("--pandas-runs", type=int, default=99,
                   help="run pandas only in the first N rounds (it is slow)")
    r.add_argument("--no-pandas", action="store_true")
    r.add_argument("--eprscan", help="eprscan binary (default: target/release/eprscan)")
    r.add_argument("--floor", help="floor binary (default: target/release/examples/floor)")
    r.add_argument("--baseline", help="a second eprscan binary (an older build), timed in the "
                   "same alternating run")
    r.add_argument("--json", help="write the summary here")
    c = sub.add_parser("compare", help="scale-10 against scale-1 targets")
    c.add_argument("small")
    c.add_argument("large")
    t = sub.add_parser("trend", help="eprscan trend over N copies of one set")
    t.add_argument("dir")
    t.add_argument("--snapshots", type=int, default=24)
    t.add_argument("--runs", type=int, default=3)
    t.add_argument("--eprscan", help="eprscan binary (default: target/release/eprscan)")
    args = parser.parse_args()
    {"run": run, "compare": compare, "trend": trend}[args.command](args)


if __name__ == "__main__":
    main()
