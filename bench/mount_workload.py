#!/usr/bin/env python3
"""One timed workload on a mounted file system, for bench/run_mount_bench.sh.

Prints one JSON line: {"workload": ..., "seconds": ..., ...}. Write workloads stop the clock
only when the data is durable in S3: after fsync and close, and then (given --bucket) when a
HEAD or LIST of the bucket shows the new object (size and a changed ETag) or the expected object
count. A mounter that uploads after close (rclone's write-back cache) is timed until then; for
one that uploads before close returns, the check costs one request. Standard library only.

  mount_workload.py write FILE --size BYTES --bucket B --key K
  mount_workload.py read FILE
  mount_workload.py ttfb FILE
  mount_workload.py modify FILE --offset N --bucket B --key K
  mount_workload.py small-create|small-stat|small-read|small-delete DIR --count N [--bucket B --prefix P]
  mount_workload.py ls DIR --count N
  mount_workload.py populate --bucket B --count N [--prefix P] [--threads T]
"""
import argparse
import concurrent.futures
import json
import os
import random
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from s3mini import S3Mini  # noqa: E402

CHUNK = 1 << 20
SMALL_SIZE = 4096


def large_block():
    """The 1 MiB block that large files repeat: fixed, so that modify knows the byte it changes."""
    return random.Random(20261124).randbytes(CHUNK)


def wait_until(condition, deadline_s, what):
    """Polls condition() every 10 ms until it is true; fails the workload after deadline_s."""
    end = time.monotonic() + deadline_s
    while not condition():
        if time.monotonic() > end:
            raise SystemExit("timed out after %ds waiting for %s" % (deadline_s, what))
        time.sleep(0.01)


def etag_of(s3, bucket, key):
    info = s3.head(bucket, key)
    return info[1] if info else None


def wait_object(s3, args, size, old_etag):
    def durable():
        info = s3.head(args.bucket, args.key)
        return info is not None and info[0] == size and info[1] != old_etag
    wait_until(durable, args.deadline, "%s/%s to reach S3" % (args.bucket, args.key))


def small_name(directory, i):
    return os.path.join(directory, "f%05d" % i)


def run_write(args):
    s3 = S3Mini()
    old_etag = etag_of(s3, args.bucket, args.key)
    block = large_block()
    start = time.monotonic()
    fd = os.open(args.path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    left = args.size
    while left > 0:
        left -= os.write(fd, block[:min(left, CHUNK)])
    os.fsync(fd)
    os.close(fd)
    closed = time.monotonic()
    wait_object(s3, args, args.size, old_etag)
    return {"seconds": time.monotonic() - start, "close_seconds": closed - start, "bytes": args.size}


def run_read(args):
    start = time.monotonic()
    total = 0
    with open(args.path, "rb", buffering=0) as f:
        while True:
            data = f.read(CHUNK)
            if not data:
                break
            total += len(data)
    return {"seconds": time.monotonic() - start, "bytes": total}


def run_ttfb(args):
    start = time.monotonic()
    with open(args.path, "rb", buffering=0) as f:
        first = f.read(1)
        seconds = time.monotonic() - start
    if len(first) != 1:
        raise SystemExit("read no byte from " + args.path)
    return {"seconds": seconds}


def run_modify(args):
    s3 = S3Mini()
    info = s3.head(args.bucket, args.key)
    if info is None:
        raise SystemExit("%s/%s does not exist" % (args.bucket, args.key))
    size, old_etag = info
    # The complement of the byte the write workload put there, written without reading it: the
    # mounter is asked to change one byte, not to fetch any.
    new_byte = bytes([large_block()[args.offset % CHUNK] ^ 0xFF])
    start = time.monotonic()
    fd = os.open(args.path, os.O_RDWR)
    os.pwrite(fd, new_byte, args.offset)
    os.fsync(fd)
    os.close(fd)
    closed = time.monotonic()
    wait_object(s3, args, size, old_etag)
    return {"seconds": time.monotonic() - start, "close_seconds": closed - start}


def wait_count(args, expected):
    if not args.bucket:
        return
    s3 = S3Mini()
    wait_until(lambda: s3.count(args.bucket, args.prefix) == expected, args.deadline,
               "%d objects under %s/%s" % (expected, args.bucket, args.prefix))


def run_small(args):
    start = time.monotonic()
    if args.workload == "small-create":
        os.makedirs(args.path, exist_ok=True)
        data = os.urandom(SMALL_SIZE)
        for i in range(args.count):
            with open(small_name(args.path, i), "wb", buffering=0) as f:
                f.write(data)
        wait_count(args, args.count)
    elif args.workload == "small-stat":
        with os.scandir(args.path) as entries:
            seen = sum(1 for e in entries if e.stat(follow_symlinks=False).st_size == SMALL_SIZE)
        if seen != args.count:
            raise SystemExit("stat-scan saw %d files of %d bytes, expected %d" % (seen, SMALL_SIZE, args.count))
    elif args.workload == "small-read":
        for i in range(args.count):
            with open(small_name(args.path, i), "rb", buffering=0) as f:
                if len(f.read(SMALL_SIZE + 1)) != SMALL_SIZE:
                    raise SystemExit("short read of " + small_name(args.path, i))
    elif args.workload == "small-delete":
        for i in range(args.count):
            os.unlink(small_name(args.path, i))
        wait_count(args, 0)
    return {"seconds": time.monotonic() - start, "files": args.count}


def run_ls(args):
    start = time.monotonic()
    out = subprocess.run(["ls", "-l", args.path], check=True, stdout=subprocess.PIPE, timeout=args.deadline).stdout
    seconds = time.monotonic() - start
    entries = max(0, out.count(b"\n") - 1)  # minus the "total" line
    if entries != args.count:
        raise SystemExit("ls -l listed %d entries, expected %d" % (entries, args.count))
    return {"seconds": seconds, "entries": entries}


def run_populate(args):
    data = os.urandom(SMALL_SIZE)
    start = time.monotonic()

    def put_range(worker):
        s3 = S3Mini()
        for i in range(worker, args.count, args.threads):
            s3.put(args.bucket, "%sf%05d" % (args.prefix, i), data)

    with concurrent.futures.ThreadPoolExecutor(args.threads) as pool:
        for future in [pool.submit(put_range, w) for w in range(args.threads)]:
            future.result()
    return {"seconds": time.monotonic() - start, "objects": args.count}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("workload", choices=["write", "read", "ttfb", "modify", "small-create", "small-stat",
                                             "small-read", "small-delete", "ls", "populate"])
    parser.add_argument("path", nargs="?", default="")
    parser.add_argument("--size", type=int, default=0)
    parser.add_argument("--offset", type=int, default=0)
    parser.add_argument("--count", type=int, default=0)
    parser.add_argument("--bucket", default="")
    parser.add_argument("--key", default="")
    parser.add_argument("--prefix", default="")
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--deadline", type=int, default=600, help="longest wait for durability, seconds")
    args = parser.parse_args()
    runners = {"write": run_write, "read": run_read, "ttfb": run_ttfb, "modify": run_modify, "ls": run_ls,
               "populate": run_populate}
    result = runners.get(args.workload, run_small)(args)
    result["workload"] = args.workload
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
