"""Runs the C++ and the Python CSV transform alternately on one generated file (plain, gz, and in
the S3 of the tests' AWS emulator, tests/aws_emulator) and prints a Markdown section: median MB/s of each, the ratios, and every run.
MB/s by wall-clock time, and for the local files also by CPU time (user + system of the process):
on a shared, loaded machine the wall clock measures the queue as much as the program.
Usage: compare.py <bench binary> [MB] [runs]"""
import os
import pathlib
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def generate(path, megabytes):
    rng = random.Random(42)
    cities = ["London", "Paris", "New York, NY", "Zürich", "São Paulo"]
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("id,name,city,amount,note\n")
        i = 0
        while f.tell() < megabytes * 1_000_000:
            city = rng.choice(cities)
            city = '"%s"' % city if "," in city else city
            note = rng.choice(["ok", '"said ""hello"" twice"', "multi word note", ""])
            f.write("%d,name%d,%s,%.2f,%s\n" % (i, rng.randrange(10**6), city, rng.random() * 1000, note))
            i += 1
    return i


class Runs:
    """MB/s of the runs of one implementation, by wall-clock time and by CPU time."""

    def __init__(self, megabytes):
        self.megabytes = megabytes
        self.wall = []
        self.cpu = []

    def time(self, cmd, env=None):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(cmd, check=True, env=env, stdout=subprocess.DEVNULL)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        self.wall.append(self.megabytes / wall)
        self.cpu.append(self.megabytes / cpu)


def same_bytes(a, b):
    with open(a, "rb") as fa, open(b, "rb") as fb:
        return fa.read() == fb.read()


def row(name, runs, cpu=True):
    cpu_cell = "%.1f" % statistics.median(runs.cpu) if cpu else "–"
    return "| %s | %.1f | %s | %s |" % (name, statistics.median(runs.wall), cpu_cell, ", ".join("%.1f" % x for x in runs.wall))


class Moto:
    """The tests' AWS emulator (tests/aws_emulator: moto behind the strict front) on a free loopback
    port, for the S3 rows."""

    def __init__(self):
        sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "tests" / "aws_emulator"))
        from launcher import Emulator
        self.emulator = Emulator(region="us-east-1")
        self.url = self.emulator.url
        self.env = dict(self.emulator.env(os.environ), AWS_ENDPOINT_URL_S3=self.url, AWS_EC2_METADATA_DISABLED="true")

    def close(self):
        self.emulator.stop()


