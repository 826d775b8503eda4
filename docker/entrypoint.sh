#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Entrypoint of the typoguard image: check the policy and the Unbound configuration, prepare
# the writable directories, then run Unbound in the foreground as PID 1 (it handles SIGTERM
# and SIGHUP itself). Extra arguments go to unbound, e.g. `docker run ... typoguard -v`.
set -eu

conf=${UNBOUND_CONF:-/etc/unbound/unbound.conf}
policy=${TYPOGUARD_POLICY:-}

say() { echo "typoguard-entrypoint: $*" >&2; }

# 1. The policy. TYPOGUARD_POLICY set but missing is an error, not a silent fallback to the
#    embedded demo policy (which protects .mil for loopback demo clients only). Set
#    TYPOGUARD_POLICY= (empty) to run that embedded policy on purpose.
if [ -n "$policy" ]; then
  if [ ! -e "$policy" ]; then
    say "no policy file at $policy (TYPOGUARD_POLICY): mount your policy's directory on"
    say "$(dirname -- "$policy"), or set TYPOGUARD_POLICY= to run the embedded demo policy"
    exit 1
  fi
  # Prints "<file>: ok (...)" or the file, line, data path and message of each error.
  typoguard validate "$policy" || {
    say "the policy $policy is not valid (see above); Unbound not started"
    exit 1
  }
else
  say "TYPOGUARD_POLICY is empty: typoguard uses typoguard.json next to the module if present, else its embedded demo policy"
fi

# 2. Writable directories for the `unbound` user (Unbound drops to it before typoguard starts).
#    Fresh named volumes already have the right owner; bind mounts may not.
if [ "$(id -u)" -eq 0 ]; then
  for d in /var/lib/unbound /var/log/typoguard; do
    if [ -d "$d" ] && [ "$(stat -c %U -- "$d")" != unbound ]; then
      chown unbound:unbound -- "$d" 2>/dev/null || say "warning: cannot chown $d to unbound (read-only mount?)"
    fi
  done
  # The root trust anchor: seeded from dns-root-data, then maintained by Unbound (RFC 5011).
  if [ ! -s /var/lib/unbound/root.key ]; then
    install -o unbound -g unbound -m 0644 /usr/share/dns/root.key /var/lib/unbound/root.key
  fi
else
  say "warning: not running as root; Unbound cannot bind port 53 or switch to the unbound user"
  say "unless the configuration is changed (port >= 1024, username: \"\")"
fi

# 3. Unbound's own configuration (after the trust anchor exists: checkconf requires it). It
#    cannot check the policy and knows nothing of typoguard beyond the module-config string.
unbound-checkconf "$conf" >&2

# -d: foreground, log to stderr; -p: no pid file (the container is the supervisor).
exec unbound -d -p -c "$conf" "$@"
