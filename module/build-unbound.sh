#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Builds Debian's own Unbound source package with the dynlib module, cached outside the repo.
#   module/build-unbound.sh            fetch + build if needed (needs root or sudo for apt)
#   module/build-unbound.sh --print    print the two lines if the cache is complete, else exit 1
#   module/build-unbound.sh --cache DIR   use DIR as the cache dir (no version suffix added)
#   module/build-unbound.sh --verbose  stream the step logs to stderr
# Last lines on stdout: UNBOUND_SOURCE_DIR=<configured tree> and UNBOUND_PREFIX=<install prefix>.
# Everything else goes to stderr. See module/README.md.
# The whole script is one { } block: bash parses it before running any of it, so a `git pull`
# during a long build cannot change the code under the running shell.
{
set -euo pipefail
set -E # the ERR trap must fire inside functions too

readonly PROG=build-unbound.sh
# Bump when the build recipe changes in a way the flags hash cannot see: forces a rebuild.
readonly RECIPE=1
readonly MARKER=.typoguard-unbound-cache
readonly STAMP=typoguard-build.stamp

usage() {
  sed -n '3,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
  echo
  # shellcheck disable=SC2016 # printed literally
  echo 'Default cache dir: ${TYPOGUARD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/typoguard}/unbound-<debian version>'
}

log() { echo "$PROG: $*" >&2; }
die() {
  echo "$PROG: error: $*" >&2
  exit 1
}

STEP=start
# shellcheck disable=SC2317 # called by the ERR trap
on_err() {
  local rc=$1
  echo "$PROG: error: step '$STEP' failed (exit $rc)" >&2
}
trap 'on_err $?' ERR

mode=build
verbose=0
cache_opt=
while [[ $# -gt 0 ]]; do
  case "$1" in
    --print) mode=print ;;
    --cache)
      [[ $# -ge 2 && -n $2 ]] || die "--cache needs a directory"
      cache_opt=$2
      shift
      ;;
    --cache=*) cache_opt=${1#--cache=} ;;
    -v | --verbose) verbose=1 ;;
    -h | --help)
      usage
      exit 0
      ;;
    *) die "unknown option '$1' (try --help)" ;;
  esac
  shift
done

cache_root=${TYPOGUARD_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/typoguard}
# Logs and the lock live in the directory the user chose, so they are known before the version.
if [[ -n $cache_opt ]]; then
  cache_opt=$(realpath -m -- "$cache_opt")
  state_dir=$cache_opt
else
  cache_root=$(realpath -m -- "$cache_root")
  state_dir=$cache_root
fi
log_dir=$state_dir/logs

work_tmp=$(mktemp -d)
trap 'rm -rf -- "$work_tmp"' EXIT

