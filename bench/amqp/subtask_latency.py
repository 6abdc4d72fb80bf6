#!/usr/bin/env python3
"""Prints the p50 and p99 round trip (ms) of a finished parent's subtasks, from the subtask
documents on the parent's node: each one's duration_seconds runs from when the parent sent it to
when its answer was counted. Usage: subtask_latency.py <node URL> <task id> <subtask count>"""
import json
import sys
import urllib.request


def main():
    url, task_id, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    durations = []
    for i in range(count):
        with urllib.request.urlopen(f"{url}/api/0.01/task/{task_id}.{i}") as answer:
            durations.append(json.load(answer)["duration_seconds"] * 1000)
    durations.sort()
    p50 = durations[len(durations) // 2]
    p99 = durations[min(len(durations) - 1, int(len(durations) * 0.99))]
    print(f"{p50:.1f} {p99:.1f}")


if __name__ == "__main__":
    main()