def load_average():
    """The 1-, 5- and 15-minute load averages: how busy the shared machine was."""
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def main():
    load_before = load_average()
    binary = sys.argv[1]
    megabytes = int(sys.argv[2]) if len(sys.argv) > 2 else 50
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    here = os.path.dirname(os.path.abspath(__file__))
    python = [sys.executable, os.path.join(here, "transform.py")]
    notes = []
    with tempfile.TemporaryDirectory() as tmp:
        source = os.path.join(tmp, "input.csv")
        rows = generate(source, megabytes)
        size_mb = os.path.getsize(source) / 1_000_000
        out = lambda name: os.path.join(tmp, name)
        fast, json, read, py = (Runs(size_mb) for _ in range(4))
        for _ in range(runs):
            fast.time([binary, "rows", "csv://" + source, "csv://" + out("fast.csv")])
            json.time([binary, "json", "csv://" + source, "csv://" + out("json.csv")])
            read.time([binary, "read", "csv://" + source])
            py.time(python + [source, out("py.csv")])
        same = same_bytes(out("fast.csv"), out("py.csv")) and same_bytes(out("json.csv"), out("py.csv"))

        # gz: the same file compressed; MB/s of the uncompressed CSV.
        subprocess.run(["gzip", "-k", "-6", source], check=True)
        gz_fast, gz_py = Runs(size_mb), Runs(size_mb)
        for _ in range(max(1, runs // 2 + 1)):
            gz_fast.time([binary, "rows", "gz+csv://" + source + ".gz", "csv://" + out("gz_fast.csv")])
            gz_py.time(python + [source + ".gz", out("gz_py.csv")])
        same = same and same_bytes(out("gz_fast.csv"), out("py.csv")) and same_bytes(out("gz_py.csv"), out("py.csv"))

        # S3: the same file in moto; reading beside `aws s3 cp` (or curl when the aws CLI is missing).
        s3_fast, s3_read, s3_baseline = (Runs(size_mb) for _ in range(3))
        baseline_name = ""
        moto = Moto()
        try:
            subprocess.run([binary, "rows", "csv://" + source, "s3+csv://bench/input.csv"], check=False,
                           env=moto.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # no bucket yet: fails
            subprocess.run(["curl", "-sf", "-X", "PUT", moto.url + "/bench"], check=True)
            subprocess.run(["curl", "-sf", "-T", source, moto.url + "/bench/input.csv"], check=True)
            aws = shutil.which("aws")
            baseline_name = "`aws s3 cp` to a file" if aws else "`curl` GET to a file (no aws CLI here)"
            for _ in range(max(1, runs // 2 + 1)):
                s3_fast.time([binary, "rows", "s3+csv://bench/input.csv", "csv://" + out("s3_fast.csv")], moto.env)
                s3_read.time([binary, "read", "s3+csv://bench/input.csv"], moto.env)
                if aws:
                    s3_baseline.time([aws, "s3", "cp", "--only-show-errors", "--endpoint-url", moto.url,
                                      "s3://bench/input.csv", out("cp.csv")], moto.env)
                else:
                    s3_baseline.time(["curl", "-sf", "-o", out("cp.csv"), moto.url + "/bench/input.csv"])
            same = same and same_bytes(out("s3_fast.csv"), out("py.csv")) and same_bytes(out("cp.csv"), source)
        finally:
            moto.close()

    load_after = load_average()
    print("## CSV read → transform → write (issues 2, 14 and 26)\n")
    print("%.1f MB generated CSV (%s rows, quoted fields), read → upper-case a field and derive a column → "
          "write; alternating runs (%d of each on the plain file); every output byte-identical to Python's: %s. "
          "MB/s of the uncompressed CSV throughout, by wall-clock time and (local files) by CPU time, user + "
          "system, of the process measured. Load average (1, 5, 15 min) on the %d CPUs: %s before, %s after.\n"
          % (size_mb, format(rows, ","), runs, "yes" if same else "NO", os.cpu_count(), load_before, load_after))
    print("| implementation | median MB/s (wall) | median MB/s (CPU) | runs (MB/s, wall) |")
    print("| --- | --- | --- | --- |")
    print(row("C++ `Dataset::rows()` / `add_row()` (fast path; goal ≥ 400)", fast))
    print(row("C++ `Dataset` JSON records (`for` / `add`)", json))
    print(row("Python %s `csv.DictReader`/`DictWriter`" % sys.version.split()[0], py))
    print(row("C++ read alone, `rows()` (goal ≥ 400)", read))
    print(row("gz: C++ fast path, `gz+csv://`", gz_fast))
    print(row("gz: Python `gzip` + `csv`", gz_py))
    # S3: the emulator's work is another process, so only the wall clock compares.
    print(row("S3 (moto): C++ fast path, `s3+csv://` → file", s3_fast, cpu=False))
    print(row("S3 (moto): C++ read alone, `s3+csv://`", s3_read, cpu=False))
    print(row("S3 (moto): %s" % baseline_name, s3_baseline, cpu=False))
    ratio = lambda a, b, by="wall": statistics.median(getattr(a, by)) / statistics.median(getattr(b, by))
    print("\nRatios (medians, wall; CPU in brackets): fast path / Python **%.1f×** (%.1f×; goal ≥ 30×, and ≥ 400 MB/s); "
          "JSON records / Python %.1f× (%.1f×); gz fast path / gz Python %.1f× (%.1f×); S3 read alone / %s %.2f× "
          "(goal ≥ 1×).\n"
          % (ratio(fast, py), ratio(fast, py, "cpu"), ratio(json, py), ratio(json, py, "cpu"), ratio(gz_fast, gz_py),
             ratio(gz_fast, gz_py, "cpu"), baseline_name.split(" to ")[0], ratio(s3_read, s3_baseline)))
    for note in notes:
        print(note)


if __name__ == "__main__":
    main()
