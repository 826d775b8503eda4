# SPDX-License-Identifier: BSD-3-Clause
# shellcheck shell=bash
# The package tests' checks (in_root.sh inside the clean root, docker_test.sh on the host): each
# prints "ok - ..." or calls the caller's fail(), which prints "not ok - ...", shows what
# explains it and exits. The resolver under test answers on 127.0.0.1 port ${PORT:-53}.

ok() { echo "ok - $*"; }
check() { # check DESCRIPTION CMD...
  local what=$1
  shift
  if "$@"; then ok "$what"; else fail "$what"; fi
}

# dig_status CLIENT NAME TYPE: the rcode the resolver gives CLIENT (a loopback address).
dig_status() {
  dig -p "${PORT:-53}" -b "$1" @127.0.0.1 "$2" "$3" +time=2 +tries=1 +noall +comments 2>/dev/null |
    sed -n 's/.*status: \([A-Z]*\),.*/\1/p'
}
# dig_answer CLIENT NAME TYPE: the answer section's data, one record a line.
dig_answer() { dig -p "${PORT:-53}" -b "$1" @127.0.0.1 "$2" "$3" +time=2 +tries=1 +short 2>/dev/null; }
expect_status() { # expect_status CLIENT NAME TYPE RCODE WHY
  local got
  got=$(dig_status "$1" "$2" "$3")
  if [[ $got == "$4" ]]; then ok "$1 asks $2 $3: $4 ($5)"; else fail "$1 asks $2 $3: expected $4 ($5), got '${got:-no answer}'"; fi
}
