#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# clang-tidy over the C++ sources of policy/ and tests/ (every .cpp in BUILD_DIR's compile
# database), with the repository's .clang-tidy and every warning an error. Two files at a time.
# Usage: tests/lint/clang_tidy.sh BUILD_DIR    (registered as the test lint.clang_tidy when
# TG_CLANG_TIDY_TEST is on, as in the ci preset). Exit 0 clean, 1 on any finding.
set -euo pipefail
build=${1:?usage: clang_tidy.sh BUILD_DIR}
command -v clang-tidy > /dev/null || { echo "clang_tidy.sh: clang-tidy not found" >&2; exit 1; }
db="$build/compile_commands.json"
[ -f "$db" ] || { echo "clang_tidy.sh: $db missing (CMAKE_EXPORT_COMPILE_COMMANDS)" >&2; exit 1; }
mapfile -t files < <(python3 - "$db" <<'PY'
import json, re, sys
seen = set()
for entry in json.load(open(sys.argv[1])):
    f = entry["file"]
    if re.search(r"/(policy/src|policy/cli|tests)/.*\.cpp$", f) and "/_deps/" not in f and f not in seen:
        seen.add(f)
        print(f)
PY
)
[ "${#files[@]}" -gt 0 ] || { echo "clang_tidy.sh: no sources in $db" >&2; exit 1; }
echo "clang-tidy: ${#files[@]} files"
set +e
printf '%s\0' "${files[@]}" |
  xargs -0 -P 2 -n 4 clang-tidy -p "$build" --quiet --warnings-as-errors='*' 2>&1 |
  grep -v -E '^[0-9]+ warnings? (and [0-9]+ errors? )?generated\.$|^Suppressed [0-9]+ warnings|^Use -header-filter|^Use -system-headers'
status=${PIPESTATUS[1]}
set -e
if [ "$status" -ne 0 ]; then
  echo "clang-tidy: findings above (every warning is an error here)"
  exit 1
fi
echo "clang-tidy: clean"
