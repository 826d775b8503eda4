# SPDX-License-Identifier: BSD-3-Clause
"""Config variants of a real Unbound for the leak tests (tests/e2e/leak_e2e.py): the upstream is
tests/harness/slow_upstream.py reached through stub zones, remote control on a unix socket
(control-use-cert: no) so a test can run unbound-control -c CONF, num-threads: 2 always.
Every daemon runs with -d in its own temp dir and is stopped by its own PID."""
import os
import select
import shutil
import subprocess
import sys
import tempfile

from unbound_process import (STARTUP_TIMEOUT, UnboundInstance, free_port, remote_control_clause,
                             server_clause, stop)

# The zones slow_upstream.py serves (files under zones/e2e) and the stub zones pointing at it.
UPSTREAM_ZONES = ["leak-ml.zone", "leak-slow.ml.zone", "leak-good.test.zone", "leak-corp.test.zone",
                  "mil.zone"]


class Upstream:
    """slow_upstream.py as a subprocess on 127.0.0.1 (it picks its own port); stop() by PID."""

    def __init__(self, python, zones_dir):
        self.tmp = tempfile.mkdtemp(prefix="tg-up-")
        self.control = os.path.join(self.tmp, "control.json")
        self.log_path = os.path.join(self.tmp, "queries.log")
        self.set(delay={}, drop=[])
        script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "slow_upstream.py")
        cmd = [python, script, "--control", self.control, "--log", self.log_path]
        for z in UPSTREAM_ZONES:
            cmd += ["--zone", os.path.join(zones_dir, z)]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        ready, _, _ = select.select([self.proc.stdout], [], [], STARTUP_TIMEOUT)
        line = self.proc.stdout.readline() if ready else ""
        if not line.startswith("PORT "):
            self.stop()
            raise RuntimeError(f"slow_upstream did not start: {line!r}")
        self.port = int(line.split()[1])

    def set(self, delay=None, drop=None):
        """Replaces the delays ({name.: seconds}) and drops ([name.]) atomically."""
        tmp = self.control + ".tmp"
        with open(tmp, "w") as f:
            import json
            json.dump({"delay": delay or {}, "drop": drop or []}, f)
        os.replace(tmp, self.control)

    def queries(self, name=None, rdtype=None):
        """The logged queries [(time, qname, qtype, transport)], optionally filtered."""
        try:
            with open(self.log_path) as f:
                rows = [line.split() for line in f if line.strip()]
        except OSError:
            return []
        return [(float(t), n, ty, tr) for t, n, ty, tr in rows
                if (name is None or n == name) and (rdtype is None or ty == rdtype)]

    def stop(self):
        stop(self.proc)
        shutil.rmtree(self.tmp, ignore_errors=True)


def write_config(tmp, port, module, upstream_port, dead_port, validator=True, serve_expired=False, verbosity=1,
                 extra=""):
    """unbound.conf for one variant; returns its path."""
    module_config = "dynlib validator iterator" if validator else "dynlib iterator"
    expired = ""
    if serve_expired:
        expired = """    serve-expired: yes
    serve-expired-client-timeout: 300
    serve-expired-ttl: 3600
"""
    up = f"127.0.0.1@{upstream_port}"
    conf = os.path.join(tmp, "unbound.conf")
    with open(conf, "w") as f:
        f.write(server_clause(tmp, port, module_config, verbosity, """    local-zone: "test." nodefault
    ede: yes
""" + expired + extra) + remote_control_clause(tmp) + f"""stub-zone:
    name: "ml."
    stub-addr: {up}
stub-zone:
    name: "slow.ml."
    stub-addr: {up}
stub-zone:
    name: "dead.ml."
    stub-addr: 127.0.0.1@{dead_port}
stub-zone:
    name: "mil."
    stub-addr: {up}
stub-zone:
    name: "good.test."
    stub-addr: {up}
stub-zone:
    name: "corp.test."
    stub-host: "ns.army.ml@{upstream_port}"
dynlib:
    dynlib-file: "{module}"
""")
    return conf


class Unbound(UnboundInstance):
    """One config variant (write_config) with the upstream at `upstream_port`."""

    def __init__(self, binary, control_binary, module, upstream_port, env_extra=None, **variant):
        self.dead_port = free_port()
        super().__init__(binary, lambda tmp, port: write_config(tmp, port, module, upstream_port,
                                                                self.dead_port, **variant),
                         env_extra, prefix="tg-leak-")
        self.control_binary = control_binary

    def wait_ready(self, with_control=True):
        """As UnboundInstance.wait_ready, with unbound-control checked by default."""
        return super().wait_ready(with_control)

    def stats(self):
        """stats_noreset as {name: float}; {} when unbound-control fails."""
        rc, out = self.control("stats_noreset")
        if rc != 0:
            print("    unbound-control stats_noreset failed: " + out, file=sys.stderr)
            return {}
        stats = {}
        for line in out.splitlines():
            key, _, value = line.partition("=")
            try:
                stats[key] = float(value)
            except ValueError:
                pass
        return stats

    def stop(self):
        stop(self.proc)
        shutil.rmtree(self.tmp, ignore_errors=True)
