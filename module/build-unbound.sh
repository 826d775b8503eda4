#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The Unbound that typoguard's module is compiled against and its tests run: the packages of
# debian/build-packages.sh for this machine's Debian suite (Debian's own unbound source
# package rebuilt with dynlib, in a clean root of the suite), unpacked into the cache. There is
# no second build of Unbound: the e2e suite, the package install test and the Docker image
# all use these packages.
#   module/build-unbound.sh            build the packages if needed (root), unpack, print
#   module/build-unbound.sh --print    print the two lines if the packages are unpacked, else exit 1
# Last lines on stdout: UNBOUND_SOURCE_DIR=<headers of that build (unbound-module-dev)> and
# UNBOUND_PREFIX=<unpacked /usr, with sbin/unbound>. Everything else goes to stderr.
set -euo pipefail

readonly PROG=build-unbound.sh
here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
TG_PROG=$PROG
# shellcheck source=debian/root.sh
source "$here/../debian/root.sh"

mode=build
case "${1:-}" in
  "") ;;
  --print) mode=print ;;
  -h | --help)
    sed -n '3,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    exit 0
    ;;
  *) tg_die "unknown option '$1' (try --help)" ;;
esac

# shellcheck disable=SC1091 # the running system's
suite=$(. /etc/os-release && printf '%s\n' "${VERSION_CODENAME:-}")
case "$suite" in
  bookworm | trixie) ;;
  *) tg_die "this machine runs '${suite:-an unknown release}'; typoguard is built for Debian bookworm and trixie" ;;
esac
current=$TG_CACHE/packages/$suite/unbound-current

# print DIR: the two lines for the unpacked packages of DIR, or exit 1.
print_paths() {
  local unpacked=$1/unpacked
  [[ -f $unpacked/.done && -x $unpacked/usr/sbin/unbound &&
    -f $unpacked/usr/include/unbound-module/config.h ]] || return 1
  # libunbound.a (libunbound-dev): Unbound's parser and sldns for the answer fuzzer.
  compgen -G "$unpacked/usr/lib/*/libunbound.a" > /dev/null || return 1
  echo "UNBOUND_SOURCE_DIR=$unpacked/usr/include/unbound-module"
  echo "UNBOUND_PREFIX=$unpacked/usr"
}

if [[ $mode == print ]]; then
  if [[ -L $current ]] && print_paths "$(readlink -f -- "$current")"; then
    exit 0
  fi
  tg_log "no unpacked unbound packages for $suite in $TG_CACHE/packages; run $PROG without --print"
  exit 1
fi

[[ $(id -u) -eq 0 ]] || tg_die "building the packages needs root (debootstrap, chroot)"
out=$(bash "$here/../debian/build-packages.sh" --suite "$suite" --unbound-only | tail -n 1)
dir=${out#*_PACKAGES=}
[[ -d $dir ]] || tg_die "debian/build-packages.sh printed no package directory ('$out')"
if ! print_paths "$dir" > /dev/null; then
  rm -rf -- "$dir/unpacked"
  mkdir -p -- "$dir/unpacked"
  for deb in "$dir"/unbound_*.deb "$dir"/unbound-module-dev_*.deb "$dir"/libunbound-dev_*.deb; do
    dpkg-deb -x "$deb" "$dir/unpacked"
  done
  "$dir/unpacked/usr/sbin/unbound" -V | grep -qE '^Linked modules:.* dynlib( |$)' ||
    tg_die "the unpacked $dir/unpacked/usr/sbin/unbound does not list dynlib among its modules"
  touch -- "$dir/unpacked/.done"
fi
ln -sfn -- "$dir" "$current"
print_paths "$dir"
