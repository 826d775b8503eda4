#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The install test's steps inside the clean root (tests/packaging/install_test.sh copies this
# file to /test and runs one phase at a time; every phase but `install` runs in a network
# namespace that has only loopback).
#   in_root.sh install | exercise | remove | purge
# Each check prints "ok - ..." or "not ok - ..."; a phase exits 1 after its first failure.
set -uo pipefail

T=/test
EVENTS=/var/log/typoguard/events.jsonl
ULOG=/var/lib/unbound/unbound.log
failures=0

fail() {
  echo "not ok - $*"
  failures=$((failures + 1))
  [[ -f $ULOG ]] && { echo "  last lines of $ULOG:"; tail -n 15 "$ULOG" | sed 's/^/    /'; }
  exit 1
}

# shellcheck source=tests/packaging/checks.sh
source "$T/checks.sh"

# The files of the root that packages could leave behind (not apt's and dpkg's own state,
# nor the backups shadow's tools keep of /etc/passwd and the like when a user is added).
snapshot() {
  find / -xdev \( -path /proc -o -path /sys -o -path /dev -o -path /run -o -path /tmp \
    -o -path /test -o -path /var/lib/apt -o -path /var/lib/dpkg -o -path /var/cache \
    -o -path /var/log/apt -o -path /var/log/dpkg.log -o -path /var/log/alternatives.log \
    -o -path /etc/ld.so.cache -o -path '/etc/*-' \) -prune -o -print | sort
}

unit() { python3 "$T/unit_commands.py" / unbound.service "$1"; }

# start_unbound: runs the unit's ExecStartPre= and ExecStart= lines as systemd would, then
# waits until the daemon answers. Sets MAINPID.
start_unbound() {
  local out
  out=$(unit start | bash 2>"$T/start.err") || { cat "$T/start.err"; fail "unbound.service start (its commands, as systemd runs them)"; }
  MAINPID=$(sed -n 's/^MAINPID=//p' <<<"$out")
  [[ -n $MAINPID ]] || fail "unbound.service start printed no MAINPID"
  for _ in $(seq 1 100); do
    if [[ -n $(dig_status 127.0.0.1 health.invalid A) ]]; then
      ok "unbound started as unbound.service would (PID $MAINPID)"
      return 0
    fi
    kill -0 "$MAINPID" 2>/dev/null || { cat "$T/start.err"; fail "unbound exited at start"; }
    sleep 0.1
  done
  fail "unbound does not answer on 127.0.0.1 within 10 s"
}

stop_unbound() {
  kill -TERM "$MAINPID" 2>/dev/null || true
  for _ in $(seq 1 100); do
    kill -0 "$MAINPID" 2>/dev/null || { ok "unbound (PID $MAINPID) stopped"; return 0; }
    sleep 0.1
  done
  fail "unbound (PID $MAINPID) still runs 10 s after SIGTERM"
}

events_matching() { [[ -f $EVENTS ]] && grep -c -- "$1" "$EVENTS" || echo 0; }

