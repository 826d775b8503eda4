#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Builds typoguard's Debian packages with Debian's own tooling, in a clean build root of each
# suite (a debootstrap root from Debian's archive), and caches them outside the repository.
#   debian/build-packages.sh [--suite SUITE]... [--unbound-only] [--verbose]
# SUITE: bookworm (Debian 12) or trixie (Debian 13); default: bookworm and trixie.
# For each suite, in the order a deployment needs them:
#   1. unbound: that suite's own source package rebuilt with the dynlib module
#      (debian/rebuild-unbound.sh), plus unbound-module-dev; built once per Debian version;
#   2. typoguard: this source tree (dpkg-buildpackage), compiled against unbound-module-dev,
#      checked with lintian; built once per content of the tree (skipped with --unbound-only).
# Last lines on stdout, one per suite: <SUITE>_PACKAGES=<dir holding that suite's .deb files>.
# Needs root (debootstrap, chroot). Cache: ${TYPOGUARD_CACHE:-~/.cache/typoguard}/packages.
{
set -euo pipefail
TG_PROG=build-packages.sh
here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd -- "$here/.." && pwd)
# shellcheck source=debian/root.sh
source "$here/root.sh"

suites=()
unbound_only=0
verbose=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --suite)
      [[ $# -ge 2 ]] || tg_die "--suite needs a value"
      tg_check_suite "$2"
      suites+=("$2")
      shift
      ;;
    --unbound-only) unbound_only=1 ;;
    -v | --verbose) verbose=1 ;;
    -h | --help)
      sed -n '3,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *) tg_die "unknown option '$1' (try --help)" ;;
  esac
  shift
