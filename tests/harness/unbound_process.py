# SPDX-License-Identifier: BSD-3-Clause
"""Running a real Unbound for a test: a free loopback port, the daemon in the foreground, and
stopping exactly the process the test started (by its PID, never by name).

Shared by tests/cli/cli_test.py (RPZ through Debian's Unbound) and tests/e2e/unbound_e2e.py
(our dynlib Unbound with typoguard.so)."""
import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

STARTUP_TIMEOUT = 20.0


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


SANITIZER_MARKERS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:",
                     "WARNING: ThreadSanitizer")


def daemon_env(env, conf):
    """The daemon's environment. TG_DAEMON_PRELOAD (a sanitizer runtime set by
    tests/CMakeLists.txt in sanitizer builds, libfaketime in tests/soak/faults.py) goes into the
    daemon's LD_PRELOAD only, never this interpreter's. With a sanitizer runtime, reports are
    fatal and written to <conf dir>/sanitizer.<pid>. Returns the environment and that report
    prefix (None without a sanitizer runtime)."""
    env = dict(os.environ if env is None else env)
    preload = env.pop("TG_DAEMON_PRELOAD", "")
    if not preload:
        return env, None
    env["LD_PRELOAD"] = ":".join(p for p in (preload, env.get("LD_PRELOAD", "")) if p)
    if "libasan" not in preload and "libubsan" not in preload:
        return env, None
    prefix = os.path.join(os.path.dirname(os.path.abspath(str(conf))), "sanitizer")
    # LeakSanitizer runs when the daemon exits after SIGTERM (Unbound frees its state then);
    # a leak, in typoguard.so or in Unbound, fails the test like any other report.
    asan = f"detect_leaks=1:halt_on_error=1:abort_on_error=1:log_path={prefix}"
    ubsan = f"halt_on_error=1:print_stacktrace=1:log_path={prefix}"
    env["ASAN_OPTIONS"] = ":".join(p for p in (env.get("ASAN_OPTIONS", ""), asan) if p)
    env["UBSAN_OPTIONS"] = ":".join(p for p in (env.get("UBSAN_OPTIONS", ""), ubsan) if p)
    return env, prefix


