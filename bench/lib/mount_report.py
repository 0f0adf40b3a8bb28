#!/usr/bin/env python3
"""Markdown tables from the JSON-lines results of bench/run_mount_bench.sh.

  mount_report.py --size BYTES --files N --list N results.jsonl
"""
import argparse
import json

TOOLS = ["s3mount", "s3fs", "rclone", "s3core"]
MIB = 1 << 20
FAILED = float("nan")  # the value of a figure whose workload failed
GIB = 1 << 30


class Failed(Exception):
    """A workload that the run recorded as failed."""


def load(path):
    results = {}  # (tool, workload) -> record; "mount" records are kept as a list
    mounts = {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            r = json.loads(line)
            if r["workload"] == "mount":
                mounts.setdefault(r["tool"], []).append(r)
            else:
                results[(r["tool"], r["workload"])] = r
    return results, mounts


def fmt(value, digits):
    if value is None:
        return "–"
    return "%.*f" % (digits, value)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("--files", type=int, required=True)
    parser.add_argument("--list", type=int, required=True)
    parser.add_argument("results")
    args = parser.parse_args()
    results, mounts = load(args.results)
    tools = [t for t in TOOLS if any(k[0] == t for k in results)]
    size = "%d MiB" % (args.size // MIB) if args.size < GIB else "%g GiB" % (args.size / GIB)

    def get(tool, workload, key="seconds"):
        r = results.get((tool, workload))
        if r is not None and r.get("failed"):
            raise Failed()
        return None if r is None or key not in r else float(r[key])

    def value(fn, tool):
        try:
            return fn(tool)
        except Failed:
            return FAILED

    def rate(tool, workload):
        seconds = get(tool, workload)
        return args.size / MIB / seconds if seconds else None

    def sent_mib(tool, workload):
        sent = get(tool, workload, "sent")
        return None if sent is None or sent < 0 else sent / MIB

    def ms(tool, workload):
        seconds = get(tool, workload)
        return None if seconds is None else seconds * 1000

    def peak_rss(tool):
        values = [float(m["hwm_kib"]) for m in mounts.get(tool, [])]
        return max(values) / 1024 if values else None

    def cpu_per_gib(tool):
        cpu = [get(tool, w, "cpu_s") for w in ("write", "read")]
        if None in cpu:
            return None
        return sum(cpu) / (2 * args.size / GIB)

    # (label, function(tool), digits, higher_is_better)
    rows = [
        ("sequential write, %s (MiB/s, until durable)" % size, lambda t: rate(t, "write"), 1, True),
        ("sequential read, %s, cold mount (MiB/s)" % size, lambda t: rate(t, "read"), 1, True),
        ("create %d × 4 KiB files (s, until all in S3)" % args.files, lambda t: get(t, "small-create"), 2, False),
        ("stat-scan of them, cold mount (s)", lambda t: get(t, "small-stat"), 2, False),
        ("read them (s)", lambda t: get(t, "small-read"), 2, False),
        ("delete them (s, until gone from S3)", lambda t: get(t, "small-delete"), 2, False),
        ("`ls -l` of %d entries, cold mount (s)" % args.list, lambda t: get(t, "ls"), 2, False),
        ("1-byte change in %s: bytes sent (MiB)" % size, lambda t: sent_mib(t, "modify"), 3, False),
        ("1-byte change in %s: s until durable" % size, lambda t: get(t, "modify"), 2, False),
        ("time to first byte, cold mount (ms)", lambda t: ms(t, "ttfb"), 1, False),
        ("peak RSS of the mounter (MiB)", peak_rss, 1, False),
        ("CPU s per GiB (sequential write + read)", cpu_per_gib, 3, False),
    ]
    others = [t for t in tools if t != "s3mount"]
    header = ["workload"] + tools + (["× " + t for t in others] if "s3mount" in tools else [])
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for label, fn, digits, higher_better in rows:
        values = {t: value(fn, t) for t in tools}
        if all(v is None for v in values.values()):
            continue
        cells = ["failed" if values[t] is FAILED else fmt(values[t], digits) for t in tools]
        if "s3mount" in tools:
            ours = values["s3mount"]
            for t in others:
                theirs = values[t]
                if ours in (None, FAILED) or theirs in (None, FAILED) or ours == 0 or theirs == 0:
                    cells.append("–")
                else:
                    cells.append("%.2f" % (ours / theirs if higher_better else theirs / ours))
        print("| " + label + " | " + " | ".join(cells) + " |")
    print()
    print("× TOOL: how many times better s3mount is than TOOL (throughput: s3mount / TOOL; time, bytes,")
    print("memory, CPU: TOOL / s3mount); above 1 means s3mount is better.")

    workloads = ["write", "read", "ttfb", "modify", "small-create", "small-stat", "small-read", "small-delete", "ls"]
    if any(value(lambda x: get(x, w, "sent"), t) not in (None, -1.0, FAILED) for t in tools for w in workloads):
        print()
        print("Bytes on the wire per workload, MiB sent to S3 / received from S3 (counting proxy; HTTP")
        print("headers included):")
        print()
        print("| workload | " + " | ".join(tools) + " |")
        print("|" + "---|" * (len(tools) + 1))
        for w in workloads:
            cells = []
            for t in tools:
                sent, received = value(lambda x: get(x, w, "sent"), t), value(lambda x: get(x, w, "received"), t)
                if sent is FAILED:
                    cells.append("failed")
                    continue
                cells.append("–" if sent is None or sent < 0 else "%.3f / %.3f" % (sent / MIB, received / MIB))
            if any(c != "–" for c in cells):
                print("| " + w + " | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
