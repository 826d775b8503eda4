# SPDX-License-Identifier: BSD-3-Clause
"""PASS/FAIL bookkeeping shared by the end-to-end scripts: check() prints one line per check and
collects the failures; a script exits 1 when FAILURES is not empty."""

FAILURES = []


def check(cond, what, detail=""):
    """Prints PASS/FAIL `what` (and `detail`, indented, on failure); returns `cond`."""
    print(("PASS " if cond else "FAIL ") + what)
    if not cond:
        FAILURES.append(what)
        if detail:
            print("    " + detail.replace("\n", "\n    "))
    return cond
