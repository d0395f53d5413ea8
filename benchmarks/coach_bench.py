"""Benchmark of `holdspace coach`: throughput and memory of --jsonl, latency of one draft.

    python benchmarks/coach_bench.py [--data ../shared/data] [--lines 20000]

Drafts are real supporter replies with the member message they answer (ESConv, EPITOME),
cycled to the line count. Every loop is bounded by its count; nothing leaves this machine.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import statistics
import time
from pathlib import Path

from jsonl_bench import percentiles, throughput

MAX_DRAFT_CHARS = 600


def pairs(data: Path) -> list[tuple[str, str]]:
    found = [
        (row["response"], row["seeker_last"])
        for row in csv.DictReader((data / "esconv/strategies.csv").open(encoding="utf-8"))
    ]
    found += [
        (row["response_post"], row["seeker_post"])
        for row in csv.DictReader((data / "epitome/explorations.csv").open(encoding="utf-8"))
    ]
    unique = dict.fromkeys((r.strip(), s.strip()) for r, s in found if r and r.strip())
    return [(r, s) for r, s in unique if len(r) <= MAX_DRAFT_CHARS]


def write_input(drafts: list[tuple[str, str]], count: int, path: Path) -> None:
    with path.open("w", encoding="utf-8") as out:
        for i in range(count):
            response, seeker = drafts[i % len(drafts)]
            out.write(json.dumps({"id": i, "response": response, "seeker": seeker}) + "\n")


def latency(drafts: list[tuple[str, str]], rounds: int) -> str:
    from holdspace.coach import coach

    rng = random.Random(7)
    samples = []
    coach("warm up the models and the rules", "hello")
    for _ in range(rounds):
        response, seeker = rng.choice(drafts)
        start = time.perf_counter()
        coach(response, seeker)
        samples.append((time.perf_counter() - start) * 1000)
    return percentiles(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--lines", type=int, default=20_000)
    parser.add_argument("--latency-rounds", type=int, default=2_000)
    args = parser.parse_args()
    drafts = pairs(args.data)
    mean_chars = statistics.mean(len(r) for r, _ in drafts)
    print(f"{len(drafts)} distinct drafts with their member message, mean {mean_chars:.0f} chars")
    throughput("coach", args.lines, lambda count, path: write_input(drafts, count, path), "drafts")
    figures = latency(drafts, args.latency_rounds)
    print("\none draft with its member message, in process:")
    print(figures)


if __name__ == "__main__":
    main()
