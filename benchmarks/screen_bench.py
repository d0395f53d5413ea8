"""Benchmark of `holdspace screen`: throughput and memory of --jsonl, latency of one message.

    python benchmarks/screen_bench.py [--data ../shared/data] [--lines 50000]

Messages are real chat-length seeker messages (ESConv, EPITOME), cycled to the line count.
Every loop is bounded by its count; nothing leaves this machine.
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

CHAT_MAX_CHARS = 300


def chat_messages(data: Path) -> list[str]:
    texts = [row["seeker_last"] for row in csv.DictReader((data / "esconv/strategies.csv").open())]
    texts += [
        row["seeker_post"] for row in csv.DictReader((data / "epitome/explorations.csv").open())
    ]
    unique = [t.strip() for t in dict.fromkeys(texts) if t and t.strip()]
    return [t for t in unique if len(t) <= CHAT_MAX_CHARS]


def write_input(messages: list[str], count: int, path: Path) -> None:
    with path.open("w", encoding="utf-8") as out:
        for i in range(count):
            out.write(json.dumps({"id": i, "text": messages[i % len(messages)]}) + "\n")


def latency(messages: list[str], rounds: int) -> str:
    from holdspace.safety import screen

    rng = random.Random(7)
    long_ones = [m for m in messages if len(m) > 150] or messages
    samples = []
    screen("warm up the model and the rules")
    for i in range(rounds):
        text = rng.choice(messages if i % 2 else long_ones)
        text = (text + " " + rng.choice(messages))[:1000]
        start = time.perf_counter()
        screen(text)
        samples.append((time.perf_counter() - start) * 1000)
    return percentiles(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--lines", type=int, default=50_000)
    parser.add_argument("--latency-rounds", type=int, default=3_000)
    args = parser.parse_args()
    messages = chat_messages(args.data)
    mean_chars = statistics.mean(len(m) for m in messages)
    print(f"{len(messages)} distinct chat messages, mean {mean_chars:.0f} characters")
    throughput(
        "screen", args.lines, lambda count, path: write_input(messages, count, path), "messages"
    )
    figures = latency(messages, args.latency_rounds)
    print("\nsingle message of up to 1,000 characters, in process:")
    print(figures)


if __name__ == "__main__":
    main()
