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
import subprocess
import sys
import tempfile
import time
from pathlib import Path

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


def run_cli(path: Path) -> tuple[float, float]:
    """Seconds and peak memory (MB) of one `holdspace screen --jsonl` process on a file."""
    probe = (
        "import resource, subprocess, sys, time\n"
        "start = time.perf_counter()\n"
        "with open(sys.argv[1], 'rb') as src:\n"
        "    subprocess.run([sys.executable, '-m', 'holdspace', 'screen', '--jsonl'],\n"
        "                   stdin=src, stdout=subprocess.DEVNULL, check=True)\n"
        "print(time.perf_counter() - start,"
        " resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)\n"
    )
    output = subprocess.run(
        [sys.executable, "-c", probe, str(path)],
        capture_output=True,
        text=True,
        check=True,
        timeout=1800,
    ).stdout.split()
    return float(output[0]), float(output[1])


def latency(messages: list[str], rounds: int) -> dict[str, float]:
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
    samples.sort()
    return {
        "p50_ms": statistics.median(samples),
        "p95_ms": samples[int(0.95 * len(samples))],
        "p99_ms": samples[int(0.99 * len(samples))],
        "max_ms": samples[-1],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--lines", type=int, default=50_000)
    parser.add_argument("--latency-rounds", type=int, default=3_000)
    args = parser.parse_args()
    messages = chat_messages(args.data)
    mean_chars = statistics.mean(len(m) for m in messages)
    print(f"{len(messages)} distinct chat messages, mean {mean_chars:.0f} characters")
    with tempfile.TemporaryDirectory() as folder:
        rows = []
        for count in (1, args.lines // 10, args.lines):
            path = Path(folder) / f"in-{count}.jsonl"
            write_input(messages, count, path)
            seconds, peak_mb = run_cli(path)
            rows.append((count, seconds, count / seconds, peak_mb))
    print("\n| lines | seconds | messages/s | peak memory (MB) |\n|---|---|---|---|")
    for count, seconds, rate, peak in rows:
        print(f"| {count:,} | {seconds:.2f} | {rate:,.0f} | {peak:.0f} |")
    figures = latency(messages, args.latency_rounds)
    print("\nsingle message of up to 1,000 characters, in process:")
    print(" | ".join(f"{name} {value:.2f}" for name, value in figures.items()))


if __name__ == "__main__":
    main()
