#!/usr/bin/env python3
"""Pairs two builds of the inference bench in one sitting: before/after figures that the machine's load hits alike.

Starts `serve 2` from each build's Functional.Benchmarks.dll, then for every round and row asks both for
`infer ours PATH BATCH` (the order swapped every round) and the second build for `infer ort PATH BATCH`, and prints
each row's medians over rounds with before/after and ort/ours for both builds. On a shared machine only these
ratios, measured side by side, mean anything; absolute times follow the load.

Usage: python3 scripts/infer_pair.py BEFORE_DLL AFTER_DLL ROUNDS "ONNX_PATH BATCH" ...
Example (the build before, from a commit, in the git-ignored artifacts/):
  mkdir -p artifacts/base && git archive COMMIT | tar -x -C artifacts/base
  (cd artifacts/base && dotnet build Benchmarks/Functional.Benchmarks.csproj -c Release)
  python3 scripts/infer_pair.py artifacts/base/Benchmarks/bin/Release/net10.0/Functional.Benchmarks.dll \\
      Benchmarks/bin/Release/net10.0/Functional.Benchmarks.dll 3 "artifacts/bench-onnx/lenet5.onnx 1"
"""
import statistics
import subprocess
import sys


def start(dll):
    p = subprocess.Popen(["dotnet", dll, "serve", "2"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
    p.stdout.readline()  # "ready cpu 2"
    return p


def ask(p, line):
    p.stdin.write(line + "\n")
    p.stdin.flush()
    return float(p.stdout.readline().split()[0])  # the median; the p90 follows it


def main():
    before, after, rounds, rows = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:]
    sides = {"before": start(before), "after": start(after)}
    times = {(row, side): [] for row in rows for side in ("before", "after", "ort")}
    for i in range(rounds):
        for row in rows:
            for side in ("before", "after") if i % 2 == 0 else ("after", "before"):
                times[(row, side)].append(ask(sides[side], "infer ours " + row))
            times[(row, "ort")].append(ask(sides["after"], "infer ort " + row))
    print(f"{'row':44s} {'before ms':>10s} {'after ms':>10s} {'ORT ms':>10s} {'before/after':>12s} {'ort/before':>10s} {'ort/after':>9s}")
    for row in rows:
        b, a, o = (statistics.median(times[(row, side)]) for side in ("before", "after", "ort"))
        print(f"{row:44s} {b:10.4f} {a:10.4f} {o:10.4f} {b / a:12.2f} {o / b:10.2f} {o / a:9.2f}")
    for p in sides.values():
        p.stdin.write("quit\n")
        p.stdin.flush()


if __name__ == "__main__":
    main()
