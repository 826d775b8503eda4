#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Builds typoguard's container image from the Debian packages:
#   docker/build.sh [--suite SUITE] [--tag NAME]
# SUITE: bookworm (default, what CI builds) or trixie (not tested). Steps:
#   1. debian/build-packages.sh --suite SUITE (cached: a second or so when nothing changed);
#   2. typoguard-base:SUITE, imported with `docker import` from the suite's pristine debootstrap
#      root (debian/root.sh) when the engine has no such image;
#   3. `docker build --network host` of docker/Dockerfile in a temporary context holding the
#      unbound and typoguard .deb files, tagged typoguard:SUITE (and NAME).
# Last line on stdout: the image's tag (the last NAME given, else typoguard:SUITE).
# Needs root and a running Docker engine (DOCKER_HOST is honoured; DOCKER names the client,
# default /usr/bin/docker, else docker on PATH). The image's apt-get needs Debian's archive.
{
set -euo pipefail
TG_PROG=build.sh
here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd -- "$here/.." && pwd)
# shellcheck source=debian/root.sh
source "$repo/debian/root.sh"

suite=bookworm
tags=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --suite)
      [[ $# -ge 2 ]] || tg_die "--suite needs a value"
      tg_check_suite "$2"
      suite=$2
      shift
      ;;
    --tag)
      [[ $# -ge 2 && -n $2 ]] || tg_die "--tag needs a value"
      tags+=("$2")
      shift
      ;;
    -h | --help)
      sed -n '3,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *) tg_die "unknown option '$1' (try --help)" ;;
  esac
  shift
done
[[ $(id -u) -eq 0 ]] || tg_die "needs root (debian/build-packages.sh: debootstrap and chroot)"

if [[ -n ${DOCKER:-} ]]; then
  docker=$DOCKER
elif [[ -x /usr/bin/docker ]]; then
  docker=/usr/bin/docker
else
  docker=$(command -v docker) || tg_die "no docker client (apt-get install docker.io)"
fi
"$docker" info >/dev/null 2>&1 ||
  tg_die "no running Docker engine ('$docker info' fails${DOCKER_HOST:+ for DOCKER_HOST=$DOCKER_HOST}): start dockerd first"

base=typoguard-base:$suite
image=typoguard:$suite
start=$SECONDS

# 1. The packages.
out=$(bash "$repo/debian/build-packages.sh" --suite "$suite" | tail -n 1)
debs=${out#*_PACKAGES=}
[[ $out == *_PACKAGES=* && -d $debs ]] || tg_die "debian/build-packages.sh printed no package directory ('$out')"
shopt -s nullglob
unbound_deb=("$debs"/unbound_*.deb)
typoguard_deb=("$debs"/typoguard_*.deb)
shopt -u nullglob
[[ ${#unbound_deb[@]} -eq 1 && ${#typoguard_deb[@]} -eq 1 ]] ||
  tg_die "expected one unbound_*.deb and one typoguard_*.deb in $debs"

# 2. The base image.
if "$docker" image inspect "$base" >/dev/null 2>&1; then
  tg_log "base image $base present"
else
  tar=$(tg_base_tarball "$suite")
  tg_log "docker import $tar as $base ..."
  "$docker" import --message "debootstrap $suite (minbase), from debian/root.sh" \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV LANG=C.UTF-8' \
    --change 'CMD ["/bin/bash"]' \
    "$tar" "$base" >/dev/null
fi

# 3. The image, from a context of exactly the files the Dockerfile copies.
mkdir -p -- "$TG_CACHE/work"
ctx=$(mktemp -d -- "$TG_CACHE/work/docker-context.XXXXXX")
trap 'rm -rf -- "$ctx"' EXIT
mkdir -- "$ctx/debs"
cp -- "${unbound_deb[0]}" "${typoguard_deb[0]}" "$ctx/debs/"
cp -- "$here/Dockerfile" "$here/entrypoint.sh" "$here/docker.conf" "$here/docker-listen.conf" "$ctx/"

build_args=(
  --build-arg "BASE=$base"
  --build-arg "TYPOGUARD_VERSION=$(dpkg-deb -f "${typoguard_deb[0]}" Version)"
  --build-arg "UNBOUND_VERSION=$(dpkg-deb -f "${unbound_deb[0]}" Version)"
)
# The proxy settings, when the host uses one for Debian's archive (Docker keeps these
# predefined arguments out of the image's history).
for v in http_proxy https_proxy no_proxy HTTP_PROXY HTTPS_PROXY NO_PROXY; do
  if [[ -n ${!v:-} ]]; then build_args+=(--build-arg "$v=${!v}"); fi
done
names=("$image" "${tags[@]}")
tag_args=()
for t in "${names[@]}"; do tag_args+=(-t "$t"); done

old_id=$("$docker" image inspect -f '{{.Id}}' "$image" 2>/dev/null || true)
tg_log "docker build $image from $(basename -- "${unbound_deb[0]}") and $(basename -- "${typoguard_deb[0]}") ..."
"$docker" build --network host --force-rm "${build_args[@]}" "${tag_args[@]}" "$ctx" >&2 ||
  tg_die "docker build failed"
# The image this one replaces, once no tag names it (and no container uses it), is removed:
# rebuilt packages would otherwise leave one image behind per build.
new_id=$("$docker" image inspect -f '{{.Id}}' "$image")
if [[ -n $old_id && $old_id != "$new_id" &&
  $("$docker" image inspect -f '{{len .RepoTags}}' "$old_id" 2>/dev/null) == 0 ]]; then
  "$docker" image rm "$old_id" >/dev/null 2>&1 || true
fi
tg_log "image ${names[*]} built in $((SECONDS - start)) s"
printf '%s\n' "${names[-1]}"

exit 0
}
