#!/usr/bin/env python3
"""Run a Tessera benchmark suite and the Dask side of the same workloads, in
one go, and print both figures with their ratio.

    bench/compare.py overhead [--size full] [--repeat 3]

Tessera lines come from `build/tools/tessera bench SUITE`; Dask lines from
../shared/bench/dask_bench.py run by /usr/bin/python3 (Debian's dask). Both
are written to bench/results-<suite>-<date>.jsonl; a table goes to stdout.
"""
import argparse
import datetime
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SHARED = os.path.join(ROOT, "..", "shared", "bench")
SUITES = {  # suite -> regex of its workloads in dask_bench.py
    "overhead": r"^(w1_delayed_(100k|10k)|w2_futures_map_20k)$",
    "bag": r"^w5_bag_(city_top10|wordcount_top20)$",
    "array": r"^(w3_.*|w6_matmul_x_xT)$",
    "dataframe": r"^w4_(q[1-4]_[a-z_]+|all4_one_pass)$",
}
# The Dask engine each workload is compared with (W2 needs a distributed Client).
DASK_ENGINES = {"w1_delayed_100k": "dask-threads", "w1_delayed_10k": "dask-threads",
                "w2_futures_map_20k": "dask-distributed"}
DASK_ENGINES.update({"w5_bag_city_top10": "dask-threads", "w5_bag_wordcount_top20": "dask-threads"})
DASK_ENGINES.update({w: "dask-threads" for w in (  # array: dask.array on the threaded scheduler
    "w3_random_sym_mean", "w3_random_std", "w3_npy_memmap_sum", "w3_raw_memmap_sum",
    "w3_file_sym_mean", "w3_file_std", "w6_matmul_x_xT")})
DASK_ENGINES.update({w: "dask-threads" for w in (  # dataframe: dask.dataframe on the threaded scheduler
    "w4_q1_groupby_name_x_mean", "w4_q2_filter_groupby_id_y_sum", "w4_q3_groupby_name_agg",
    "w4_q4_id_value_counts", "w4_all4_one_pass")})


def run_tessera(suite, args):
    exe = os.path.join(ROOT, "build", "tools", "tessera")
    cmd = [exe, "bench", suite, "--size", args.size, "--repeat", str(args.repeat)]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return [json.loads(l) for l in out.splitlines() if l.startswith("{")]


def run_dask(suite, args):
    py = "/usr/bin/python3"
    if not os.path.exists(py) or subprocess.run([py, "-c", "import dask"]).returncode != 0:
        print("note: /usr/bin/python3 has no dask; Dask side skipped", file=sys.stderr)
        return []
    lines = []
    workloads = [w for w in DASK_ENGINES if __import__("re").search(SUITES[suite], w)]
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "dask.jsonl")
        for engine in sorted({DASK_ENGINES[w] for w in workloads}):
            only = "^(%s)$" % "|".join(w for w in workloads if DASK_ENGINES[w] == engine)
            cmd = [py, os.path.join(SHARED, "dask_bench.py"), "--size", args.size, "--repeat",
                   str(args.repeat), "--only", only, "--engines", engine, "--out", out]
            if args.data:
                cmd += ["--data", args.data]
            subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        with open(out) as f:
            lines = [json.loads(l) for l in f if l.startswith("{")]
    return lines


def main():
    p = argparse.ArgumentParser()
    p.add_argument("suite", choices=sorted(SUITES))
    p.add_argument("--size", default="full", choices=["small", "full"])
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--data", default="")
    args = p.parse_args()

    ours = run_tessera(args.suite, args)
    theirs = run_dask(args.suite, args)
    stamp = datetime.date.today().isoformat()
    path = os.path.join(HERE, "results-%s-%s.jsonl" % (args.suite, stamp))
    with open(path, "w") as f:
        for r in ours + theirs:
            f.write(json.dumps(r) + "\n")
    print("| workload | engine | seconds | tasks/s | vs Dask |")
    print("|---|---|---|---|---|")
    for r in ours:
        ref = [d for d in theirs if d["workload"] == r["workload"]]
        ratio = ", ".join("%.0fx %s" % (d["seconds"] / r["seconds"], d["engine"]) for d in ref)
        print("| %s | %s | %.3f | %.0f | %s |" % (r["workload"], r["engine"], r["seconds"],
                                                 r.get("tasks_per_s", 0), ratio or "-"))
    for d in theirs:
        print("| %s | %s | %.3f | %.0f | |" % (d["workload"], d["engine"], d["seconds"],
                                              d.get("tasks_per_s", 0)))
    print("written:", path)


if __name__ == "__main__":
    main()