done
[[ ${#suites[@]} -gt 0 ]] || suites=(bookworm trixie)
[[ $(id -u) -eq 0 ]] || tg_die "needs root (debootstrap and chroot): run as root"

# One run at a time per cache: the build roots are shared. A second run waits, then finds the
# packages the first one built.
mkdir -p -- "$TG_CACHE/packages"
exec 9>"$TG_CACHE/packages/.lock"
if ! flock -n 9; then
  tg_log "another build-packages.sh run holds $TG_CACHE/packages/.lock; waiting for it"
  flock 9
fi

# Bump when the recipe changes in a way the hashes below cannot see.
readonly RECIPE=1

# step NAME LOG CMD...: runs CMD with its output in LOG; on failure shows the log's end.
step() {
  local name=$1 logf=$2 rc=0
  shift 2
  tg_log "$name ..."
  if [[ $verbose -eq 1 ]]; then
    "$@" 2>&1 | tee -- "$logf" >&2 || rc=$?
  else
    "$@" >"$logf" 2>&1 || rc=$?
  fi
  if [[ $rc -ne 0 ]]; then
    tail -n 40 -- "$logf" >&2 || true
    tg_die "$name failed (exit $rc); full log: $logf"
  fi
}

# build_root SUITE: the suite's build root (base + Debian's build tools + unbound's build
# dependencies), made once and kept; its apt lists are refreshed on every use.
build_root() {
  local suite=$1 dir=$TG_CACHE/packages/$suite/root
  if [[ ! -f $dir/.typoguard-build-root ]]; then
    rm -rf -- "$dir"
    tg_unpack_root "$suite" "$dir"
    step "$suite: build root: apt-get update" "$TG_CACHE/packages/$suite/root-update.log" \
      tg_apt "$dir" update
    step "$suite: build root: Debian's build tools" "$TG_CACHE/packages/$suite/root-tools.log" \
      tg_apt "$dir" install --no-install-recommends build-essential devscripts fakeroot lintian
    step "$suite: build root: unbound's build dependencies" "$TG_CACHE/packages/$suite/root-deps.log" \
      tg_apt "$dir" build-dep unbound
    touch -- "$dir/.typoguard-build-root"
  else
    step "$suite: build root: apt-get update" "$TG_CACHE/packages/$suite/root-update.log" \
      tg_apt "$dir" update
  fi
  printf '%s\n' "$dir"
}

# build_unbound SUITE ROOT: prints the directory with the suite's rebuilt unbound packages.
build_unbound() {
  local suite=$1 root=$2 src_version key out
  src_version=$(tg_in_root "$root" apt-cache showsrc --only-source unbound |
    awk '/^Version:/ { print $2 }' | sort -V | tail -n 1)
  [[ -n $src_version ]] || tg_die "$suite: no unbound source package in the apt lists"
  key=$(cat "$here/rebuild-unbound.sh" "$here/root.sh" <(echo "recipe=$RECIPE") | sha256sum | cut -c1-12)
  out=$TG_CACHE/packages/$suite/unbound-${src_version//:/_}-$key
  if [[ -f $out/.done ]]; then
    tg_log "$suite: unbound $src_version+typoguard already built ($out)"
    printf '%s\n' "$out"
    return 0
  fi
  rm -rf -- "$out"
  mkdir -p -- "$out" "$root/build"
  cp -- "$here/rebuild-unbound.sh" "$root/build/rebuild-unbound.sh"
  step "$suite: unbound $src_version: dpkg-buildpackage with dynlib (several minutes)" \
    "$TG_CACHE/packages/$suite/unbound-build.log" \
    tg_in_root "$root" bash /build/rebuild-unbound.sh /build/out-unbound
  cp -p -- "$root"/build/out-unbound/* "$out"/
  rm -rf -- "$root/build/out-unbound" "$root/build/unbound"
  ls -- "$out"/unbound_*.deb "$out"/unbound-module-dev_*.deb >/dev/null ||
    tg_die "$suite: the unbound build made no unbound or unbound-module-dev package"
  touch -- "$out/.done"
  printf '%s\n' "$out"
}

# source_key: a hash of the files the package is built from (tracked or untracked but not
# ignored, as they are in the working tree); tests, docker/ and the documentation outside the
# man page do not change the package.
source_key() {
  (cd -- "$repo" && git ls-files -z --cached --others --exclude-standard -- \
    CMakeLists.txt cmake policy module debian docs/man LICENSE |
    sort -z | xargs -0 sha256sum 2>/dev/null) | sha256sum | cut -c1-12
}

# build_typoguard SUITE ROOT UNBOUND_DIR: prints the directory with the typoguard package.
build_typoguard() {
  local suite=$1 root=$2 unbound_dir=$3 key out version src
  key=$( (source_key; basename -- "$unbound_dir"; echo "recipe=$RECIPE") | sha256sum | cut -c1-12)
  out=$TG_CACHE/packages/$suite/typoguard-$key
  if [[ -f $out/.done ]]; then
    tg_log "$suite: typoguard already built for this tree ($out)"
    printf '%s\n' "$out"
    return 0
  fi
  version=$(cd -- "$repo" && dpkg-parsechangelog -S Version)
  src=$root/build/typoguard/typoguard-$version
  rm -rf -- "$root/build/typoguard" "$out"
  mkdir -p -- "$src" "$out" "$root/build/debs"
  # The tree as git sees it (no build/ output, no local state).
  (cd -- "$repo" && git ls-files -z --cached --others --exclude-standard |
    xargs -0 -I{} cp --parents -P -- {} "$src"/) 2>/dev/null ||
    (cd -- "$repo" && git ls-files -z --cached --others --exclude-standard | tar --null -T - -cf - |
      tar -C "$src" -xf -)
  rm -f -- "$root"/build/debs/*.deb
  cp -- "$unbound_dir"/unbound_*.deb "$unbound_dir"/unbound-module-dev_*.deb "$root/build/debs/"
  step "$suite: typoguard: unbound $(basename -- "$unbound_dir") and the build dependencies" \
    "$TG_CACHE/packages/$suite/typoguard-deps.log" \
    tg_in_root "$root" bash -c 'apt-get -q -y --no-install-recommends install /build/debs/*.deb &&
      apt-get -q -y --no-install-recommends build-dep "$1"' _ "/build/typoguard/typoguard-$version"
  step "$suite: typoguard $version: dpkg-buildpackage" "$TG_CACHE/packages/$suite/typoguard-build.log" \
    tg_in_root "$root" bash -c 'cd "$1" && DEB_BUILD_OPTIONS="parallel=$(nproc)" dpkg-buildpackage -b -uc -us' _ \
    "/build/typoguard/typoguard-$version"
  step "$suite: typoguard: lintian" "$TG_CACHE/packages/$suite/typoguard-lintian.log" \
    tg_in_root "$root" bash -c 'cd /build/typoguard && runuser -u nobody -- env HOME=/tmp \
      lintian --fail-on error,warning --display-info --pedantic --show-overrides typoguard_*.changes'
  cp -p -- "$root"/build/typoguard/*.deb "$root"/build/typoguard/*.changes \
    "$root"/build/typoguard/*.buildinfo "$out"/
  cp -p -- "$TG_CACHE/packages/$suite/typoguard-lintian.log" "$out/lintian.txt"
  cp -p -- "$unbound_dir"/*.deb "$out"/
  rm -rf -- "$root/build/typoguard"
  touch -- "$out/.done"
  # Keep the three newest typoguard builds of the suite (one per tree content).
  ls -1dt -- "$TG_CACHE/packages/$suite"/typoguard-*/ | tail -n +4 | xargs -r rm -rf --
  printf '%s\n' "$out"
}

results=()
for suite in "${suites[@]}"; do
  root=$(build_root "$suite")
  unbound_dir=$(build_unbound "$suite" "$root")
  if [[ $unbound_only -eq 1 ]]; then
    results+=("${suite^^}_PACKAGES=$unbound_dir")
  else
    results+=("${suite^^}_PACKAGES=$(build_typoguard "$suite" "$root" "$unbound_dir")")
  fi
done
printf '%s\n' "${results[@]}"
exit 0
}
