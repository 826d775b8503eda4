#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Runs the engine benchmarks and prints the figures that docs/performance.md records:
#   1. classify(): per-name median / p90 / p99 for 10 .. 10,000 protected domains, and the
#      screen in front of it on clean names;
#   2. policy load (libyang) + compile, time and peak RSS, in a fresh process per size;
#   3. `typoguard check` throughput on 100,000 names, with the default policy and with 10,000
#      protected domains.
# Usage: tests/bench/run.sh [BUILD_DIR]   (default build/bench; configured Release here)
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$src/build/bench}
cmake -S "$src" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DTG_BUILD_BENCHMARKS=ON \
      -DTG_BUILD_TESTS=OFF > /dev/null
cmake --build "$build" -j2 --target tg_classify_bench tg_load_bench typoguard > /dev/null

echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== 1. classify() per name (median / p90 / p99 across the query mix)"
"$build/tests/bench/tg_classify_bench" --benchmark_filter=PerName 2>/dev/null |
  awk '/BM_ClassifyPerName/ { split($1, a, "/"); line = "protected=" a[2];
        for (i = 2; i <= NF; i++) if ($i ~ /(median|p90|p99)_ns=/) line = line " " $i; print line }'

echo "== 1b. the screen per clean name (median / p90 / p99, share cleared)"
"$build/tests/bench/tg_classify_bench" --benchmark_filter=ScreenPerName 2>/dev/null |
  awk '/BM_ScreenPerName/ { split($1, a, "/"); line = "protected=" a[2];
        for (i = 2; i <= NF; i++) if ($i ~ /(median|p90|p99)_ns=|cleared_pct=/) line = line " " $i; print line }'

echo "== 2. policy load + compile (JSON via libyang), fresh process each"
for n in 10 100 1000 10000; do "$build/tests/bench/tg_load_bench" "$n"; done

echo "== 3. typoguard check throughput"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 - "$tmp" <<'PY'
import random, sys
tmp = sys.argv[1]
rng = random.Random(20261123)
cons, vows = "bcdfghjklmnprstvwz", "aeiou"
def label():
    return "".join((cons if i % 2 == 0 else vows)[rng.randrange(len(cons if i % 2 == 0 else vows))]
                   for i in range(rng.randrange(5, 13)))
suffixes = ["com", "net", "org", "mil", "gov", "co.uk", "de", "fr", "io", "com.au"]
protected = [f"{label()}{i}.{rng.choice(suffixes)}" for i in range(10000)]
with open(f"{tmp}/protect.txt", "w") as f:
    f.write("\n".join(protected) + "\n")
names = []
for i in range(100000):
    r = rng.random()
    if r < 0.6:
        names.append(f"{rng.choice(['www', 'mail', 'mx1', 'smtp'])}.{label()}.{rng.choice(suffixes)}")
    elif r < 0.8:
        p = rng.choice(protected)
        lab, suf = p.split(".", 1)
        k = rng.randrange(len(lab))
        names.append(lab[:k] + lab[k + 1:] + "." + suf)           # omission
    else:
        names.append("mail." + rng.choice(protected))             # under a protected domain
with open(f"{tmp}/names.txt", "w") as f:
    f.write("\n".join(names) + "\n")
PY
run() {  # label, args...
  local label=$1; shift
  local t0 t1
  t0=$(date +%s.%N)
  "$build/policy/typoguard" check "$@" --json < "$tmp/names.txt" > "$tmp/out.jsonl" || [ $? -eq 1 ]
  t1=$(date +%s.%N)
  python3 -c "import sys; n=sum(1 for _ in open('$tmp/out.jsonl')); s=$t1-$t0; print(f'$label: {n} names in {s:.2f} s = {n/s:,.0f} names/s (includes start-up)')"
}
run "default policy" 
run "10,000 protected domains" --protect-file "$tmp/protect.txt"
