#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The newcomer demo: typoguard inside a real Unbound on loopback, with the embedded demo
# policy (TYPOGUARD_POLICY=builtin:demo) and the demo zones of zones/demo (served by the same Unbound: no internet needed).
#   bash module/demo.sh [--port N]   build, start the demo resolver on 127.0.0.1 port N (default
#                                    8053; an earlier demo resolver is stopped first), show what
#                                    it answers a mail server and another client, leave it running
#   bash module/demo.sh --stop       stop the demo resolver (only the PID in build/demo/unbound.pid)
# Needs the Unbound of module/build-unbound.sh (`bash .ci/run --demo` builds it, then runs this).
# Exits non-zero, and stops the resolver, if any answer is not what the demo says it shows.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$(pwd -P)

readonly PROG=module/demo.sh
readonly STARTUP_TIMEOUT=20 # seconds
demo_dir=$root/build/demo
conf=$demo_dir/unbound.conf
pidfile=$demo_dir/unbound.pid
logfile=$demo_dir/unbound.log
events=$demo_dir/events.jsonl
control_sock=$demo_dir/control.sock
module_dir=$root/build/release/module
cli=$root/build/release/policy/typoguard

die() {
  echo "$PROG: error: $*" >&2
  exit 1
}

port=8053
mode=start
while [[ $# -gt 0 ]]; do
  case "$1" in
    --port)
      [[ $# -ge 2 ]] || die "--port needs a number"
      port=$2
      shift
      ;;
    --port=*) port=${1#--port=} ;;
    --stop) mode=stop ;;
    -h | --help)
      sed -n '3,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *) die "unknown option '$1' (expected --port N, --stop or --help)" ;;
  esac
  shift
done
if ! [[ $port =~ ^[0-9]{1,5}$ ]] || ((10#$port < 1 || 10#$port > 65535)); then
  die "--port: '$port' is not a port number (1-65535)"
fi
port=$((10#$port))

# The PID of the demo resolver, if the pidfile names a live process started with our config
# (so a stale pidfile or a reused PID is never killed). Prints nothing otherwise.
demo_pid() {
  local pid cmdline
  [[ -r $pidfile ]] || return 0
  pid=$(head -n 1 -- "$pidfile" 2>/dev/null || true)
  [[ $pid =~ ^[0-9]+$ ]] || return 0
  cmdline=$({ tr '\0' ' ' <"/proc/$pid/cmdline"; } 2>/dev/null || true)
  if [[ $cmdline == *unbound*" -c $conf"* ]]; then
    echo "$pid"
  fi
}

stop_demo() {
  local pid i
  pid=$(demo_pid)
  if [[ -z $pid ]]; then
    rm -f -- "$pidfile"
    echo "No demo resolver is running."
    return 0
  fi
  kill -TERM "$pid"
  for ((i = 0; i < 100; i++)); do
    [[ -e /proc/$pid ]] || break
    sleep 0.1
  done
  if [[ -e /proc/$pid ]]; then
    echo "$PROG: PID $pid did not stop within 10 s of SIGTERM; sending SIGKILL" >&2
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f -- "$pidfile" "$control_sock"
  echo "Stopped the demo resolver (PID $pid)."
}

if [[ $mode == stop ]]; then
  stop_demo
  exit 0
fi

command -v dig >/dev/null || die "dig not found (Debian package bind9-dnsutils; 'bash .ci/run --demo' installs it)"
ub_print=$(bash module/build-unbound.sh --print 2>/dev/null) ||
  die "no Unbound with dynlib built yet: run 'bash module/build-unbound.sh' (or 'bash .ci/run --demo')"
ub_prefix=$(sed -n 's/^UNBOUND_PREFIX=//p' <<<"$ub_print")
unbound=$ub_prefix/sbin/unbound
[[ -x $unbound ]] || die "$unbound not found (module/build-unbound.sh --print said UNBOUND_PREFIX=$ub_prefix)"

echo "== Building typoguard.so and the typoguard command (build/release)"
cmake --preset release >/dev/null
cmake --build --preset release --target typoguard_unbound typoguard
module=$module_dir/typoguard.so
[[ -f $module ]] || die "$module was not built (is the module skipped? see 'cmake --preset release')"
# The module loads $TYPOGUARD_POLICY, else /etc/typoguard/policy.json, and refuses to start
# without a policy (module/README.md): the demo asks for the embedded demo policy by name.
readonly demo_policy=builtin:demo

# An earlier demo resolver (same config path) is stopped first, by its PID.
if [[ -n $(demo_pid) ]]; then
  echo "== Stopping the demo resolver of an earlier run"
  stop_demo
fi
q_opts=(+time=2 +tries=1)
if dig -p "$port" @127.0.0.1 ready.invalid. A "${q_opts[@]}" 2>/dev/null | grep -q 'status:'; then
  die "something already answers DNS on 127.0.0.1 port $port; choose another with --port N"
fi

mkdir -p -- "$demo_dir"
rm -f -- "$pidfile" "$logfile" "$events" "$control_sock"
remote_control="remote-control:
    control-enable: yes
    control-interface: \"$control_sock\"
    control-use-cert: no"
if ((${#control_sock} > 100)); then # a unix socket path must fit in sun_path
  remote_control="remote-control:
    control-enable: no"
fi
cat >"$conf" <<EOF
# Written by $PROG: the typoguard demo resolver (loopback only, no internet).
server:
    interface: 127.0.0.1
    port: $port
    interface-automatic: no
    access-control: 127.0.0.0/8 allow
    do-not-query-localhost: no
    chroot: ""
    username: ""
    directory: "$demo_dir"
    pidfile: "$pidfile"
    use-syslog: no
    logfile: "$logfile"
    verbosity: 1
    num-threads: 2
    module-config: "dynlib validator iterator"
# The demo's "internet": Unbound serves these zones to its own iterator only (for-upstream),
# so every query still goes through typoguard and the iterator, and none leaves the machine.
auth-zone:
    name: "mil."
    zonefile: "$root/zones/demo/mil.zone"
    for-upstream: yes
    for-downstream: no
    fallback-enabled: no
auth-zone:
    name: "ml."
    zonefile: "$root/zones/demo/ml.zone"
    for-upstream: yes
    for-downstream: no
    fallback-enabled: no
auth-zone:
    name: "com."
    zonefile: "$root/zones/demo/com.zone"
    for-upstream: yes
    for-downstream: no
    fallback-enabled: no
dynlib:
    dynlib-file: "$module"
$remote_control
EOF

echo "== Starting Unbound with typoguard on 127.0.0.1 port $port (TYPOGUARD_POLICY=$demo_policy)"
# Unbound daemonises and writes the pidfile itself.
TYPOGUARD_POLICY=$demo_policy TYPOGUARD_EVENT_LOG="$events" "$unbound" -c "$conf" ||
  die "unbound exited with status $? at start; see $logfile"

show_log_tail() {
  echo "--- last lines of $logfile:" >&2
  tail -n 20 -- "$logfile" >&2 2>/dev/null || echo "(no log)" >&2
}

ready=no
deadline=$((SECONDS + STARTUP_TIMEOUT))
while ((SECONDS < deadline)); do
  # The pidfile was removed before the start: a PID in it that no longer runs is a start-up
  # error (e.g. typoguard refused to load; see the log).
  started_pid=$(head -n 1 -- "$pidfile" 2>/dev/null || true)
  if [[ $started_pid =~ ^[0-9]+$ && ! -e /proc/$started_pid ]]; then
    break
  fi
  if dig -p "$port" @127.0.0.1 ready.invalid. A +time=1 +tries=1 2>/dev/null | grep -q 'status:'; then
    ready=yes
    break
  fi
  sleep 0.2
done
if [[ $ready != yes || -z $(demo_pid) ]]; then
  show_log_tail
  stop_demo >&2
  die "the demo resolver did not start (or did not answer on 127.0.0.1 port $port within ${STARTUP_TIMEOUT} s)"
fi
pid=$(demo_pid)

failures=()
fail() {
  failures+=("$1")
  echo "  !! NOT AS EXPECTED: $1"
}
grep -q "typoguard: module loaded.*policy $demo_policy (revision" -- "$logfile" ||
  fail "the log does not say typoguard loaded the embedded demo policy ($demo_policy)"

# ask SOURCE NAME TYPE: prints the command and dig's answer; the answer is left in $answer.
answer=
ask() {
  local cmd=(dig -p "$port" -b "$1" @127.0.0.1 "$2" "$3" +noall +comments +answer +authority)
  echo "\$ ${cmd[*]}"
  answer=$("${cmd[@]}" "${q_opts[@]}" 2>&1) || true
  grep -v -e '^$' -e '^;; Got answer' <<<"$answer" | sed 's/^/  /'
}
# expect_blocked WHAT: NXDOMAIN, SOA in the authority section, no answer, EDE 15 from typoguard.
expect_blocked() {
  grep -q 'status: NXDOMAIN' <<<"$answer" || fail "$1: status is not NXDOMAIN"
  grep -qE '^[^;].*[[:space:]]SOA[[:space:]]' <<<"$answer" || fail "$1: no SOA in the authority section"
  grep -qE 'EDE: 15 \(Blocked\).*typoguard' <<<"$answer" || fail "$1: no EDE 15 (Blocked) from typoguard"
  if grep -qE '^[^;].*[[:space:]](MX|A)[[:space:]]' <<<"$answer"; then fail "$1: has an answer record"; fi
}
# expect_mx WHAT: NOERROR with an MX record in the answer.
expect_mx() {
  grep -q 'status: NOERROR' <<<"$answer" || fail "$1: status is not NOERROR"
  grep -qE '^[^;].*[[:space:]]MX[[:space:]]' <<<"$answer" || fail "$1: no MX record in the answer"
  if grep -q 'EDE: 15' <<<"$answer"; then fail "$1: carries a Blocked EDE"; fi
}

cat <<EOF

== What the policy says (the typoguard command, no resolver involved)
The embedded demo policy protects army.mil, navy.mil and the other main .mil domains, blocks
all of .ml except partners allowed by exception, and applies to the "mail servers" 127.0.0.2 and
127.0.0.3 for MX, A and AAAA queries; any other client is out of scope.
EOF
echo "\$ build/release/policy/typoguard check army.ml armymil.com xn--rmy-5cd.mil partner-example.ml army.mil"
"$cli" check army.ml armymil.com xn--rmy-5cd.mil partner-example.ml army.mil | sed 's/^/  /' || true

echo
echo "== 1. The mail server (127.0.0.2) looks up army.ml MX: blocked"
echo "   (NXDOMAIN with an SOA, and an Extended DNS Error 15 'Blocked' saying why)"
ask 127.0.0.2 army.ml MX
expect_blocked "army.ml MX from 127.0.0.2"

echo
echo "== 2. Another client (127.0.0.1, not a mail server) looks up army.ml MX: resolved"
echo "   (out of scope: it gets the real answer from the ml. zone)"
ask 127.0.0.1 army.ml MX
expect_mx "army.ml MX from 127.0.0.1"

echo
echo "== 3. The legitimate army.mil MX resolves for both"
ask 127.0.0.2 army.mil MX
expect_mx "army.mil MX from 127.0.0.2"
ask 127.0.0.1 army.mil MX
expect_mx "army.mil MX from 127.0.0.1"

echo
echo "== 4. partner-example.ml is allowed by exception: resolves for the mail server"
ask 127.0.0.2 partner-example.ml MX
expect_mx "partner-example.ml MX from 127.0.0.2"

echo
echo "== 5. The mail server asks army.ml MX again, after step 2: still blocked"
echo "   (the answer the other client got was not cached and served to the mail server)"
ask 127.0.0.2 army.ml MX
expect_blocked "army.ml MX from 127.0.0.2 after 127.0.0.1 resolved it"

echo
echo "== 6. Other look-alikes of army.mil, blocked for the mail servers (127.0.0.3 this time)"
ask 127.0.0.3 armymil.com MX
expect_blocked "armymil.com MX from 127.0.0.3"
ask 127.0.0.3 xn--rmy-5cd.mil MX
expect_blocked "xn--rmy-5cd.mil MX from 127.0.0.3"

echo
echo "== 7. What typoguard logged (${logfile#"$root"/})"
grep 'typoguard' -- "$logfile" | sed 's/^/  /' || echo "  (no typoguard lines)"
if [[ -s $events ]]; then
  echo
  echo "== Event log (${events#"$root"/}, last lines)"
  tail -n 8 -- "$events" | sed 's/^/  /'
fi

if [[ -z $(demo_pid) ]]; then
  fail "the demo resolver is no longer running after the queries"
fi
if ((${#failures[@]} > 0)); then
  echo
  echo "$PROG: the demo did NOT show what it claims:" >&2
  printf '  - %s\n' "${failures[@]}" >&2
  show_log_tail
  stop_demo >&2
  exit 1
fi

rel_conf=${conf#"$root"/}
cat <<EOF

== The demo resolver is still running (PID $pid) on 127.0.0.1 port $port
Query it yourself; -b picks the source address, so 127.0.0.2 and 127.0.0.3 are the mail servers:
  dig -p $port -b 127.0.0.2 @127.0.0.1 army.ml MX
  dig -p $port -b 127.0.0.1 @127.0.0.1 army.ml MX
Only the names in zones/demo resolve (there is no internet behind it).
Files: $rel_conf (configuration), ${logfile#"$root"/} (log), ${pidfile#"$root"/}.
Stop it:
  bash module/demo.sh --stop
EOF
