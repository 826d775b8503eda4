#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""End-to-end test of a chrooted start: a real Unbound (module/build-unbound.sh) with
`chroot: <dir>` and, when the host has that user, `username: unbound`, loading typoguard.so
inside the chroot after the chroot and the privilege drop, as Unbound does.

The chroot is a fresh temp dir holding exactly what docs/deploying.md ("Chroot") says typoguard
needs there, copied (nothing is mounted):
- the data files of that section's list (the test fails when its own list and the document's
  differ): the module at its dynlib-file path, the policy at the module's default path, the
  public suffix list, the event-log directory (writable by Unbound's user);
- the libraries of the rule: every library `ldd typoguard.so` lists that `ldd unbound` does
  not (the daemon has those loaded already), at the path ldd prints;
plus Unbound's own files for this test (its configuration, the two zones of zones/e2e, its log
directory, the pid file's directory).

Checks: unbound starts chrooted (its /proc root is the chroot) and as the unbound user; the log
names /etc/typoguard/policy.json (TYPOGUARD_POLICY unset: the default path, inside the chroot)
and the public suffix list file; army.ml MX is blocked for 127.0.0.2, army.mil MX resolves; an
event line for army.ml is written inside the chroot. Then two starts that must fail: without
the policy file (the error names the path inside the chroot) and without one of the libraries.

Runs only as root (chroot(2)); skips, saying why, otherwise and under a sanitizer runtime.
Usage: chroot_e2e.py --unbound PREFIX/sbin/unbound --module typoguard.so --zones zones/e2e
Exit 0 when every check passes (or the test is skipped), 1 otherwise. Each daemon is stopped by
its own PID; the chroot is removed."""
import json
import os
import pwd
import re
import shutil
import stat
import subprocess
import sys
import time

import dns.rcode

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "harness"))
from checks import check  # noqa: E402
from runner import Runner, arguments, parse, skip  # noqa: E402
from unbound_process import UnboundInstance  # noqa: E402

DOCS = os.path.join(HERE, "..", "..", "docs", "deploying.md")
POLICY_SOURCE = os.path.join(HERE, "..", "..", "policy", "examples", "default.json")

# Paths inside the chroot: what typoguard needs there (docs/deploying.md, "Chroot").
MODULE = "/usr/lib/unbound/typoguard.so"
POLICY = "/etc/typoguard/policy.json"
PSL = "/usr/share/publicsuffix/public_suffix_list.dat"
EVENT_DIR = "/var/log/typoguard/"
DATA_FILES = [MODULE, POLICY, PSL, EVENT_DIR]
EVENTS = EVENT_DIR + "events.jsonl"
QUERY_TIMEOUT = 3.0
WAIT = 8.0


def documented_files():
    """The paths of the first text block of docs/deploying.md's "Chroot" section (the first
    word of each line)."""
    with open(DOCS) as f:
        text = f.read()
    section = re.search(r"^#{2,4} Chroot\n(.*?)(?=^#{2,3} )", text, re.S | re.M)
    if section is None:
        return None
    block = re.search(r"^```text\n(.*?)^```", section.group(1), re.S | re.M)
    if block is None:
        return None
    return [line.split()[0] for line in block.group(1).splitlines() if line.strip()]


def ldd(path):
    """{soname: path} of the shared libraries ldd lists for `path` (the vDSO and the dynamic
    loader, which every process has, are left out)."""
    out = subprocess.run(["ldd", path], capture_output=True, text=True, check=True).stdout
    libs = {}
    for line in out.splitlines():
        m = re.match(r"\s*(\S+) => (/\S+) \(", line)
        if m:
            libs[m.group(1)] = m.group(2)
        elif "not found" in line:
            raise RuntimeError(f"ldd {path}: {line.strip()}")
    return libs


def module_libraries(unbound, module):
    """The rule: the libraries of `ldd typoguard.so` that `ldd unbound` does not list."""
    daemon = ldd(unbound)
    return {name: path for name, path in ldd(module).items() if name not in daemon}


def put(root, inside, source, mode, owner=None):
    """Copies `source` (following symlinks) to `inside` in the chroot with `mode` (and
    owner (uid, gid)), creating the directories (0755, root)."""
    target = root + inside
    os.makedirs(os.path.dirname(target), mode=0o755, exist_ok=True)
    shutil.copyfile(source, target)
    os.chmod(target, mode)
    if owner is not None:
        os.chown(target, *owner)
    return target


def make_dir(root, inside, owner=None, mode=0o755):
    target = root + inside
    os.makedirs(target, mode=0o755, exist_ok=True)
    os.chmod(target, mode)
    if owner is not None:
        os.chown(target, *owner)
    return target


class ChrootUnbound(UnboundInstance):
    """Unbound chrooted into `<tmp>/root`, built by `populate(root)` before the start."""

    def __init__(self, binary, populate, username, zones, env_extra):
        self.username = username
        self.zones = zones
        self.populate = populate
        super().__init__(binary, self.write_conf, env_extra, prefix="tg-chroot-")
        self.log_path = os.path.join(self.root, "var", "log", "unbound", "unbound.log")

    def write_conf(self, tmp, port):
        self.root = os.path.join(tmp, "root")
        os.makedirs(self.root)
        os.chmod(self.root, 0o755)  # Unbound's user must get through "/" of the chroot
        ids = None
        if self.username:
            pw = pwd.getpwnam(self.username)
            ids = (pw.pw_uid, pw.pw_gid)
        self.populate(self.root, ids)
        for zone in ("ml", "mil"):
            put(self.root, f"/etc/unbound/zones/{zone}.zone", os.path.join(self.zones, f"{zone}.zone"),
                0o644)
        make_dir(self.root, "/var/log/unbound", ids, 0o750)
        make_dir(self.root, "/run")
        conf = self.root + "/etc/unbound/unbound.conf"
        with open(conf, "w") as f:
            f.write(f"""server:
    interface: 127.0.0.1
    port: {port}
    interface-automatic: no
    access-control: 127.0.0.0/8 allow
    do-not-query-localhost: no
    chroot: "{self.root}"
    username: "{self.username}"
    directory: "{self.root}/etc/unbound"
    pidfile: "{self.root}/run/unbound.pid"
    use-syslog: no
    logfile: "{self.root}/var/log/unbound/unbound.log"
    verbosity: 1
    num-threads: 2
    module-config: "dynlib validator iterator"
