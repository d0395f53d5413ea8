"""What both command benchmarks share: a real `holdspace <verb> --jsonl` process timed on files
of growing length, and latency percentiles."""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path


def run_cli(verb: str, path: Path) -> tuple[float, float]:
    """Seconds and peak memory (MB) of one `holdspace <verb> --jsonl` process on a file."""
    probe = (
        "import resource, subprocess, sys, time\n"
        "start = time.perf_counter()\n"
        "with open(sys.argv[2], 'rb') as src:\n"
        "    subprocess.run([sys.executable, '-m', 'holdspace', sys.argv[1], '--jsonl'],\n"
        "                   stdin=src, stdout=subprocess.DEVNULL, check=True)\n"
        "print(time.perf_counter() - start,"
        " resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)\n"
    )
    output = subprocess.run(
        [sys.executable, "-c", probe, verb, str(path)],
        capture_output=True,
        text=True,
        check=True,
        timeout=1800,
    ).stdout.split()
    return float(output[0]), float(output[1])


def throughput(verb: str, lines: int, write_input: Callable[[int, Path], None], unit: str) -> None:
    """Print a table: 1 line, a tenth of `lines`, and `lines`, each through a fresh process."""
    with tempfile.TemporaryDirectory() as folder:
        rows = []
        for count in (1, lines // 10, lines):
            path = Path(folder) / f"in-{count}.jsonl"
            write_input(count, path)
            seconds, peak_mb = run_cli(verb, path)
            rows.append((count, seconds, count / seconds, peak_mb))
    print(f"\n| lines | seconds | {unit}/s | peak memory (MB) |\n|---|---|---|---|")
    for count, seconds, rate, peak in rows:
        print(f"| {count:,} | {seconds:.2f} | {rate:,.0f} | {peak:.0f} |")


def percentiles(samples_ms: list[float]) -> str:
    samples = sorted(samples_ms)
    figures = {
        "p50_ms": statistics.median(samples),
        "p95_ms": samples[int(0.95 * len(samples))],
        "p99_ms": samples[int(0.99 * len(samples))],
        "max_ms": samples[-1],
    }
    return " | ".join(f"{name} {value:.2f}" for name, value in figures.items())