as_root() {
  if [[ $(id -u) -eq 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null; then
    sudo "$@"
  else
    die "step '$STEP' needs root (apt); run as root or install sudo"
  fi
}

# run_step NAME CMD...: runs CMD with its output in $log_dir/NAME.log (and on stderr with
# --verbose); on failure shows the end of the log and names the step.
run_step() {
  local name=$1
  shift
  STEP=$name
  mkdir -p -- "$log_dir"
  local logf=$log_dir/$name.log
  log "step $name ..."
  local rc=0
  if [[ $verbose -eq 1 ]]; then
    "$@" 2>&1 | tee -- "$logf" >&2 || rc=$?
  else
    "$@" >"$logf" 2>&1 || rc=$?
  fi
  if [[ $rc -ne 0 ]]; then
    tail -n 40 -- "$logf" >&2 || true
    die "step '$name' failed (exit $rc); full log: $logf"
  fi
}

# in_dir DIR CMD...: runs CMD in DIR without changing the script's directory.
# shellcheck disable=SC2317 # called through run_step
in_dir() {
  local dir=$1
  shift
  (cd -- "$dir" && "$@")
}

apt_env=(env DEBIAN_FRONTEND=noninteractive LC_ALL=C)
# Wait for other apt/dpkg runs (other engineers, unattended-upgrades) instead of failing at once.
apt_opts=(-q -y -o Dpkg::Use-Pty=0 -o DPkg::Lock::Timeout=600)

# The source version of the candidate `unbound` binary, from the local apt lists (no network).
# apt-get source/build-dep are then pinned to exactly this version. One apt-cache call: with
# Docker's apt config (no pkgcache.bin) each call re-reads all lists, about a second.
candidate_version() {
  local rec ver src
  rec=$(LC_ALL=C apt-cache show --no-all-versions unbound 2>/dev/null) || true
  ver=$(awk '/^$/ { stop = 1 } !stop && /^Version:/ { print $2 }' <<<"$rec")
  [[ -n $ver ]] || return 1
  # A binNMU names its source version as "Source: unbound (<version>)".
  src=$(awk '/^$/ { stop = 1 } !stop && /^Source:/ && match($0, /\(.*\)/) { print substr($0, RSTART + 1, RLENGTH - 2) }' <<<"$rec")
  printf '%s\n' "${src:-$ver}"
}

cache_dir_for() {
  if [[ -n $cache_opt ]]; then
    printf '%s\n' "$cache_opt"
  else
    # An epoch's ':' is legal in a path but upsets make and CMake lists.
    printf '%s/unbound-%s\n' "$cache_root" "${1//:/_}"
  fi
}

# The unpacked Debian source tree in a cache dir (the only directory with debian/rules).
tree_in() {
  local d found=''
  for d in "$1"/src/*/; do
    [[ -f $d/debian/rules ]] || continue
    [[ -z $found ]] || return 1
    found=${d%/}
  done
  [[ -n $found ]] && printf '%s\n' "$found"
}

# Reads Debian's configure flags from debian/rules by running its real
# override_dh_auto_configure with a stand-in dh_auto_configure on PATH that records its
# arguments and the DEB_*MAINT* variables the rules export (they drive dpkg-buildflags).
# Nothing is configured. Sets deb_args (the daemon build's flags after `--`) and deb_env.
capture_debian_flags() {
  local tree=$1 cap=$work_tmp/capture
  rm -rf -- "$cap"
  mkdir -p -- "$cap/bin"
  cat >"$cap/bin/dh_auto_configure" <<'EOF'
#!/bin/sh
n=$(ls "$TG_CAPTURE" | grep -c '^args\.' || true)
n=$((n + 1))
printf '%s\0' "$@" >"$TG_CAPTURE/args.$n"
env | grep -E '^DEB_[A-Z0-9_]*MAINT_[A-Z0-9_]*=' >"$TG_CAPTURE/env.$n" || true
EOF
  chmod +x "$cap/bin/dh_auto_configure"
  # -B: run the recipes even if a b/*/config.h happens to exist. DEB_BUILD_PROFILES is
  # cleared so the daemon configure (not only the libunbound one) is included.
  env -u DEB_BUILD_PROFILES PATH="$cap/bin:$PATH" TG_CAPTURE="$cap" \
    make -B -s -C "$tree" -f debian/rules override_dh_auto_configure >&2 || {
    log "could not run 'debian/rules override_dh_auto_configure' with a recording dh_auto_configure"
    return 1
  }

  # Debian's rules configure twice: the daemon, then a libunbound-only build. Use the daemon's.
  local f chosen='' a
  for f in "$cap"/args.*; do
    [[ -e $f ]] || continue
    mapfile -d '' -t a <"$f"
    if [[ " ${a[*]} " != *" --with-libunbound-only "* ]]; then
      chosen=$f
      break
    fi
  done
  if [[ -z $chosen ]]; then
    log "debian/rules never called dh_auto_configure for the daemon build (has its format changed?)"
    return 1
  fi
  mapfile -d '' -t a <"$chosen"
  # Keep only what follows `--` (dh options before it, e.g. -Bb/unbound, pick a build dir).
  deb_args=()
  local seen=0
  for f in "${a[@]}"; do
    if [[ $seen -eq 1 ]]; then
      deb_args+=("$f")
    elif [[ $f == -- ]]; then
      seen=1
    fi
  done
  mapfile -t deb_env <"${chosen%/*}/env.${chosen##*.}"
}

# Debian's flags, minus python and every path that would install or write outside the cache,
# plus dynlib. dh_auto_configure puts its own --prefix=/usr etc. first; ours come last and win.
final_flags() {
  local prefix=$1 f
  final_args=()
  for f in "${deb_args[@]}"; do
    case "$f" in
      --with-pythonmodule | --with-pythonmodule=* | --without-pythonmodule) ;;
      --with-pyunbound | --with-pyunbound=* | --without-pyunbound) ;;
      --with-dynlibmodule | --with-dynlibmodule=* | --without-dynlibmodule) ;;
      --prefix=* | --sysconfdir=* | --localstatedir=* | --runstatedir=* | --with-pidfile=*) ;;
      *) final_args+=("$f") ;;
    esac
  done
  final_args+=(
    --with-dynlibmodule --without-pythonmodule --without-pyunbound
    "--prefix=$prefix" "--sysconfdir=$prefix/etc" "--localstatedir=$prefix/var"
    "--runstatedir=$prefix/run" "--with-pidfile=$prefix/run/unbound.pid"
  )
}

