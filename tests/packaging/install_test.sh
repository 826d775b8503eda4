#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The packages as a network team meets them: in a clean root of the suite (debootstrap, from
# Debian's archive), `apt-get install ./unbound_*.deb ./typoguard_*.deb`, unbound started the
# way Debian's unit starts it, look-alikes blocked with events, reloads with a changed and a
# broken policy, then `apt-get remove` and `purge` leaving no process and no file.
#   tests/packaging/install_test.sh SUITE
# Builds the packages first when the cache has none (debian/build-packages.sh). Needs root.
# Everything after the install runs in a network namespace of its own (loopback only).
set -euo pipefail
here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd -- "$here/../.." && pwd)
TG_PROG=install_test.sh
# shellcheck source=debian/root.sh
source "$repo/debian/root.sh"

suite=${1:-}
tg_check_suite "$suite"
[[ $(id -u) -eq 0 ]] || {
  echo "install_test.sh: needs root (chroot, namespaces); skipped"
  exit 77
}

out=$(bash "$repo/debian/build-packages.sh" --suite "$suite" | tail -n 1)
debs=${out#*_PACKAGES=}
[[ -d $debs ]] || tg_die "debian/build-packages.sh printed no package directory ('$out')"

root=$TG_CACHE/work/install-$suite.$$
cleanup() { rm -rf -- "$root"; }
trap cleanup EXIT
tg_unpack_root "$suite" "$root"

t=$root/test
mkdir -p -- "$t/debs" "$t/zones"
cp -- "$here/in_root.sh" "$here/checks.sh" "$here/unit_commands.py" "$here"/policy-*.json "$t/"
cp -- "$here/zones/com.zone" "$here/zones/test-zones.conf" "$repo/zones/demo/mil.zone" \
  "$repo/zones/demo/ml.zone" "$t/zones/"
cp -- "$debs"/unbound_*.deb "$debs"/typoguard_*.deb "$t/debs/"
dpkg-deb -f "$debs"/unbound_*.deb Version >"$t/unbound-version"

echo "# $suite: packages from $debs"
tg_in_root "$root" bash /test/in_root.sh install
for phase in exercise remove purge; do
  tg_in_root "$root" --net-none bash /test/in_root.sh "$phase"
done
echo "# $suite: install test passed"
