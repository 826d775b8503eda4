#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The container image as a network team runs it: docker/build.sh makes it from the packages,
# then containers of it run on the host's own network (--network host; no bridge, no published
# port), with Unbound moved to 127.0.0.1 port 15353 so that nothing binds the host's port 53:
# a test policy (enforce, army.mil protected for the mail server 127.0.0.1) mounted as a
# directory on /etc/typoguard, the event log in a host directory, the test's zones (served to
# Unbound's own iterator; no query leaves the container). Checks the health check, blocking by
# client address, events, `unbound-control reload`, a policy replaced on the host, stop; that
# the image as shipped (starter policy, port 53) turns healthy with --network none; and that a
# container without a policy file refuses to start.
#   tests/packaging/docker_test.sh SUITE
# Needs root and a running Docker engine on this machine (`docker info`; the containers mount
# directories of this host and dig asks its loopback). Without an engine it is skipped
# (exit 77), or fails when CI is set: .ci/run must start dockerd. Removes the containers and
# directories it made; keeps the images (typoguard-base:SUITE, typoguard:SUITE) as a cache.
set -euo pipefail
here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd -- "$here/../.." && pwd)
TG_PROG=docker_test.sh
# shellcheck source=debian/root.sh
source "$repo/debian/root.sh"

suite=${1:-}
tg_check_suite "$suite"
[[ $(id -u) -eq 0 ]] || {
  echo "docker_test.sh: needs root (debian/build-packages.sh, Docker); skipped"
  exit 77
}

if [[ -n ${DOCKER:-} ]]; then
  docker=$DOCKER
elif [[ -x /usr/bin/docker ]]; then
  docker=/usr/bin/docker
else
  docker=$(command -v docker || echo docker)
fi
export DOCKER=$docker
if ! "$docker" info >/dev/null 2>&1; then
  why="no running Docker engine ('$docker info' fails${DOCKER_HOST:+ for DOCKER_HOST=$DOCKER_HOST})"
  if [[ -n ${CI:-} ]]; then
    echo "not ok - $why: in CI, .ci/run must start dockerd before the packaging tests"
    exit 1
  fi
  echo "docker_test.sh: $why; skipped"
  exit 77
fi
command -v dig >/dev/null || tg_die "dig is not installed (apt-get install bind9-dnsutils)"

PORT=15353
HEALTH_WAIT=60
cids=()
work=
current=

cleanup() {
  local id
  for id in "${cids[@]}"; do
    "$docker" rm -f -v "$id" >/dev/null 2>&1 || true
  done
  [[ -z $work ]] || rm -rf -- "$work"
}
trap cleanup EXIT

fail() {
  echo "not ok - $*"
  if [[ -n $current ]]; then
    echo "  last lines of the container's log (docker logs):"
    "$docker" logs --tail 20 "$current" 2>&1 | sed 's/^/    /'
  fi
  exit 1
}

# shellcheck source=tests/packaging/checks.sh
source "$here/checks.sh"

