# SPDX-License-Identifier: BSD-3-Clause
# cmake -D ROOT=<build dir> -D "TARGETS=a;b" -P fresh_dirs.cmake: empties ROOT/artifacts and
# ROOT/scratch, then creates ROOT/scratch/<target> for each target (libFuzzer's output corpus).
file(REMOVE_RECURSE "${ROOT}/scratch" "${ROOT}/artifacts")
file(MAKE_DIRECTORY "${ROOT}/artifacts")
foreach(t IN LISTS TARGETS)
  file(MAKE_DIRECTORY "${ROOT}/scratch/${t}")
endforeach()
