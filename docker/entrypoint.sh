#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Entrypoint of the typoguard image (/usr/local/bin/typoguard-entrypoint):
#   typoguard-entrypoint [UNBOUND-ARGS...]
# Checks the policy the module will load, prepares the writable volumes, seeds the root trust
# anchor as Debian's unit does, checks Unbound's configuration, then runs Unbound in the
# foreground as PID 1 (it handles SIGTERM and SIGHUP itself). Extra arguments go to unbound,
# e.g. `docker run ... typoguard:bookworm -v`.
set -euo pipefail

default_policy=/etc/typoguard/policy.json
policy=${TYPOGUARD_POLICY:-}

say() { echo "typoguard-entrypoint: $*" >&2; }
die() {
  say "error: $*"
  say "Unbound not started"
  exit 1
}

# 1. The policy, by the module's rule: $TYPOGUARD_POLICY when set and non-empty, else
#    /etc/typoguard/policy.json. A missing file is an error here as it is in the module.
if [[ -z $policy ]]; then
  [[ -e $default_policy ]] ||
    die "no policy file at $default_policy (TYPOGUARD_POLICY is unset or empty): mount the directory holding your policy.json on /etc/typoguard, or set TYPOGUARD_POLICY to a policy file (TYPOGUARD_POLICY=builtin:demo runs the embedded demo policy)"
  policy=$default_policy
elif [[ $policy == builtin:demo ]]; then
  say "TYPOGUARD_POLICY=builtin:demo: the embedded demo policy (it protects .mil domains for the demo clients 127.0.0.2 and 127.0.0.3 only); nothing to validate"
  policy=
elif [[ $policy == builtin:* ]]; then
  die "TYPOGUARD_POLICY=$policy: no such built-in policy (the only one is builtin:demo)"
else
  [[ -e $policy ]] ||
    die "no policy file at $policy (from TYPOGUARD_POLICY): mount the directory holding it, or unset TYPOGUARD_POLICY to use $default_policy"
fi
if [[ -n $policy ]]; then
  # Prints "<file>: ok (...)" or the file, line, data path and message of each error.
  typoguard validate "$policy" >&2 || die "the policy $policy is not valid (see above)"
fi

if [[ $(id -u) -eq 0 ]]; then
  # 2. Writable directories for the `unbound` user (Unbound drops to it before typoguard
  #    starts). Fresh named volumes already have the right owner; bind mounts may not.
  for d in /var/lib/unbound /var/log/typoguard; do
    if [[ -d $d && $(stat -c %U -- "$d") != unbound ]]; then
      chown unbound:unbound -- "$d" 2>/dev/null || say "warning: cannot chown $d to unbound (read-only mount?)"
    fi
  done
  # 3. The root trust anchor, as Debian's unbound.service does before it starts unbound:
  #    /var/lib/unbound/root.key seeded from dns-root-data (as the unbound user), then kept up
  #    to date by Unbound itself (RFC 5011).
  /usr/libexec/unbound-helper root_trust_anchor_update >&2 ||
    say "warning: unbound-helper root_trust_anchor_update failed"
else
  say "warning: not running as root: Unbound cannot bind port 53, switch to the unbound user or"
  say "seed /var/lib/unbound/root.key unless the configuration says otherwise"
fi

# 4. Unbound's own configuration (Debian's unbound.conf and the unbound.conf.d/ drop-ins). It
#    knows nothing of typoguard beyond module-config and dynlib-file.
unbound-checkconf >&2 || die "unbound-checkconf rejects the configuration (see above)"

# -d: foreground, log to stderr (docker.conf: logfile ""); -p: no pid file (the container is the
# supervisor).
exec unbound -d -p "$@"