auth-zone:
    name: "ml."
    zonefile: "/etc/unbound/zones/ml.zone"
    for-upstream: yes
    for-downstream: no
    fallback-enabled: no
auth-zone:
    name: "mil."
    zonefile: "/etc/unbound/zones/mil.zone"
    for-upstream: yes
    for-downstream: no
    fallback-enabled: no
dynlib:
    dynlib-file: "{MODULE}"
""")
        return conf

    def query(self, name, rdtype, source):
        import dns.message
        import dns.query
        q = dns.message.make_query(name, rdtype, want_dnssec=True)
        return dns.query.udp(q, "127.0.0.1", port=self.port, source=source, timeout=QUERY_TIMEOUT)

    def early_output(self):
        """What the daemon printed before its log file opened (after it exited)."""
        if self.proc.poll() is None or self.proc.stdout is None:
            return ""
        return self.proc.stdout.read()


def populator(args, libraries, skip=()):
    """populate(root, ids) for ChrootUnbound: the documented files and the libraries, less
    the chroot paths in `skip`."""
    def populate(root, ids):
        group_read = (0, ids[1]) if ids else None
        if MODULE not in skip:
            put(root, MODULE, args.module, 0o644)
        if POLICY not in skip:
            make_dir(root, os.path.dirname(POLICY))
            put(root, POLICY, POLICY_SOURCE, 0o640, group_read)  # root:unbound 0640
        put(root, PSL, PSL, 0o644)
        make_dir(root, EVENT_DIR, ids, 0o750)
        for path in libraries.values():
            if path not in skip:
                put(root, path, path, 0o644)
    return populate


def process_status(pid):
    """(uid, root directory) of a running process."""
    with open(f"/proc/{pid}/status") as f:
        uid = int(re.search(r"^Uid:\s+(\d+)", f.read(), re.M).group(1))
    return uid, os.path.realpath(f"/proc/{pid}/root")


def read_events(path):
    try:
        with open(path) as f:
            return [json.loads(line) for line in f if line.strip()]
    except (OSError, ValueError):
        return []


def wait_for(predicate, limit):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return predicate()


def print_module_log(log):
    for line in log.splitlines():
        if "typoguard" in line or "dynlib" in line:
            print("    log: " + line)


def test_chroot(args, libraries, username, env):
    ub = ChrootUnbound(args.unbound, populator(args, libraries), username, args.zones, env)
    try:
        listing = sorted(os.path.relpath(os.path.join(d, n), ub.root)
                         for d, _, names in os.walk(ub.root) for n in names)
        print("    chroot: " + " ".join("/" + p for p in listing))
        ready = ub.wait_ready()
        log = ub.log()
        check(ready, "unbound with typoguard starts inside the chroot", log + ub.early_output())
        if not ready:
            return
        uid, root = process_status(ub.proc.pid)
        check(root == os.path.realpath(ub.root), "the daemon's root directory is the chroot",
              f"/proc/{ub.proc.pid}/root -> {root}")
        want_uid = pwd.getpwnam(username).pw_uid if username else 0
        check(uid == want_uid, f"the daemon runs as {username or 'root'} (uid {want_uid})", f"uid {uid}")
        check(f"policy {POLICY} (revision" in log,
              f"TYPOGUARD_POLICY unset: the default path {POLICY} inside the chroot is loaded", log)
        check(f"public suffixes from {PSL}" in log,
              "the public suffix list file is read inside the chroot", log)

        r = ub.query("army.ml.", "MX", "127.0.0.2")
        check(r.rcode() == dns.rcode.NXDOMAIN and not r.answer,
              "chroot: army.ml MX from mail server 127.0.0.2 -> NXDOMAIN", str(r))
        r = ub.query("army.mil.", "MX", "127.0.0.2")
        check(r.rcode() == dns.rcode.NOERROR and r.answer,
              "chroot: army.mil MX from 127.0.0.2 -> NOERROR with the MX", str(r))

        events = ub.root + EVENTS
        written = wait_for(lambda: any(e.get("dns", {}).get("question", {}).get("name") == "army.ml"
                                       for e in read_events(events)), WAIT)
        check(written, f"an event line for army.ml is written inside the chroot ({EVENTS})",
              repr(read_events(events)[-2:]) + "\n" + ub.log()[-2000:])
        if written and username:
            st = os.stat(events)
            check(st.st_uid == want_uid and stat.S_ISREG(st.st_mode),
                  "the event log is written by the unbound user", f"owner uid {st.st_uid}")
        check(ub.proc.poll() is None, "unbound still running after the chroot queries", ub.log())
        print_module_log(ub.log())
    finally:
        ub.stop()


def test_missing(args, libraries, username, env, skip, what, needle):
    """A chroot lacking `skip`: unbound refuses to start and its log contains `needle`."""
    ub = ChrootUnbound(args.unbound, populator(args, libraries, skip), username, args.zones, env)
    try:
        rc = ub.wait_exit()
        log = ub.log() + ub.early_output()
        check(rc is not None and rc != 0, f"chroot without {what} -> unbound refuses to start",
              f"exit={rc}\n{log}")
        check(needle(ub) in log, f"chroot without {what}: the log says {needle(ub)!r}", log)
        print_module_log(log)
    finally:
        ub.stop()


def main():
    args = parse(arguments(__doc__))
    if os.geteuid() != 0:
        return skip("chroot test: needs root (chroot(2) and the switch to the unbound user)")
    if os.environ.get("TG_DAEMON_PRELOAD"):
        return skip("chroot test: a sanitizer runtime in the daemon needs /proc and its report "
                    "path, which the chroot does not have (the test runs in the uninstrumented "
                    "builds)")

    documented = documented_files()
    check(documented == DATA_FILES, "the chroot's data files are the ones docs/deploying.md lists",
          f"docs/deploying.md (Chroot): {documented}\nthis test: {DATA_FILES}")
    libraries = module_libraries(args.unbound, args.module)
    print("    libraries (ldd typoguard.so minus ldd unbound): " + " ".join(sorted(libraries)))
    check(libraries and all(os.path.isabs(p) for p in libraries.values()),
          "ldd names the module's own libraries", repr(libraries))
    try:
        pwd.getpwnam("unbound")
        username = "unbound"
    except KeyError:
        username = ""
        print("    no unbound user on this host (getent passwd unbound): the daemon stays root")
    env = {"TYPOGUARD_POLICY": None, "TYPOGUARD_EVENT_LOG": EVENTS}

    runner = Runner()
    runner.run("test_chroot", test_chroot, args, libraries, username, env)
    runner.run("test_missing policy", test_missing, args, libraries, username, env, {POLICY},
               "the policy file", lambda ub: f"no policy at {POLICY} inside the chroot {ub.root}")
    lib = "libyang.so.2" if "libyang.so.2" in libraries else sorted(libraries)[0]
    runner.run(f"test_missing {lib}", test_missing, args, libraries, username, env,
               {libraries[lib]}, lib, lambda ub: f"{lib}: cannot open shared object file")
    return runner.status()


if __name__ == "__main__":
    sys.exit(main())
