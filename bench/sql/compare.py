"""Rows between a CSV file and a table, through bench_sql (ayeaye::SqlDataset) and through each
database's own bulk path, on one generated file; prints a Markdown section of rows/s (medians, and
every run). PostgreSQL: a private server started here (initdb and pg_ctl as the `postgres` user,
on a free loopback port, removed at the end) against `psql \\copy` both ways; SQLite: a fresh file
against the sqlite3 shell's `.import`.
Usage: compare.py <bench_sql binary> [rows] [runs]"""
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

PG_BIN = "/usr/lib/postgresql/15/bin/"
TABLE = "CREATE TABLE bench_rows (id bigint, name text, city text, amount double precision, note text)"


def generate(path, rows):
    rng = random.Random(42)
    cities = ["London", "Paris", "New York", "Zürich", "São Paulo"]
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("id,name,city,amount,note\n")
        for i in range(rows):
            note = rng.choice(["ok", "multi word note", ""])
            f.write("%d,name%d,%s,%.2f,%s\n" % (i, rng.randrange(10**6), rng.choice(cities), rng.random() * 1000, note))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def as_postgres(*args):
    return subprocess.run(["runuser", "-u", "postgres", "--"] + list(args), check=True, capture_output=True, text=True).stdout


class Postgres:
    def __init__(self, tmp):
        self.dir = os.path.join(tmp, "pg")
        os.mkdir(self.dir)
        shutil.chown(self.dir, "postgres", "postgres")
        os.chmod(os.path.dirname(self.dir), 0o755)
        self.port = free_port()
        as_postgres(PG_BIN + "initdb", "-D", self.dir + "/data", "-U", "postgres", "-E", "UTF8", "--no-locale",
                    "--auth=trust", "--no-sync")
        as_postgres(PG_BIN + "pg_ctl", "-D", self.dir + "/data", "-l", self.dir + "/log", "-w", "-o",
                    "-p %d -k %s -c listen_addresses=127.0.0.1" % (self.port, self.dir), "start")
        self.url = "postgresql://postgres@127.0.0.1:%d/postgres" % self.port

    def psql(self, command):
        return subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", self.url, "-c", command],
                              check=True, capture_output=True, text=True).stdout

    def stop(self):
        as_postgres(PG_BIN + "pg_ctl", "-D", self.dir + "/data", "-m", "fast", "-w", "stop")


class Runs:
    def __init__(self, rows):
        self.rows = rows
        self.rates = []

    def time(self, cmd):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        self.rates.append(self.rows / (time.perf_counter() - start))

    def cells(self):
        return "%.0f | %s" % (statistics.median(self.rates) / 1000, ", ".join("%.0f" % (r / 1000) for r in self.rates))


def main():
    binary = sys.argv[1]
    rows = int(sys.argv[2]) if len(sys.argv) > 2 else 2000000
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    with tempfile.TemporaryDirectory() as tmp:
        os.chmod(tmp, 0o755)
        source = os.path.join(tmp, "input.csv")
        generate(source, rows)
        size_mb = os.path.getsize(source) / 1e6
        out = os.path.join(tmp, "out.csv")
        pg = Postgres(tmp)
        try:
            pg.psql(TABLE)
            ours_in, psql_in, ours_out, psql_out = (Runs(rows) for _ in range(4))
            for run in range(runs):
                pg.psql("TRUNCATE bench_rows")
                ours_in.time([binary, "write", pg.url, source])
                pg.psql("TRUNCATE bench_rows")
                psql_in.time(["psql", "-X", "-q", "-d", pg.url, "-c", "\\copy bench_rows FROM '%s' CSV HEADER" % source])
                # The first reader after a bulk load would also set every row's hint bits (writing the
                # table again): a VACUUM does that before either is timed, and they take turns going first.
                pg.psql("VACUUM (FREEZE, ANALYZE) bench_rows")
                readers = [lambda: ours_out.time([binary, "read", pg.url, out]),
                           lambda: psql_out.time(["psql", "-X", "-q", "-d", pg.url, "-c", "\\copy bench_rows TO '%s' CSV HEADER" % out])]
                for read in readers if run % 2 == 0 else reversed(readers):
                    read()
            count = pg.psql("SELECT count(*) FROM bench_rows").split()[2]
        finally:
            pg.stop()
        sqlite_ours, sqlite_import = Runs(rows), Runs(rows)
        for _ in range(runs):
            db = os.path.join(tmp, "bench.db")
            for path in (db, db + "-journal"):
                if os.path.exists(path):
                    os.remove(path)
            subprocess.run(["sqlite3", db, TABLE], check=True)
            sqlite_ours.time([binary, "write", "sqlite:///" + db, source])
            os.remove(db)
            subprocess.run(["sqlite3", db, TABLE], check=True)
            sqlite_import.time(["sqlite3", db, ".import --csv --skip 1 %s bench_rows" % source])
            os.remove(db)
    print("## SQL datasets (issue 25)")
    print()
    print("%d rows (id, name, city, amount, note; %.0f MB of CSV) between a CSV file and a table, through" % (rows, size_mb))
    print("`ayeaye::SqlDataset` (the CSV on the csv fast path) and through each database's own tool; thousands of rows/s.")
    print()
    print("| path | median k rows/s | runs |")
    print("| --- | --- | --- |")
    print("| PostgreSQL write: `SqlDataset::add_row` (COPY FROM STDIN) | %s |" % ours_in.cells())
    print("| PostgreSQL write: `psql \\copy ... FROM` | %s |" % psql_in.cells())
    print("| PostgreSQL read: `SqlDataset::table` (COPY TO STDOUT) → CSV | %s |" % ours_out.cells())
    print("| PostgreSQL read: `psql \\copy ... TO` | %s |" % psql_out.cells())
    print("| SQLite write: `SqlDataset::add_row` (prepared INSERT, one transaction) | %s |" % sqlite_ours.cells())
    print("| SQLite write: `sqlite3` shell `.import --csv` | %s |" % sqlite_import.cells())
    print()
    ratio = lambda a, b: statistics.median(a.rates) / statistics.median(b.rates)
    print("Ratios (medians): PostgreSQL write %.2f× psql (goal ≥ 0.8×), read %.2f× psql (goal ≥ 0.8×); SQLite write %.2f× `.import`. Rows in the table after the last run: %s." % (
        ratio(ours_in, psql_in), ratio(ours_out, psql_out), ratio(sqlite_ours, sqlite_import), count))


if __name__ == "__main__":
    main()
