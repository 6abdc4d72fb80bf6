"""The Python baseline of the CSV benchmark: the same work as csv_transform.cc, with the csv module.
Usage: transform.py <input> <output>; an input ending in .gz is read through the gzip module."""
import csv
import gzip
import sys


def main(source, target):
    opener = gzip.open if source.endswith(".gz") else open
    with opener(source, "rt", newline="", encoding="utf-8-sig") as fin, open(target, "w", newline="", encoding="utf-8") as fout:
        reader = csv.DictReader(fin)
        writer = csv.DictWriter(fout, fieldnames=["id", "name", "city", "amount", "note", "amount_with_tax"],
                                lineterminator="\n")
        writer.writeheader()
        for row in reader:
            row["name"] = row["name"].upper()
            row["amount_with_tax"] = "%.2f" % (float(row["amount"]) * 1.2)
            writer.writerow(row)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
