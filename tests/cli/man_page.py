#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Keeps docs/man/typoguard.1 true to the command, run by CTest as cli.man_page.

    man_page.py --typoguard PATH --man-page FILE

Fails when `groff -man -ww -z` warns about the page, when a subcommand that `typoguard --help`
lists has no section of its own under COMMANDS, or when a long option that `typoguard --help`
or a subcommand's `--help` prints is not in the page (a subcommand's options in its own
section). Exits 77 (CTest's SKIP_RETURN_CODE) when groff is not installed, except under CI.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

SKIP = 77
TIMEOUT = 60  # seconds for any one command
LONG_OPTION = re.compile(r"(?<![\w-])--[a-z][a-z0-9-]*")


def run(argv):
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=TIMEOUT)
    return proc.returncode, proc.stdout, proc.stderr


def groff_warnings(page):
    """groff's warnings about the page, or None when groff is not installed."""
    groff = shutil.which("groff")
    if groff is None:
        return None
    code, out, err = run([groff, "-man", "-ww", "-z", str(page)])
    problems = [line for line in (out + err).splitlines() if line.strip()]
    if code != 0 and not problems:
        problems.append(f"groff exited with {code}")
    return problems


def plain_text(roff):
    """The page's source with comments, font changes and the escapes an option is written
    with removed, so that `\\fB\\-\\-json\\fR` reads `--json`."""
    lines = [line for line in roff.splitlines() if not line.startswith(('.\\"', "'\\\""))]
    text = "\n".join(lines)
    text = re.sub(r"\\f(\[[^\]]*\]|\(..|.)", "", text)
    text = text.replace("\\-", "-").replace("\\%", "").replace("\\&", "")
    return text


def sections(text):
    """{title: body} of every .SS subsection."""
    found = {}
    title = None
    for line in text.splitlines():
        if line.startswith((".SH", ".SS")):
            title = line[3:].strip().strip('"') if line.startswith(".SS") else None
            if title is not None:
                found[title] = []
        elif title is not None:
            found[title].append(line)
    return {key: "\n".join(body) for key, body in found.items()}


def help_text(typoguard, *args):
    code, out, err = run([typoguard, *args, "--help"])
    if code != 0 or not out:
        raise RuntimeError(f"'{' '.join(['typoguard', *args, '--help'])}' exited with {code}:"
                           f"\n{out}{err}")
    return out


def commands_of(main_help):
    """The subcommands listed under 'Commands:' in `typoguard --help`."""
    names = []
    listing = False
    for line in main_help.splitlines():
        if line.strip() == "Commands:":
            listing = True
        elif listing and not line.strip():
            break
        elif listing and line.startswith("  ") and line.split():
            names.append(line.split()[0])
    return names


def mentions(text, option):
    return re.search(r"(?<![\w-])" + re.escape(option) + r"(?![\w-])", text) is not None


def check_options(typoguard, text):
    """One message per subcommand or option the page does not document."""
    problems = []
    subsections = sections(text)
    main_help = help_text(typoguard)
    for option in sorted(set(LONG_OPTION.findall(main_help))):
        if not mentions(text, option):
            problems.append(f"typoguard {option} (typoguard --help) is not in the man page")
    commands = commands_of(main_help)
    if not commands:
        problems.append("'typoguard --help' lists no commands under 'Commands:'")
    synopsis = text.split(".SH SYNOPSIS", 1)[-1].split(".SH", 1)[0]
    for command in commands:
        if not re.search(r"typoguard " + re.escape(command) + r"\b", synopsis):
            problems.append(f"the subcommand {command} is not in the SYNOPSIS")
        own = [body for title, body in subsections.items()
               if re.match(r"typoguard " + re.escape(command) + r"\b", title)]
        if not own:
            problems.append(f"the subcommand {command} has no '.SS typoguard {command} ...' "
                            f"section under COMMANDS")
            continue
        section = "\n".join(own)
        for option in sorted(set(LONG_OPTION.findall(help_text(typoguard, command)))):
            if not mentions(section, option):
                problems.append(f"typoguard {command} {option} (typoguard {command} --help) is "
                                f"not in the man page's section for {command}")
    return problems, commands


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--typoguard", required=True, help="the typoguard binary")
    parser.add_argument("--man-page", required=True, help="docs/man/typoguard.1")
    args = parser.parse_args()
    page = Path(args.man_page)
    source = page.read_bytes().decode("ascii", errors="replace")
    text = plain_text(source)

    page_problems, commands = check_options(args.typoguard, text)
    for number, line in enumerate(source.splitlines(), 1):
        if "\ufffd" in line:
            page_problems.append(f"line {number} is not ASCII (write roff escapes): {line}")

    warnings = groff_warnings(page)
    if warnings is None:
        if os.environ.get("CI"):
            page_problems.append("groff must be installed in CI (package groff-base)")
        elif not page_problems:
            print(f"SKIPPED cli.man_page: groff is not installed (apt-get install groff-base); "
                  f"the options of {', '.join(commands)} are documented")
            return SKIP
    problems = [f"groff -man -ww -z {page}: {line}" for line in warnings or []]
    problems += page_problems
    if problems:
        print(f"FAILED cli.man_page: {page}:")
        for problem in problems:
            print(f"  {problem}")
        return 1
    print(f"PASSED cli.man_page: groff is silent, every option of typoguard and of "
          f"{', '.join(commands)} is documented")
    return 0


if __name__ == "__main__":
    sys.exit(main())
