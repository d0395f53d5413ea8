"""JSON Lines in, JSON Lines out, in order, in batches as input arrives, one error per bad line.

Reading raw chunks from the file descriptor keeps it streaming both ways: a file is screened in
large batches with flat memory, and a pipe that sends one line and waits gets its answer at once.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, Any

READ_CHUNK_BYTES = 1 << 16
MAX_BATCH_LINES = 256

Request = dict[str, Any]
Handler = Callable[[list[Request]], list[dict[str, Any]]]


def byte_lines(stream: IO[bytes]) -> Iterator[list[bytes]]:
    """Batches of complete lines, each batch as soon as a read returns them."""
    descriptor = stream.fileno()
    pieces: list[bytes] = []  # of an unfinished line; joined only once a newline arrives
    while chunk := os.read(descriptor, READ_CHUNK_BYTES):
        pieces.append(chunk)
        if b"\n" not in chunk:
            continue
        *lines, rest = b"".join(pieces).split(b"\n")
        pieces = [rest]
        for start in range(0, len(lines), MAX_BATCH_LINES):
            yield lines[start : start + MAX_BATCH_LINES]
    pending = b"".join(pieces)
    if pending.strip():
        yield [pending]


@dataclass(frozen=True)
class Line:
    request: Request | None  # None when the line could not be used
    error: dict[str, Any] | None = None


def parse_line(raw: bytes, required: str) -> Line:
    text = raw.decode("utf-8", errors="replace").strip("\r")
    try:
        value = json.loads(text)
    except ValueError as error:
        return Line(None, {"id": None, "error": f"not valid JSON: {error}"})
    if not isinstance(value, dict):
        return Line(None, {"id": None, "error": "each line must be a JSON object"})
    if required not in value:
        return Line(None, {"id": value.get("id"), "error": f'missing "{required}"'})
    if not isinstance(value[required], str):
        return Line(None, {"id": value.get("id"), "error": f'"{required}" must be a string'})
    return Line(value)


def run(stream: IO[bytes], out: IO[str], required: str, handle: Handler) -> int:
    """Answer every line; the exit status is 1 if any line failed."""
    failed = False
    for raw_lines in byte_lines(stream):
        lines = [parse_line(raw, required) for raw in raw_lines]
        requests = [line.request for line in lines if line.request is not None]
        answers = iter(handle(requests) if requests else [])
        for line in lines:
            if line.request is None:
                failed = True
                answer = line.error
            else:
                answer = {"id": line.request.get("id"), **next(answers)}
            out.write(json.dumps(answer, ensure_ascii=False) + "\n")
        out.flush()
    return 1 if failed else 0