# Hash of everything that decides the build: version, flags, Debian's build-flag variables and
# the compiler flags dpkg-buildflags makes of them (run in the tree: -ffile-prefix-map uses it).
flags_hash() {
  local version=$1 tree=$2
  {
    echo "recipe=$RECIPE"
    echo "version=$version"
    printf 'arg=%s\n' "${final_args[@]}"
    printf 'env=%s\n' "${deb_env[@]}"
    (cd -- "$tree" && env "${deb_env[@]}" dpkg-buildflags --export=sh)
  } | sha256sum | cut -d' ' -f1
}

dynlib_linked() {
  "$1/sbin/unbound" -V 2>/dev/null | grep -E '^Linked modules:.* dynlib( |$)' >/dev/null
}

# complete DIR VERSION: 0 if DIR holds a finished build of VERSION with today's flags.
# Sets tree and prefix.
complete() {
  local dir=$1 version=$2 stamp=$1/$STAMP
  [[ -f $stamp ]] || return 1
  tree=$(tree_in "$dir") || return 1
  prefix=$dir/prefix
  [[ -f $tree/config.h && -f $tree/dynlibmod/dynlibmod.h && -x $prefix/sbin/unbound ]] || return 1
  grep -qxF "version=$version" "$stamp" || return 1
  capture_debian_flags "$tree" 2>/dev/null || return 1
  final_flags "$prefix"
  grep -qxF "flags_sha256=$(flags_hash "$version" "$tree")" "$stamp" || return 1
  dynlib_linked "$prefix"
}

finish() {
  echo "UNBOUND_SOURCE_DIR=$tree"
  echo "UNBOUND_PREFIX=$prefix"
  exit 0
}

