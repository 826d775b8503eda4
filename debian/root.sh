# SPDX-License-Identifier: BSD-3-Clause
# shellcheck shell=bash
# Clean Debian roots for building and installing the packages: a debootstrap minbase of the
# suite, kept as a tarball in the cache, unpacked anew for each use. Sourced by
# debian/build-packages.sh and tests/packaging/install_test.sh; needs root.
#
# Every command in a root runs in private mount (and, for tests, network) namespaces made by
# unshare(1): /proc and /dev mounted there vanish with the last process, so nothing is left
# mounted even when a step fails or is killed.

readonly TG_MIRROR=${TYPOGUARD_MIRROR:-http://deb.debian.org/debian}
readonly TG_SECURITY_MIRROR=${TYPOGUARD_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
TG_CACHE=$(realpath -m -- "${TYPOGUARD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/typoguard}")
readonly TG_CACHE

tg_log() { echo "${TG_PROG:-typoguard}: $*" >&2; }
tg_die() {
  echo "${TG_PROG:-typoguard}: error: $*" >&2
  exit 1
}

# tg_check_suite SUITE: only the two suites the packages are made for.
tg_check_suite() {
  case "$1" in
    bookworm | trixie) ;;
    *) tg_die "unknown suite '$1' (expected bookworm or trixie)" ;;
  esac
}

# tg_sources SUITE: the apt sources of a root (binary and source entries, with the updates and
# security suites, as on an installed Debian system).
tg_sources() {
  local suite=$1
  cat <<SRC
Types: deb deb-src
URIs: $TG_MIRROR
Suites: $suite $suite-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb deb-src
URIs: $TG_SECURITY_MIRROR
Suites: $suite-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
}

# tg_base_tarball SUITE: prints the path of the suite's pristine root tarball, making it with
# debootstrap first when the cache has none (about a minute, from Debian's archive).
tg_base_tarball() {
  local suite=$1 dir=$TG_CACHE/roots tar tmp
  tar=$dir/$suite-base.tar
  if [[ -s $tar ]]; then
    printf '%s\n' "$tar"
    return 0
  fi
  command -v debootstrap >/dev/null || tg_die "debootstrap is not installed (apt-get install debootstrap)"
  mkdir -p -- "$dir"
  tmp=$(mktemp -d -- "$dir/.debootstrap-$suite.XXXXXX")
  tg_log "debootstrap $suite (minbase) into the cache ..."
  if ! debootstrap --variant=minbase --include=ca-certificates \
    --keyring=/usr/share/keyrings/debian-archive-keyring.gpg \
    "$suite" "$tmp/root" "$TG_MIRROR" >"$dir/$suite-debootstrap.log" 2>&1; then
    tail -n 20 -- "$dir/$suite-debootstrap.log" >&2
    rm -rf -- "$tmp"
    tg_die "debootstrap $suite failed (log: $dir/$suite-debootstrap.log)"
  fi
  rm -f -- "$tmp/root/etc/apt/sources.list"
  tg_sources "$suite" >"$tmp/root/etc/apt/sources.list.d/debian.sources"
  # No service starts inside a root while packages install; tests start what they need.
  printf '#!/bin/sh\nexit 101\n' >"$tmp/root/usr/sbin/policy-rc.d"
  chmod 755 "$tmp/root/usr/sbin/policy-rc.d"
  rm -rf -- "$tmp/root/var/cache/apt/archives/"*.deb "$tmp/root/var/lib/apt/lists/"*
  tar -C "$tmp/root" --numeric-owner -cf "$tmp/base.tar" .
  mv -f -- "$tmp/base.tar" "$tar"
  rm -rf -- "$tmp"
  printf '%s\n' "$tar"
}

# tg_unpack_root SUITE DIR: a fresh root of SUITE in DIR (which must not exist yet).
tg_unpack_root() {
  local suite=$1 dir=$2 tar
  tar=$(tg_base_tarball "$suite")
  [[ ! -e $dir ]] || tg_die "refusing to unpack a root over the existing '$dir'"
  mkdir -p -- "$dir"
  tar -C "$dir" --numeric-owner -xf "$tar"
  cp -L /etc/resolv.conf "$dir/etc/resolv.conf"
}

# tg_in_root DIR [--net-none] CMD...: runs CMD (with bash -c semantics when one string) as root
# inside the root DIR, with /proc, /dev and /dev/pts of a private mount namespace. With
# --net-none also in a network namespace of its own where only loopback exists.
tg_in_root() {
  local dir=$1 net=() net_none=0
  shift
  if [[ ${1:-} == --net-none ]]; then
    net=(--net)
    net_none=1
    shift
  fi
  TG_NET_NONE=$net_none unshare --mount --pid --fork "${net[@]}" --kill-child -- bash -c '
    set -e
    root=$1
    shift
    mount -t proc proc "$root/proc"
    mount -t tmpfs -o mode=0755,size=64m tmpfs "$root/dev"
    for d in null zero full random urandom tty; do
      touch "$root/dev/$d"
      mount --bind "/dev/$d" "$root/dev/$d"
    done
    mkdir -p "$root/dev/pts" "$root/dev/shm"
    mount -t devpts -o newinstance,ptmxmode=0666 devpts "$root/dev/pts"
    ln -sf pts/ptmx "$root/dev/ptmx"
    mount -t tmpfs tmpfs "$root/dev/shm"
    mount -t tmpfs tmpfs "$root/run"
    if [[ $TG_NET_NONE == 1 ]]; then ip link set lo up; fi
    exec chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
      LC_ALL=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"
  ' tg-root "$dir" "$@"
}

# tg_apt DIR ARGS...: apt-get in the root, non-interactive, keeping conffiles as shipped.
tg_apt() {
  local dir=$1
  shift
  tg_in_root "$dir" apt-get -q -y -o Dpkg::Use-Pty=0 \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "$@"
}
