#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The engine and the `typoguard` command on Debian 13's toolchain (libyang 3, Catch2 v3, GCC 14,
# spdlog 1.15, ICU 76): in a clean trixie root (debian/root.sh), the build dependencies from
# Debian's archive, the tree as git sees it built with warnings as errors (no Unbound module),
# then the unit and command tests without network.
#   tests/packaging/trixie_engine_test.sh
# Needs root. Caches nothing beyond root.sh's base tarball; the root is removed on exit.
set -euo pipefail
here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd -- "$here/../.." && pwd)
TG_PROG=trixie_engine_test.sh
# shellcheck source=debian/root.sh
source "$repo/debian/root.sh"

[[ $(id -u) -eq 0 ]] || {
  echo "trixie_engine_test.sh: needs root (chroot, namespaces); skipped"
  exit 77
}

readonly deps=(build-essential cmake ninja-build pkgconf libyang-dev libidn2-dev libicu-dev
  libpsl-dev libssl-dev publicsuffix libspdlog-dev libfmt-dev catch2 python3 python3-dnspython)

started=$SECONDS
root=$TG_CACHE/work/trixie-engine.$$
cleanup() { rm -rf -- "$root"; }
trap cleanup EXIT
tg_unpack_root trixie "$root"

# quiet RUN LOG CMD...: runs CMD with its output in LOG, shown (the end of it) only on failure.
quiet() {
  local log=$1
  shift
  if ! "$@" >"$log" 2>&1; then
    tail -n 40 -- "$log" >&2
    tg_die "failed: $* (log above)"
  fi
}

quiet "$root/apt.log" tg_apt "$root" update
quiet "$root/apt.log" tg_apt "$root" install --no-install-recommends "${deps[@]}"
prepared=$SECONDS

# The tree as git sees it (no build/ output, no local state).
mkdir -p -- "$root/src"
(cd -- "$repo" && git ls-files -z --cached --others --exclude-standard |
  tar --null -T - --ignore-failed-read -cf - 2>/dev/null) | tar -C "$root/src" -xf -

quiet "$root/configure.log" tg_in_root "$root" --net-none \
  cmake -S /src -B /build -G Ninja -DCMAKE_BUILD_TYPE=Release -DTG_BUILD_MODULE=OFF \
  -DTG_BUILD_TESTS=ON -DTG_ENABLE_WERROR=ON
quiet "$root/build.log" tg_in_root "$root" --net-none cmake --build /build -j2
built=$SECONDS

if ! tg_in_root "$root" --net-none \
  ctest --test-dir /build -L 'unit|cli' -LE e2e -j2 --output-on-failure >"$root/ctest.log" 2>&1; then
  cat -- "$root/ctest.log" >&2
  tg_die "unit or command tests failed on trixie"
fi
finished=$SECONDS

summary=$(grep -E '^[0-9]+% tests passed' "$root/ctest.log" || true)
skipped=$(grep -c '(Skipped)' "$root/ctest.log" || true)
# shellcheck disable=SC2016 # dpkg-query's format fields, not the shell's
versions=$(tg_in_root "$root" dpkg-query -W -f '${Package} ${Version}, ' \
  g++ libyang-dev catch2 libspdlog-dev libfmt-dev libicu-dev)
echo "# trixie: ${versions%, }"
echo "# trixie: root and build dependencies $((prepared - started)) s," \
  "configure and build (-j2) $((built - prepared)) s, tests $((finished - built)) s," \
  "total $((finished - started)) s"
echo "# trixie: ${summary:-no ctest summary}; skipped: $skipped"
echo "# trixie: engine test passed"
