# SPDX-License-Identifier: BSD-3-Clause
"""Running a real Unbound for a test: a free loopback port, the daemon in the foreground, and
stopping exactly the process the test started (by its PID, never by name).

Shared by tests/cli/cli_test.py (RPZ through Debian's Unbound) and tests/e2e/unbound_e2e.py
(our dynlib Unbound with typoguard.so)."""
import os
import signal
import socket
import subprocess


def free_port():
    """A port currently free for both UDP and TCP on 127.0.0.1 (checked, then released; a
    caller that loses a race sees the daemon exit and may try again)."""
    for _ in range(50):
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
            udp.bind(("127.0.0.1", 0))
            port = udp.getsockname()[1]
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as tcp:
                try:
                    tcp.bind(("127.0.0.1", port))
                except OSError:
                    continue
            return port
    raise RuntimeError("no free port on 127.0.0.1")


def start_unbound(binary, conf, env=None):
    """Starts `binary -d -c conf` in the foreground; the caller must stop() it in a finally."""
    return subprocess.Popen([binary, "-d", "-c", str(conf)], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)


def stop(process, grace=10):
    """Stops the process this test started, by its PID: SIGTERM, then SIGKILL after `grace`
    seconds; closes its output pipe."""
    if process.poll() is None:
        os.kill(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.wait(timeout=grace)
    if process.stdout:
        process.stdout.close()


def read_tail(path, limit=6000):
    """The last `limit` characters of a log file, or "(no log)"."""
    try:
        with open(path, errors="replace") as f:
            return f.read()[-limit:]
    except OSError:
        return "(no log)"
