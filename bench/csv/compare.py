"""Runs the C++ and the Python CSV transform alternately on one generated file and prints a
Markdown section: median MB/s of each, the ratio, and every run. Usage: compare.py <bench binary> [MB] [runs]"""
import os
import random
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


def timed(cmd):
    start = time.perf_counter()
    subprocess.run(cmd, check=True)
    return time.perf_counter() - start


def main():
    binary = sys.argv[1]
    megabytes = int(sys.argv[2]) if len(sys.argv) > 2 else 50
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    here = os.path.dirname(os.path.abspath(__file__))
    with tempfile.TemporaryDirectory() as tmp:
        source = os.path.join(tmp, "input.csv")
        rows = generate(source, megabytes)
        size_mb = os.path.getsize(source) / 1_000_000
        cpp, py = [], []
        for _ in range(runs):
            cpp.append(size_mb / timed([binary, source, os.path.join(tmp, "cpp.csv")]))
            py.append(size_mb / timed([sys.executable, os.path.join(here, "transform.py"), source, os.path.join(tmp, "py.csv")]))
        with open(os.path.join(tmp, "cpp.csv"), "rb") as a, open(os.path.join(tmp, "py.csv"), "rb") as b:
            same = a.read() == b.read()
    print("## CSV read → transform → write (issue 2)\n")
    print("%.1f MB generated CSV (%d rows, quoted fields), read → upper-case a field and derive a column → "
          "write; %d alternating runs each; outputs byte-identical: %s.\n" % (size_mb, rows, runs, "yes" if same else "NO"))
    print("| implementation | median MB/s | runs (MB/s) |")
    print("| --- | --- | --- |")
    print("| C++ `ayeaye::Dataset` | %.1f | %s |" % (statistics.median(cpp), ", ".join("%.1f" % x for x in cpp)))
    print("| Python %s `csv.DictReader`/`DictWriter` | %.1f | %s |" % (sys.version.split()[0], statistics.median(py), ", ".join("%.1f" % x for x in py)))
    print("\nRatio C++ / Python (medians): **%.2f×**\n" % (statistics.median(cpp) / statistics.median(py)))


if __name__ == "__main__":
    main()