# wait_for_log TEXT: waits up to 10 s for TEXT in Unbound's log.
wait_for_log() {
  for _ in $(seq 1 100); do
    grep -qF -- "$1" "$ULOG" 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

phase_install() {
  apt-get -q update >/dev/null || fail "apt-get update"
  # The test's own tools first, so that the snapshot holds them: dig, Python for the unit
  # reader, AppArmor's parser to compile Debian's profile with typoguard's rules, and procps
  # (/bin/kill, which Debian's unit runs for a reload; every installed system has it).
  apt-get -q -y install --no-install-recommends bind9-dnsutils python3 apparmor procps >"$T/tools.log" 2>&1 ||
    { tail -n 20 "$T/tools.log"; fail "installing the test's tools"; }
  snapshot >"$T/before.txt"
  echo "# apt-get install ./$(cd "$T/debs" && echo unbound_*.deb) ./$(cd "$T/debs" && echo typoguard_*.deb)"
  (cd "$T/debs" && apt-get -q -y install ./unbound_*.deb ./typoguard_*.deb) >"$T/install.log" 2>&1 ||
    { tail -n 30 "$T/install.log"; fail "apt-get install ./unbound_*.deb ./typoguard_*.deb"; }
  ok "apt-get install of the two packages"
  check "typoguard depends on exactly this unbound" \
    test "$(dpkg-query -W -f '${Version}' unbound)" = "$(cat "$T/unbound-version")"
}

phase_exercise() {
  echo "# the package's files"
  dpkg -L typoguard | sed 's/^/#   /'
  check "the drop-in /etc/unbound/unbound.conf.d/typoguard.conf links the package's file" \
    test "$(readlink /etc/unbound/unbound.conf.d/typoguard.conf)" = /etc/typoguard/unbound.conf
  check "/var/log/typoguard belongs to unbound" test "$(stat -c %U /var/log/typoguard)" = unbound
  check "AppArmor's unbound profile includes typoguard's rules" \
    grep -qxF 'include <local/usr.sbin.unbound.d>' /etc/apparmor.d/local/usr.sbin.unbound
  check "the profile compiles with them (apparmor_parser)" \
    apparmor_parser --skip-kernel-load --skip-cache -Q /etc/apparmor.d/usr.sbin.unbound
  check "the shipped policy validates" typoguard validate /etc/typoguard/policy.json
  check "the shipped policy is in monitor mode" grep -q '"mode": "monitor"' /etc/typoguard/policy.json

  install -d /etc/unbound/install-test
  cp "$T"/zones/*.zone /etc/unbound/install-test/
  cp "$T/zones/test-zones.conf" /etc/unbound/unbound.conf.d/zz-install-test.conf

  echo "# 1. the package as installed: the shipped policy, monitor mode"
  start_unbound
  # After the unit's ExecStartPre made the trust anchor file that Debian's drop-in names.
  check "unbound-checkconf accepts Debian's configuration with the drop-in" unbound-checkconf
  check "the module loaded the shipped policy" wait_for_log "policy /etc/typoguard/policy.json"
  expect_status 127.0.0.1 gmial.com MX NOERROR "monitor mode answers normally"
  sleep 1.5 # the event writer's batch
  check "a monitor event for gmial.com in $EVENTS" test "$(events_matching '"gmial.com"')" -ge 1
  check "that event says monitor" grep -q '"mode":"monitor"' "$EVENTS"

  echo "# 2. the team's policy (enforce, army.mil for the mail server 127.0.0.1), reloaded through the unit"
  cp "$T/policy-v1.json" /etc/typoguard/policy.json
  MAINPID=$MAINPID unit reload | MAINPID=$MAINPID bash || fail "unbound.service reload (validate, then SIGHUP)"
  check "the reload loaded revision install-test-v1" wait_for_log "revision install-test-v1"
  expect_status 127.0.0.1 army.ml MX NXDOMAIN "a look-alike, asked by the mail server"
  expect_status 127.0.0.2 army.ml MX NOERROR "another client resolves it"
  expect_status 127.0.0.1 army.mil MX NOERROR "the protected name resolves"
  check "army.mil's MX is the real one" test "$(dig_answer 127.0.0.1 army.mil MX)" = "10 mail.army.mil."
  sleep 1.5
  check "an event for army.ml from 127.0.0.1 in $EVENTS" \
    grep -q '"ip":"127.0.0.1".*"name":"army.ml".*"install-test-v1"' "$EVENTS"
  check "no event for the other client" bash -c "! grep -q '\"ip\":\"127.0.0.2\"' $EVENTS"

  echo "# 3. a changed policy (127.0.0.2 becomes a mail server): unbound-control reload"
  cp "$T/policy-v2.json" /etc/typoguard/policy.json
  check "unbound-control reload" unbound-control reload
  check "revision install-test-v2 in force" wait_for_log "revision install-test-v2"
  expect_status 127.0.0.2 army.ml MX NXDOMAIN "now in scope"

  echo "# 4. a broken policy: the unit refuses to reload, unbound-control reload keeps the last good one"
  cp "$T/policy-broken.json" /etc/typoguard/policy.json
  if MAINPID=$MAINPID unit reload | MAINPID=$MAINPID bash >"$T/reload.out" 2>&1; then
    cat "$T/reload.out"
    fail "unbound.service reload accepted a broken policy"
  fi
  ok "unbound.service reload fails on the broken policy: $(grep -m1 -v '^+' "$T/reload.out")"
  check "unbound-control reload" unbound-control reload
  check "the module logged the error with file and line" wait_for_log "cannot load policy /etc/typoguard/policy.json"
  check "and kept the last good policy" wait_for_log "keeping the last good policy"
  expect_status 127.0.0.2 army.ml MX NXDOMAIN "revision v2 still in force"
  expect_status 127.0.0.1 army.mil MX NOERROR "the protected name still resolves"
  cp "$T/policy-v2.json" /etc/typoguard/policy.json
  stop_unbound
}

phase_remove() {
  apt-get -q -y remove typoguard >"$T/remove.log" 2>&1 || { tail -n 20 "$T/remove.log"; fail "apt-get remove typoguard"; }
  ok "apt-get remove typoguard"
  check "the drop-in link is gone" test ! -e /etc/unbound/unbound.conf.d/typoguard.conf
  check "the module is gone" test ! -e /usr/lib/unbound/typoguard.so
  check "the unit's typoguard drop-in is gone" test ! -e /usr/lib/systemd/system/unbound.service.d/typoguard.conf
  check "the policy stays (a conffile, until purge)" test -f /etc/typoguard/policy.json
  start_unbound
  expect_status 127.0.0.1 army.ml MX NOERROR "unbound runs on, without the module"
  stop_unbound
}

phase_purge() {
  apt-get -q -y purge typoguard unbound >"$T/purge.log" 2>&1 || { tail -n 20 "$T/purge.log"; fail "apt-get purge typoguard unbound"; }
  apt-get -q -y autoremove --purge >>"$T/purge.log" 2>&1 || fail "apt-get autoremove --purge"
  ok "apt-get purge typoguard unbound, autoremove --purge"
  # What the test itself added to Debian's configuration goes too.
  rm -rf /etc/unbound/install-test /etc/unbound/unbound.conf.d/zz-install-test.conf
  rmdir /etc/unbound/unbound.conf.d /etc/unbound 2>/dev/null || true
  rm -f "$ULOG"
  snapshot >"$T/after.txt"
  local added
  added=$(comm -13 "$T/before.txt" "$T/after.txt")
  if [[ -n $added ]]; then
    echo "$added" | sed 's/^/  left behind: /'
    fail "no file left behind by the packages ($(wc -l <<<"$added") paths)"
  fi
  ok "no file left behind (the root's files are those before the install)"
  check "nothing named typoguard anywhere" bash -c '! find / -xdev -path /test -prune -o -name "*typoguard*" -print | grep -q .'
  local procs
  procs=$(for p in /proc/[0-9]*; do [[ ${p#/proc/} == "$$" || ${p#/proc/} == 1 ]] && continue
    tr '\0' ' ' <"$p/cmdline" 2>/dev/null; echo; done | grep -v -e '^$' -e '^tr ' -e '^bash ' -e '^grep ' || true)
  if [[ -n $procs ]]; then
    echo "$procs" | sed 's/^/  still running: /'
    fail "no process left"
  fi
  ok "no process left in the root"
}

case "${1:-}" in
  install) phase_install ;;
  exercise) phase_exercise ;;
  remove) phase_remove ;;
  purge) phase_purge ;;
  *)
    echo "usage: in_root.sh install|exercise|remove|purge" >&2
    exit 2
    ;;
esac
exit $((failures > 0))
