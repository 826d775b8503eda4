#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Turns a systemd service (its unit file and drop-ins, read from a Debian root) into the
shell commands systemd would run for one action, for a root that has no systemd running.

    unit_commands.py ROOT SERVICE start|reload

Prints a bash script for that root: the environment of Environment= and EnvironmentFile=,
then each command of ExecStartPre= and ExecStart= (start) or ExecReload= (reload) in order.
A command prefixed '-' may fail; any other failure stops the script with its status, as
systemd fails the job. Drop-ins are read as systemd reads them: the unit's own directories
(/usr/lib, /lib, /etc) and their NAME.service.d/*.conf sorted by file name, an empty
assignment clearing the list. ExecStart= runs in the background (Type=notify/simple with -d);
the script prints its PID on the last line as MAINPID=<pid>, and its output goes to
/run/SERVICE.output. For reload, $MAINPID is left to the shell: set MAINPID when running it.
"""
import os
import re
import shlex
import sys

UNIT_DIRS = ["usr/lib/systemd/system", "lib/systemd/system", "etc/systemd/system"]
LISTS = {"ExecStartPre", "ExecStart", "ExecReload", "Environment", "EnvironmentFile"}


def unit_files(root, service):
    """The unit file and its drop-ins, in the order systemd applies them."""
    main = None
    for d in UNIT_DIRS:
        p = os.path.join(root, d, service)
        if os.path.isfile(p):
            main = p  # /etc overrides /lib overrides /usr/lib: the last one found wins
    if main is None:
        sys.exit(f"unit_commands.py: no {service} under {root} ({', '.join(UNIT_DIRS)})")
    dropins = {}
    for d in UNIT_DIRS:
        dd = os.path.join(root, d, service + ".d")
        if os.path.isdir(dd):
            for name in os.listdir(dd):
                if name.endswith(".conf"):
                    dropins[name] = os.path.join(dd, name)  # same name: the later dir wins
    return [main] + [dropins[n] for n in sorted(dropins)]


def read_service(paths):
    """Settings of the [Service] sections: lists for LISTS, the last value otherwise."""
    settings = {k: [] for k in LISTS}
    for path in paths:
        section = None
        with open(path, encoding="utf-8") as f:
            text = f.read().replace("\\\n", " ")
        for line in text.splitlines():
            line = line.strip()
            if not line or line[0] in "#;":
                continue
            if line.startswith("["):
                section = line.strip("[]")
                continue
            if section != "Service" or "=" not in line:
                continue
            key, value = (s.strip() for s in line.split("=", 1))
            if key in LISTS:
                if value == "":
                    settings[key] = []
                else:
                    settings[key].append(value)
            else:
                settings[key] = value
    return settings


def environment(root, settings):
    env = {}
    for item in settings["Environment"]:
        for word in shlex.split(item):
            k, _, v = word.partition("=")
            env[k] = v
    for item in settings["EnvironmentFile"]:
        optional = item.startswith("-")
        path = os.path.join(root, item.lstrip("-").lstrip("/"))
        if not os.path.isfile(path):
            if optional:
                continue
            sys.exit(f"unit_commands.py: EnvironmentFile {item} does not exist")
        with open(path, encoding="utf-8") as f:
            for line in f:
                line = line.strip()
                if not line or line[0] in "#;" or "=" not in line:
                    continue
                k, _, v = line.partition("=")
                v = v.strip()
                if len(v) >= 2 and v[0] == v[-1] and v[0] in "'\"":
                    v = v[1:-1]
                env[k.strip()] = v
    return env


def expand(command, env):
    """systemd's expansion: ${VAR} is one word, $VAR splits on white space, $$ is a '$'."""
    dollar = "\0"
    words = shlex.split(command.replace("$$", dollar))
    out = []
    for w in words:
        m = re.fullmatch(r"\$([A-Za-z_][A-Za-z0-9_]*)", w)
        if m and m.group(1) != "MAINPID":
            out.extend(env.get(m.group(1), "").split())
            continue
        w = re.sub(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}", lambda x: env.get(x.group(1), ""), w)
        out.append(w)
    return [w.replace(dollar, "$") for w in out]


def script(root, service, action):
    settings = read_service(unit_files(root, service))
    env = environment(root, settings)
    lines = ["set -u"]
    for k, v in env.items():
        lines.append(f"export {k}={shlex.quote(v)}")
    keys = ["ExecStartPre", "ExecStart"] if action == "start" else ["ExecReload"]
    for key in keys:
        for raw in settings[key]:
            prefix = re.match(r"[-+@!:]*", raw).group(0)
            argv = expand(raw[len(prefix):], env)
            cmd = " ".join(shlex.quote(a) if a != "$MAINPID" else '"$MAINPID"' for a in argv)
            lines.append(f"echo {shlex.quote(f'+ {key}={raw}')} >&2")
            if key == "ExecStart":
                # systemd gives the service /dev/null as input and the journal as output.
                lines.append(f"{cmd} </dev/null >>/run/{service}.output 2>&1 &")
                lines.append("echo MAINPID=$!")
            elif "-" in prefix:
                lines.append(f"{cmd} || echo '  (failure ignored: {key} has the - prefix)' >&2")
            else:
                lines.append(f"{cmd} || {{ rc=$?; echo '  {key} failed: the job fails' >&2; exit $rc; }}")
    return "\n".join(lines) + "\n"


def main():
    if len(sys.argv) != 4 or sys.argv[3] not in ("start", "reload"):
        sys.exit("usage: unit_commands.py ROOT SERVICE start|reload")
    sys.stdout.write(script(sys.argv[1], sys.argv[2], sys.argv[3]))


if __name__ == "__main__":
    main()