# wait_healthy ID: waits up to HEALTH_WAIT s for the container's health check to pass.
wait_healthy() {
  local id=$1 status running
  for _ in $(seq 1 $((HEALTH_WAIT * 5))); do
    read -r status running < <("$docker" inspect -f '{{.State.Health.Status}} {{.State.Running}}' "$id" 2>/dev/null || echo "gone false")
    [[ $status == healthy ]] && return 0
    [[ $running == true ]] || { echo "  the container stopped (health: $status)"; return 1; }
    sleep 0.2
  done
  echo "  health status after $HEALTH_WAIT s: $status"
  return 1
}
# wait_for_log ID TEXT: waits up to 10 s for TEXT in the container's log.
wait_for_log() {
  for _ in $(seq 1 100); do
    "$docker" logs "$1" 2>&1 | grep -qF -- "$2" && return 0
    sleep 0.1
  done
  return 1
}
# wait_for_event PATTERN: waits up to 10 s for a line matching PATTERN in the event log.
wait_for_event() {
  for _ in $(seq 1 100); do
    grep -qE -- "$1" "$work/log/events.jsonl" 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

if command -v ss >/dev/null && [[ -n $(ss -Hln "( sport = :$PORT )" 2>/dev/null) ]]; then
  fail "port $PORT is free on this host (something listens there: ss -ln 'sport = :$PORT')"
fi

echo "# $suite: docker/build.sh"
t0=$SECONDS
image=$(bash "$repo/docker/build.sh" --suite "$suite" | tail -n 1)
if [[ -z $image ]] || ! "$docker" image inspect "$image" >/dev/null 2>&1; then
  fail "docker/build.sh made an image (it printed '$image')"
fi
ok "image $image built from the packages ($((SECONDS - t0)) s; $("$docker" image inspect -f '{{.Size}}' "$image" | awk '{ printf "%.0f MB", $1 / 1e6 }'))"

mkdir -p -- "$TG_CACHE/work"
work=$(mktemp -d -- "$TG_CACHE/work/docker-test-$suite.XXXXXX")
mkdir -- "$work/policy" "$work/log" "$work/empty" "$work/zones"
cp -- "$here/policy-v1.json" "$work/policy/policy.json"
cp -- "$here/zones/com.zone" "$repo/zones/demo/mil.zone" "$repo/zones/demo/ml.zone" "$work/zones/"
# The test's root zone: with it, every name the iterator and the validator look up (the root's
# DNSKEY, the DS of mil.) is answered inside the container; the real root servers are never
# asked, so nothing leaves the host's loopback.
cat >"$work/zones/root.zone" <<'ZONE'
; The docker test's root zone (no delegations: mil., ml. and com. are auth zones of their own).
$ORIGIN .
$TTL 300
@                 IN SOA ns.root-test.invalid. hostmaster.root-test.invalid. 1 3600 600 86400 300
@                 IN NS  ns.root-test.invalid.
ns.root-test.invalid. IN A 192.0.2.1
ZONE
# The test's additions to the image's configuration (single-file mounts in unbound.conf.d/):
# the zones as in tests/packaging/zones/test-zones.conf, plus the root; and the listen drop-in
# replacing the image's docker-listen.conf.
{
  cat <<'CONF'
# The docker test's zones, served to Unbound's own iterator; permissive validation of those
# unsigned zones (Debian's root trust anchor stays), with no chain of trust sought below the
# test's root for the names the test asks.
server:
    val-permissive-mode: yes
    domain-insecure: "com"
    domain-insecure: "mil"
    domain-insecure: "ml"
CONF
  for z in . com. mil. ml.; do
    f=${z%.}
    cat <<CONF
auth-zone:
    name: "$z"
    zonefile: "/etc/unbound/docker-test/${f:-root}.zone"
    for-upstream: yes
    for-downstream: no
    fallback-enabled: no
CONF
  done
} >"$work/test-zones.conf"
cat >"$work/listen.conf" <<CONF
# The docker test's listen drop-in: loopback only, not port 53 (the container shares the
# host's network).
server:
    interface: 127.0.0.1
    port: $PORT
CONF
chmod -R a+rX -- "$work"

echo "# 1. no policy file: the entrypoint refuses to start"
current=
id=$("$docker" create --network none -v "$work/empty:/etc/typoguard:ro" "$image")
cids+=("$id")
rc=0
"$docker" start -a "$id" >"$work/nopolicy.out" 2>&1 || rc=$?
sed 's/^/#   /' "$work/nopolicy.out"
check "a container with an empty /etc/typoguard exits non-zero (exit $rc)" test "$rc" -ne 0
check "its message names /etc/typoguard/policy.json" \
  grep -q 'typoguard-entrypoint: error: no policy file at /etc/typoguard/policy.json' "$work/nopolicy.out"
check "and Unbound did not start" bash -c "! grep -q 'start of service' '$work/nopolicy.out'"

echo "# 2. the image as shipped (starter policy, port 53 on every address), in a network namespace of its own"
id=$("$docker" run -d --network none --health-interval 1s "$image")
cids+=("$id")
current=$id
check "it turns healthy (drill on 127.0.0.1 port 53)" wait_healthy "$id"
check "the module loaded the package's starter policy" \
  wait_for_log "$id" "policy /etc/typoguard/policy.json"
"$docker" rm -f -v "$id" >/dev/null

echo "# 3. on the host's network: the test policy, 127.0.0.1 port $PORT"
id=$("$docker" run -d --network host \
  -v "$work/policy:/etc/typoguard:ro" \
  -v "$work/log:/var/log/typoguard" \
  -v "$work/zones:/etc/unbound/docker-test:ro" \
  -v "$work/test-zones.conf:/etc/unbound/unbound.conf.d/zz-docker-test.conf:ro" \
  -v "$work/listen.conf:/etc/unbound/unbound.conf.d/docker-listen.conf:ro" \
  -e TYPOGUARD_HEALTH_PORT="$PORT" \
  --health-interval 1s \
  "$image")
cids+=("$id")
current=$id
check "it turns healthy within $HEALTH_WAIT s (drill on 127.0.0.1 port $PORT)" wait_healthy "$id"
check "the module loaded the test policy (revision install-test-v1)" \
  wait_for_log "$id" "policy /etc/typoguard/policy.json (revision install-test-v1"
uid=$("$docker" exec "$id" id -u unbound)
check "Unbound (PID 1) runs as the unbound user (uid $uid)" \
  test "$("$docker" exec "$id" sed -n 's/^Uid:[[:space:]]*\([0-9]*\).*/\1/p' /proc/1/status)" = "$uid"
expect_status 127.0.0.1 army.ml MX NXDOMAIN "a look-alike, asked by the mail server"
expect_status 127.0.0.2 army.ml MX NOERROR "another client resolves it"
expect_status 127.0.0.1 army.mil MX NOERROR "the protected name resolves"
check "army.mil's MX is the real one" test "$(dig_answer 127.0.0.1 army.mil MX)" = "10 mail.army.mil."
check "an event for army.ml from 127.0.0.1 in the host's $work/log/events.jsonl" \
  wait_for_event '"ip":"127.0.0.1".*"name":"army.ml".*"install-test-v1"'
check "no event for the other client" bash -c "! grep -q '\"ip\":\"127.0.0.2\"' '$work/log/events.jsonl'"
check "the event log belongs to the container's unbound user" \
  test "$(stat -c %u "$work/log/events.jsonl")" = "$uid"
infra=$("$docker" exec "$id" unbound-control dump_infra 2>&1) || fail "docker exec unbound-control dump_infra: $infra"
check "no query left the container (unbound-control dump_infra lists no server${infra:+: $infra})" \
  test -z "$infra"

echo "# 4. unbound-control reload"
out=$("$docker" exec "$id" unbound-control reload 2>&1) || fail "docker exec unbound-control reload: $out"
check "docker exec unbound-control reload: '$out'" test "$out" = ok
check "the module started again after the reload" \
  bash -c "[[ \$('$docker' logs '$id' 2>&1 | grep -c 'typoguard: module loaded') -ge 2 ]]"
expect_status 127.0.0.1 army.ml MX NXDOMAIN "still blocked after the reload"

echo "# 5. the policy replaced on the host (127.0.0.2 becomes a mail server), seen through the directory mount"
cp -- "$here/policy-v2.json" "$work/policy/.policy.json.new"
chmod a+r -- "$work/policy/.policy.json.new"
mv -f -- "$work/policy/.policy.json.new" "$work/policy/policy.json"
check "revision install-test-v2 in force (the module's watcher)" wait_for_log "$id" "revision install-test-v2"
expect_status 127.0.0.2 army.ml MX NXDOMAIN "now in scope"

echo "# 6. docker stop"
t0=$SECONDS
"$docker" stop -t 10 "$id" >/dev/null
check "Unbound (PID 1) exits on SIGTERM, exit code 0, within $((SECONDS - t0)) s" \
  test "$("$docker" inspect -f '{{.State.ExitCode}}' "$id")" = 0
check "nothing listens on port $PORT any more" test -z "$(dig_status 127.0.0.1 army.mil MX)"
current=
echo "# $suite: docker test passed"
