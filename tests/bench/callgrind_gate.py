# SPDX-License-Identifier: BSD-3-Clause
"""The instruction-count gate of callgrind_bench.py (tests/bench/README.md): the baseline file
(tests/bench/callgrind_baseline.json), what makes two measurements comparable, and the
comparison. No measuring here; every function is pure or reads only the build tree, git and
`unbound -V`, and raises nothing the caller has to catch except OSError/ValueError on a broken
baseline file."""
import glob
import json
import os
import re
import subprocess

# The shapes whose typoguard.so figure is gated, and what one query of each is. Cache hits never
# reach the module (no figure); stock and noop have no module.
GATED = {"miss": "per cache miss", "lookalike-in-scope": "per block",
         "lookalike-out-of-scope": "per out-of-scope look-alike"}
# The run parameters a baseline fixes: a check measures with these, whatever the defaults.
PARAMS = ("queries", "threads", "verbosity", "sizes")
FORMAT = 1


def build_info(build):
    """Build type, compiler and flags of the CMake tree `build` (empty strings where its cache
    does not say): instruction counts are only comparable for the same code generation."""
    cache = {}
    try:
        with open(os.path.join(build, "CMakeCache.txt")) as f:
            for line in f:
                m = re.match(r"([A-Za-z_]+):[A-Z]+=(.*)$", line.rstrip("\n"))
                if m:
                    cache[m.group(1)] = m.group(2)
    except OSError:
        pass
    bt = cache.get("CMAKE_BUILD_TYPE", "")
    version = ""
    for path in glob.glob(os.path.join(build, "CMakeFiles", "*", "CMakeCXXCompiler.cmake")):
        with open(path) as f:
            m = re.search(r'set\(CMAKE_CXX_COMPILER_ID "([^"]*)"\).*?'
                          r'set\(CMAKE_CXX_COMPILER_VERSION "([^"]*)"\)', f.read(), re.S)
        if m:
            version = f"{m.group(1)} {m.group(2)}"
    flags = " ".join(x for x in (cache.get("CMAKE_CXX_FLAGS", ""),
                                 cache.get(f"CMAKE_CXX_FLAGS_{bt.upper()}", "") if bt else "",
                                 cache.get("TG_SANITIZE", "") and "sanitize=" + cache["TG_SANITIZE"])
                     if x)
    return {"build_type": bt, "compiler": version, "cxx_flags": flags}


def unbound_version(unbound):
    """`Version 1.17.1` of `unbound -V`, or '' when it does not run."""
    try:
        out = subprocess.run([unbound, "-V"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.TimeoutExpired):
        return ""
    m = re.search(r"^Version (\S+)", out, re.M)
    return m.group(1) if m else ""


def cpu_model():
    """The first `model name` of /proc/cpuinfo: glibc picks its string functions by CPU, so
    counts may move slightly on another processor (a note, not a mismatch)."""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return ""


def source_commit(src, ignore):
    """Short hash of HEAD in `src`, with '+changes' when files other than `ignore` differ."""
    def git(*argv):
        return subprocess.run(["git", "-C", src, *argv], capture_output=True, text=True,
                              timeout=30).stdout.strip()
    head = git("rev-parse", "--short=12", "HEAD") or "unknown"
    changed = [line[3:] for line in git("status", "--porcelain").splitlines()
               if os.path.abspath(os.path.join(src, line[3:])) != os.path.abspath(ignore)]
    return head + ("+changes" if changed else "")


def figures(results, sizes):
    """{"tg-N/shape": {...}} of every gated figure in `results` (callgrind_bench's dict)."""
    out = {}
    for n in sizes:
        for shape, what in GATED.items():
            r = results.get((f"tg-{n}", shape))
            if r is None or not r["module_ir"]:
                continue
            out[f"tg-{n}/{shape}"] = {"what": what, "per_query": round(r["module_ir"] / r["q"], 1),
                                      "module_ir": r["module_ir"], "queries": r["q"],
                                      "answers": r["rcodes"]}
    return out


def make_baseline(why, commit, params, build, unbound, figs):
    """The baseline document: `why` (who set it and for what reason), where it was measured,
    how, and the figures."""
    return {"format": FORMAT, "why": why, "measured_at": commit, "cpu": cpu_model(),
            "unbound": unbound, "build": build, "params": params, "figures": figs,
            "update": "tests/bench/callgrind_bench.py --build build/ci --write-baseline "
                      "tests/bench/callgrind_baseline.json --why '...'; commit it on its own, "
                      "with a body that says why (tests/bench/README.md)"}


def load(path):
    """The baseline at `path`; ValueError when it is not one."""
    with open(path) as f:
        doc = json.load(f)
    if doc.get("format") != FORMAT or not isinstance(doc.get("figures"), dict) or not doc["figures"]:
        raise ValueError(f"{path}: not a callgrind baseline of format {FORMAT}")
    if any(k not in doc.get("params", {}) for k in PARAMS):
        raise ValueError(f"{path}: params must name {', '.join(PARAMS)}")
    return doc


def save(path, doc):
    with open(path, "w") as f:
        json.dump(doc, f, indent=2, sort_keys=False)
        f.write("\n")


def mismatches(doc, build, unbound):
    """Why the tree being measured cannot be held to baseline `doc` (empty when it can)."""
    out = []
    for key, now in (("build_type", build["build_type"]), ("compiler", build["compiler"]),
                     ("cxx_flags", build["cxx_flags"])):
        if doc["build"].get(key, "") != now:
            out.append(f"{key}: baseline '{doc['build'].get(key, '')}', this tree '{now}'")
    if doc.get("unbound") != unbound:
        out.append(f"Unbound: baseline {doc.get('unbound')}, this one {unbound or '?'}")
    return out


def compare(doc, figs, tolerance, note_below):
    """Rows (name, what, baseline, now, change or None, verdict) and the failed names: a figure
    fails when it grows by more than `tolerance` (a fraction), is missing, or its answers differ
    (the queries then did other work); a drop larger than `note_below` is a note, not a failure."""
    rows, failed = [], []
    for name, base in doc["figures"].items():
        cur = figs.get(name)
        if cur is None:
            rows.append((name, base["what"], base["per_query"], None, None, "FAIL: not measured"))
            failed.append(name)
            continue
        change = cur["per_query"] / base["per_query"] - 1
        if cur["answers"] != base["answers"]:
            verdict = f"FAIL: answers {cur['answers']}, baseline {base['answers']}"
        elif change > tolerance:
            verdict = f"FAIL: more than {tolerance:+.1%}"
        elif change < -note_below:
            verdict = f"ok; {-change:.0%} lower: lower the baseline"
        else:
            verdict = "ok"
        if verdict.startswith("FAIL"):
            failed.append(name)
        rows.append((name, base["what"], base["per_query"], cur["per_query"], change, verdict))
    return rows, failed


def table(rows):
    """The comparison as a Markdown table."""
    lines = ["| figure (typoguard.so, instructions) | baseline | now | change | verdict |",
             "|---|---|---|---|---|"]
    for name, what, base, now, change, verdict in rows:
        now_s = "–" if now is None else f"{now:,.1f}"
        ch = "–" if change is None else f"{change:+.2%}"
        lines.append(f"| {name} ({what}) | {base:,.1f} | {now_s} | {ch} | {verdict} |")
    return "\n".join(lines)
