# SPDX-License-Identifier: BSD-3-Clause
"""The one test runner of the end-to-end and soak scripts (tests/e2e/*.py, tests/soak/*.py).

A script names its test functions; the runner parses the common options (--unbound, --module,
--zones, made absolute), runs each function in turn, prints `=== PASS name` or `=== FAIL name`
after it (a test fails when one of its check()s fails or it raises; the next test still runs),
then a summary, and gives the exit status: 0 when no check failed, 1 otherwise. Checks made
outside a test (a script's own set-up) count too.

    from runner import main
    sys.exit(main(__doc__, [test_a, test_b], work_prefix="tg-e2e-x-"))
"""
import argparse
import os
import shutil
import tempfile
import time
import traceback

from checks import FAILURES


def arguments(doc, formatter_class=argparse.HelpFormatter):
    """An ArgumentParser with the options every script takes: --unbound, --module, --zones."""
    ap = argparse.ArgumentParser(description=doc, formatter_class=formatter_class)
    ap.add_argument("--unbound", required=True, help="the unbound daemon")
    ap.add_argument("--module", required=True, help="typoguard.so")
    ap.add_argument("--zones", required=True, help="the zone files (zones/e2e)")
    return ap


def parse(ap):
    """The parsed command line, with --module and --zones made absolute (the daemon changes
    directory)."""
    args = ap.parse_args()
    args.module = os.path.abspath(args.module)
    args.zones = os.path.abspath(args.zones)
    return args


class Runner:
    """Runs test functions one after the other and remembers which passed."""

    def __init__(self):
        self.results = []  # (name, passed)
        self.started = time.monotonic()

    def run(self, name, test, *args, **kwargs):
        """Runs test(*args, **kwargs) as the test `name`; returns whether it passed. An
        exception is a failure (its traceback printed), never the end of the run."""
        print(f"=== {name}", flush=True)
        before = len(FAILURES)
        t0 = time.monotonic()
        try:
            test(*args, **kwargs)
        except Exception:  # noqa: BLE001 - reported as this test's failure, the run goes on
            traceback.print_exc()
            FAILURES.append(f"{name}: raised an exception")
        failed = len(FAILURES) - before
        detail = f", {failed} failed check(s)" if failed else ""
        print(f"=== {'FAIL' if failed else 'PASS'} {name} ({time.monotonic() - t0:.1f} s{detail})",
              flush=True)
        self.results.append((name, failed == 0))
        return failed == 0

    def status(self):
        """Prints the summary and every failed check; 0 when none failed, else 1."""
        passed = sum(1 for _, ok in self.results if ok)
        print(f"{passed} of {len(self.results)} test(s) passed; {len(FAILURES)} failure(s) in "
              f"{time.monotonic() - self.started:.1f} s")
        for what in FAILURES:
            print("  failed: " + what)
        return 1 if FAILURES else 0


def skip(reason):
    """Prints why the whole script is skipped; the exit status to return (0: CTest counts a
    skip as a pass here, as these scripts always have)."""
    print(f"SKIP {reason}")
    return 0


def main(doc, tests, work_prefix=None, add_arguments=None, formatter_class=argparse.HelpFormatter):
    """Parses the command line (add_arguments(ap) adds a script's own options), runs each of
    `tests` as test(args), or test(args, work) with a fresh directory when `work_prefix` is
    given (removed afterwards), and returns the exit status."""
    ap = arguments(doc, formatter_class)
    if add_arguments:
        add_arguments(ap)
    args = parse(ap)
    runner = Runner()
    work = tempfile.mkdtemp(prefix=work_prefix) if work_prefix else None
    try:
        for test in tests:
            runner.run(test.__name__, test, args, *([work] if work else []))
    finally:
        if work:
            shutil.rmtree(work, ignore_errors=True)
    return runner.status()