def start_unbound(binary, conf, env=None):
    """Starts `binary -d -c conf` in the foreground; the caller must stop() it in a finally."""
    env, prefix = daemon_env(env, conf)
    process = subprocess.Popen([binary, "-d", "-c", str(conf)], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    process.tg_sanitizer_prefix = prefix
    return process


def check_sanitizer_reports(process, output):
    """Raises RuntimeError (after printing them) when the daemon wrote sanitizer reports."""
    prefix = getattr(process, "tg_sanitizer_prefix", None)
    if prefix is None:
        return
    reports = [output] if any(m in output for m in SANITIZER_MARKERS) else []
    for path in sorted(glob.glob(glob.escape(prefix) + ".*")):
        with open(path, errors="replace") as f:
            reports.append(f"{path}:\n{f.read()}")
    if reports:
        text = "\n".join(reports)
        print(f"sanitizer report from unbound (pid {process.pid}):\n{text}", file=sys.stderr)
        raise RuntimeError(f"sanitizer report from unbound (pid {process.pid})")


def stop(process, grace=10):
    """Stops the process this test started, by its PID: SIGTERM, then SIGKILL after `grace`
    seconds; closes its output pipe and checks for sanitizer reports. A second call (a test's
    explicit stop, then its cleanup) does nothing."""
    if getattr(process, "tg_stopped", False):
        return
    process.tg_stopped = True
    if process.poll() is None:
        os.kill(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.wait(timeout=grace)
    output = ""
    if process.stdout:
        if getattr(process, "tg_sanitizer_prefix", None) is not None:
            output = process.stdout.read()
        process.stdout.close()
    check_sanitizer_reports(process, output)


def read_tail(path, limit=6000):
    """The last `limit` characters of a log file, or "(no log)"."""
    try:
        with open(path, errors="replace") as f:
            return f.read()[-limit:]
    except OSError:
        return "(no log)"


def server_clause(tmp, port, module_config, verbosity=1, extra="", threads=2):
    """The `server:` clause every test instance shares: 127.0.0.1:`port` only, 127/8 allowed,
    upstreams on loopback allowed, no chroot/user switch, files in `tmp`, `threads` worker
    threads (2 for every test; the benchmark pins one). `extra` (indented lines) is appended
    inside the clause."""
    return f"""server:
    interface: 127.0.0.1
    port: {port}
    interface-automatic: no
    access-control: 127.0.0.0/8 allow
    do-not-query-localhost: no
    chroot: ""
    username: ""
    directory: "{tmp}"
    pidfile: "{tmp}/pid"
    use-syslog: no
    logfile: "{tmp}/log"
    verbosity: {verbosity}
    num-threads: {threads}
    module-config: "{module_config}"
{extra}"""


def remote_control_clause(tmp):
    """remote-control on a unix socket in `tmp`, without certificates (unbound-control -c)."""
    return f"""remote-control:
    control-enable: yes
    control-interface: "{tmp}/control.sock"
    control-use-cert: no
"""


# The policy a test daemon loads unless the test names another: typoguard's embedded demo policy
# (mail servers 127.0.0.2 and 127.0.0.3), which the module loads only when asked for by name.
DEMO_POLICY = "builtin:demo"


class UnboundInstance:
    """One `unbound -d` in its own temp dir. `write_conf(tmp, port)` writes the config and
    returns its path; unbound-control is taken from next to the daemon. The daemon's
    environment is this process's without TYPOGUARD_POLICY and TYPOGUARD_EVENT_LOG, then
    TYPOGUARD_POLICY=builtin:demo, then `env_extra` (a value of None removes the variable: a
    test of the default path passes {"TYPOGUARD_POLICY": None}). stop() stops only this PID and
    removes the temp dir. Subclasses add their config variants."""

    def __init__(self, binary, write_conf, env_extra=None, prefix="tg-e2e-"):
        self.binary = binary
        self.control_binary = os.path.join(os.path.dirname(binary), "unbound-control")
        self.tmp = tempfile.mkdtemp(prefix=prefix)
        self.port = free_port()
        self.conf = write_conf(self.tmp, self.port)
        env = dict(os.environ)
        env.pop("TYPOGUARD_EVENT_LOG", None)
        env["TYPOGUARD_POLICY"] = DEMO_POLICY
        for name, value in (env_extra or {}).items():
            if value is None:
                env.pop(name, None)
            else:
                env[name] = value
        self.log_path = os.path.join(self.tmp, "log")
        self.proc = start_unbound(binary, self.conf, env)

    def log(self):
        """The daemon's log file so far ("" before it exists)."""
        try:
            with open(self.log_path, errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def wait_ready(self, with_control=False):
        """True when it answers a query (and, with_control, unbound-control status works);
        False when it exited; raises TimeoutError after STARTUP_TIMEOUT seconds."""
        import dns.message
        import dns.query
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return False
            try:
                dns.query.udp(dns.message.make_query("ready.invalid.", "A"), "127.0.0.1",
                              port=self.port, timeout=0.5)
                if not with_control or self.control("status")[0] == 0:
                    return True
            except Exception:
                pass
            time.sleep(0.2)
        raise TimeoutError(f"unbound did not answer on port {self.port} within {STARTUP_TIMEOUT}s")

    def wait_exit(self):
        """The exit code, waiting at most STARTUP_TIMEOUT; None if it still runs."""
        try:
            return self.proc.wait(timeout=STARTUP_TIMEOUT)
        except subprocess.TimeoutExpired:
            return None

    def control(self, *command, timeout=30):
        """(exit status, output) of `unbound-control -c CONF command...`; (-1, why) on timeout."""
        try:
            out = subprocess.run([self.control_binary, "-c", self.conf, *command],
                                 capture_output=True, text=True, timeout=timeout)
            return out.returncode, out.stdout + out.stderr
        except subprocess.TimeoutExpired:
            return -1, f"unbound-control {' '.join(command)}: timed out after {timeout}s"

    def stop(self):
        stop(self.proc)
        shutil.rmtree(self.tmp, ignore_errors=True)