# Without apt lists (e.g. a Docker layer that deleted them) the version is unknown; --print
# then accepts the one complete cache it can find.
sole_complete_cache() {
  local dirs=() d v found=()
  if [[ -n $cache_opt ]]; then
    dirs=("$cache_opt")
  else
    for d in "$cache_root"/unbound-*/; do
      [[ -d $d ]] && dirs+=("${d%/}")
    done
  fi
  for d in "${dirs[@]}"; do
    v=$(sed -n 's/^version=//p' "$d/$STAMP" 2>/dev/null) || continue
    [[ -n $v ]] && complete "$d" "$v" && found+=("$d")
  done
  [[ ${#found[@]} -eq 1 ]] || return 1
  v=$(sed -n 's/^version=//p' "${found[0]}/$STAMP")
  complete "${found[0]}" "$v"
}

# --- fast path: everything in place, no apt, no build -------------------------------------
STEP=check-cache
if version=$(candidate_version); then
  cache_dir=$(cache_dir_for "$version")
  if complete "$cache_dir" "$version"; then
    log "cache complete: unbound $version in $cache_dir"
    finish
  fi
fi
if [[ $mode == print ]]; then
  if [[ -z ${version:-} ]] && sole_complete_cache; then
    log "apt lists give no unbound candidate; using the only complete cache"
    finish
  fi
  log "no complete Unbound build in the cache${version:+ for unbound $version}; run $PROG without --print"
  exit 1
fi

# --- slow path ------------------------------------------------------------------------------
if [[ $(uname -s) != Linux ]] || ! command -v apt-get >/dev/null; then
  die "needs a Debian-like system with apt"
fi
# Checked here: inside run_step a failure message would only reach the step's log.
if [[ $(id -u) -ne 0 ]] && ! command -v sudo >/dev/null; then
  die "needs root for apt: run as root or install sudo (--print needs neither)"
fi

# check_cache_dir DIR [owned]: never inside the repo; with "owned" (we delete src/ and prefix/
# in it) also refuse a non-empty directory this script did not create.
check_cache_dir() {
  local dir=$1 repo
  if [[ ${2:-} == owned && -d $dir && ! -e $dir/$MARKER ]] && [[ -n $(ls -A -- "$dir") ]]; then
    die "refusing to use '$dir' as the cache: it is not empty and was not made by $PROG"
  fi
  if repo=$(git -C "$(dirname -- "${BASH_SOURCE[0]}")" rev-parse --show-toplevel 2>/dev/null); then
    case "$dir/" in
      "$(realpath -m -- "$repo")"/*) die "refusing to use '$dir' as the cache: it is inside the repo" ;;
    esac
  fi
}

STEP=lock
check_cache_dir "$state_dir" "${cache_opt:+owned}"
mkdir -p -- "$state_dir"
if [[ -n $cache_opt ]]; then
  touch -- "$state_dir/$MARKER"
fi
if command -v flock >/dev/null; then
  # One build per cache at a time; a second run waits and then takes the fast exit below.
  exec 9>"$state_dir/.lock"
  flock 9
fi

# Adds deb-src entries for every suite of the running release (and every suite apt says carries
# unbound) that has a `deb` entry but no `deb-src` one. The new entries copy URIs, Components,
# Signed-By etc. and go to our own files, so the system's files stay untouched:
# typoguard-src.sources (from deb822 *.sources) and typoguard-src.list (from one-line lists).
ensure_deb_src() {
  local codename sl sld policy_suites f files=() out822=$work_tmp/src.sources outlist=$work_tmp/src.list
  # shellcheck disable=SC1091 # the running system's file
  codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
  [[ -n $codename ]] || codename=$(lsb_release -sc 2>/dev/null || true)
  [[ -n $codename ]] || die "cannot tell the running Debian suite (no VERSION_CODENAME in /etc/os-release)"
  eval "$(apt-config shell sl Dir::Etc::sourcelist/f sld Dir::Etc::sourceparts/d)"
  sl=${sl:-/etc/apt/sources.list}
  sld=${sld:-/etc/apt/sources.list.d/}
  policy_suites=$(LC_ALL=C apt-cache policy unbound 2>/dev/null |
    awk '$NF == "Packages" && NF >= 5 { s = $(NF - 2); sub(/\/[^\/]*$/, "", s); print s }' | sort -u | tr '\n' ' ') || true
  [[ -f $sl ]] && files+=("$sl")
  for f in "$sld"*.list "$sld"*.sources; do
    [[ -f $f ]] || continue
    case "$(basename -- "$f")" in typoguard-src.*) continue ;; esac
    files+=("$f")
  done
  : >"$out822"
  : >"$outlist"
  if [[ ${#files[@]} -gt 0 ]]; then
    awk -v codename="$codename" -v extra="$policy_suites" -v out822="$out822" -v outlist="$outlist" '
      function want(s,   n, i, a) {
        if (s == codename || index(s, codename "-") == 1) return 1
        n = split(extra, a, " ")
        for (i = 1; i <= n; i++) if (a[i] == s) return 1
        return 0
      }
      function has(list, word,   n, i, a) {
        n = split(list, a, /[ \t]+/)
        for (i = 1; i <= n; i++) if (a[i] == word) return 1
        return 0
      }
      function flush(   n, i, a) {
        if (inst && tolower(enabled) != "no") {
          n = split(suites, a, /[ \t]+/)
          if (has(types, "deb-src")) for (i = 1; i <= n; i++) if (a[i] != "") src[a[i]] = 1
          if (has(types, "deb")) { ns++; st_suites[ns] = suites; st_uris[ns] = uris; st_raw[ns] = raw }
        }
        inst = 0; types = ""; suites = ""; uris = ""; enabled = ""; raw = ""; cur = ""
      }
      FNR == 1 { flush(); deb822 = (FILENAME ~ /\.sources$/) }
      deb822 {
        if ($0 ~ /^#/) next
        if ($0 ~ /^[ \t]*$/) { flush(); next }
        inst = 1
        if ($0 ~ /^[ \t]/) {
          if (cur == "types") types = types " " $0
          else if (cur == "suites") suites = suites " " $0
          else if (cur == "uris") { uris = uris " " $0; raw = raw $0 "\n" }
          else if (cur != "enabled" && cur != "architectures") raw = raw $0 "\n"
          next
        }
        key = tolower($0); sub(/:.*/, "", key)
        val = $0; sub(/^[^:]*:[ \t]*/, "", val)
        cur = key
        if (key == "types") types = val
        else if (key == "suites") suites = val
        else if (key == "enabled") enabled = val
        else if (key == "architectures") { }
        else { if (key == "uris") uris = val; raw = raw $0 "\n" }
        next
      }
      {
        line = $0; sub(/#.*/, "", line)
        n = split(line, t, /[ \t]+/)
        i = 1; while (i <= n && t[i] == "") i++
        if (i > n) next
        type = t[i++]
        if (type != "deb" && type != "deb-src") next
        opts = ""
        if (t[i] ~ /^\[/) {
          while (i <= n) { opts = opts (opts == "" ? "" : " ") t[i]; if (t[i++] ~ /\]$/) break }
        }
        uri = t[i++]; suite = t[i++]; comps = ""
        for (; i <= n; i++) if (t[i] != "") comps = comps " " t[i]
        if (type == "deb-src") { src[suite] = 1; next }
        nl++; ln_opts[nl] = opts; ln_uri[nl] = uri; ln_suite[nl] = suite; ln_comps[nl] = comps
      }
      END {
        flush()
        for (k = 1; k <= ns; k++) {
          n = split(st_suites[k], a, /[ \t]+/); miss = ""
          for (i = 1; i <= n; i++) {
            s = a[i]
            if (s == "" || !want(s) || (s in src) || ((st_uris[k] SUBSEP s) in done)) continue
            done[st_uris[k] SUBSEP s] = 1; miss = miss (miss == "" ? "" : " ") s
          }
          if (miss != "") printf "Types: deb-src\n%sSuites: %s\n\n", st_raw[k], miss > out822
        }
        for (k = 1; k <= nl; k++) {
          s = ln_suite[k]
          if (!want(s) || (s in src) || ((ln_uri[k] SUBSEP s) in done)) continue
          done[ln_uri[k] SUBSEP s] = 1
          printf "deb-src %s%s %s%s\n", (ln_opts[k] == "" ? "" : ln_opts[k] " "), ln_uri[k], s, ln_comps[k] > outlist
        }
      }' "${files[@]}"
  fi
  local pair target tmp
  for pair in "sources:$out822" "list:$outlist"; do
    target=${sld}typoguard-src.${pair%%:*}
    tmp=${pair#*:}
    if [[ -s $tmp ]]; then
      if ! cmp -s -- "$tmp" "$target"; then
        log "adding deb-src entries in $target:"
        sed 's/^/    /' "$tmp" >&2
        as_root install -m 0644 -- "$tmp" "$target"
      fi
    elif [[ -e $target ]]; then
      # The system's own files now cover every suite: drop ours so apt sees no duplicates.
      log "removing $target (deb-src already configured elsewhere)"
      as_root rm -f -- "$target"
    fi
  done
}

STEP=deb-src
ensure_deb_src
run_step apt-update as_root "${apt_env[@]}" apt-get "${apt_opts[@]}" update

STEP=resolve-version
version=$(candidate_version) || die "apt knows no candidate for the 'unbound' package (step $STEP)"
# Read it all before grepping: grep -q would stop early and pipefail would report SIGPIPE.
sources=$(LC_ALL=C apt-cache showsrc --only-source unbound 2>/dev/null) || true
grep -qxF "Version: $version" <<<"$sources" ||
  die "no source package unbound $version in the apt lists: add a deb-src entry for the suite that has it"
cache_dir=$(cache_dir_for "$version")
log "Debian source package: unbound $version; cache dir: $cache_dir"
if complete "$cache_dir" "$version"; then
  log "cache complete: unbound $version in $cache_dir"
  finish
fi
check_cache_dir "$cache_dir" owned
mkdir -p -- "$cache_dir"
touch -- "$cache_dir/$MARKER"
rm -f -- "$cache_dir/$STAMP"

# build-dep also installs build-essential (and so dpkg-dev, which apt-get source needs).
run_step build-deps as_root "${apt_env[@]}" apt-get "${apt_opts[@]}" --no-install-recommends build-dep "unbound=$version"

# Start from a clean tree each time: apt-get source is quick and a half-built tree is not.
STEP=fetch-source
rm -rf -- "$cache_dir/src" "$cache_dir/prefix"
mkdir -p -- "$cache_dir/src"
# dpkg-source (run by apt-get source) applies debian/patches. No root needed: it runs as the
# caller, so the tree belongs to them.
run_step fetch-source in_dir "$cache_dir/src" env LC_ALL=C apt-get -q source --only-source "unbound=$version"
STEP=fetch-source
tree=$(tree_in "$cache_dir") || die "apt-get source did not leave exactly one source tree in $cache_dir/src"
prefix=$cache_dir/prefix

STEP=debian-flags
capture_debian_flags "$tree" || die "cannot read the configure flags from $tree/debian/rules"
final_flags "$prefix"
hash=$(flags_hash "$version" "$tree")
{
  log "Debian's configure flags (debian/rules, daemon build):"
  printf '    %s\n' "${deb_args[@]}" >&2
  log "Debian's build-flag variables: ${deb_env[*]:-(none)}"
  log "flags used here (after dh_auto_configure's defaults, which these override):"
  printf '    %s\n' "${final_args[@]}" >&2
}
printf '%s\n' "${deb_args[@]}" >"$cache_dir/debian-configure-flags.txt"
printf '%s\n' "${final_args[@]}" >"$cache_dir/configure-flags.txt"

# Same steps as Debian's `dh build` before its configure override (see `dh build --no-act`):
# refresh config.sub/guess, autoreconf. Then Debian's dh_auto_configure, in the source tree
# itself (not b/unbound) so one -I<tree> finds config.h and the headers together.
run_step autotools-config in_dir "$tree" dh_update_autotools_config
run_step autoreconf in_dir "$tree" dh_autoreconf
run_step configure in_dir "$tree" env "${deb_env[@]}" dh_auto_configure -- "${final_args[@]}"
log "configure line: $(sed -n '/^  \$ /{s/^  \$ //p;q;}' "$tree/config.log")"
run_step build make -C "$tree" -j"$(nproc)"
run_step install make -C "$tree" install

STEP=verify
"$prefix/sbin/unbound" -V >&2 || die "the installed $prefix/sbin/unbound does not run"
dynlib_linked "$prefix" || die "the installed unbound does not list dynlib among its linked modules"
[[ -f $tree/config.h && -f $tree/dynlibmod/dynlibmod.h ]] || die "config.h or dynlibmod/dynlibmod.h missing in $tree"

# Written last, atomically: its presence means the build above finished.
STEP=stamp
printf 'version=%s\nflags_sha256=%s\nsource_dir=%s\nprefix=%s\nbuilt=%s\n' \
  "$version" "$hash" "$tree" "$prefix" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" >"$cache_dir/$STAMP.tmp"
mv -f -- "$cache_dir/$STAMP.tmp" "$cache_dir/$STAMP"
log "done: unbound $version with dynlib in $prefix"
finish
}
