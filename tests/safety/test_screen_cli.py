"""`holdspace screen`: the readable report and the JSON Lines contract, run as a command."""

import json
import os
import select
import subprocess
import sys
from pathlib import Path

COMMAND = [sys.executable, "-m", "holdspace", "screen"]


def screen_jsonl(payload: bytes, **env: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [*COMMAND, "--jsonl"],
        input=payload,
        capture_output=True,
        timeout=120,
        env=os.environ | env,
        check=False,
    )


def answers(result: subprocess.CompletedProcess[bytes]) -> list[dict]:  # type: ignore[type-arg]
    return [json.loads(line) for line in result.stdout.decode().splitlines()]


def test_each_line_gets_its_answer_in_order_and_good_input_exits_0() -> None:
    lines = [
        {"id": i, "text": text}
        for i, text in enumerate(
            ["hello", "I want to kill myself", "my friend wants to die", "", "I killed it today"]
        )
    ]
    result = screen_jsonl("".join(json.dumps(line) + "\n" for line in lines).encode())
    got = answers(result)
    assert result.returncode == 0, result.stderr
    assert [a["id"] for a in got] == [0, 1, 2, 3, 4]
    assert [a["level"] for a in got] == ["none", "high", "high", "none", "none"]
    assert got[2]["third_party"] is True
    assert {
        "level",
        "score",
        "categories",
        "third_party",
        "resources",
        "language",
        "degraded",
    } <= set(got[1])


def test_bad_lines_get_an_error_each_the_run_goes_on_and_exits_1() -> None:
    payload = (
        b"\n".join(
            [
                b"{not json",
                json.dumps({"id": "no-text"}).encode(),
                json.dumps({"id": "number", "text": 42}).encode(),
                b"[1, 2]",
                b"",
                json.dumps({"id": "after", "text": "I want to die"}).encode(),
            ]
        )
        + b"\n"
    )
    result = screen_jsonl(payload)
    got = answers(result)
    assert result.returncode == 1
    assert len(got) == 6
    assert [a.get("id") for a in got] == [None, "no-text", "number", None, None, "after"]
    assert all("error" in a for a in got[:5])
    assert got[5]["level"] == "high"


def test_broken_utf8_is_screened_not_fatal() -> None:
    payload = b'{"id": "bytes", "text": "I want to die \xff\xfe tonight"}\n'
    result = screen_jsonl(payload)
    assert result.returncode == 0
    assert answers(result)[0]["level"] == "imminent"


def test_a_line_without_a_trailing_newline_is_answered() -> None:
    result = screen_jsonl(b'{"id": "last", "text": "hi"}')
    assert answers(result) == [answers(result)[0]] and answers(result)[0]["id"] == "last"


def test_locale_on_the_line_wins_over_the_default() -> None:
    payload = (
        json.dumps({"id": 1, "text": "I want to kill myself", "locale": "es-MX"})
        + "\n"
        + json.dumps({"id": 2, "text": "I want to kill myself"})
        + "\n"
    ).encode()
    result = subprocess.run(
        [*COMMAND, "--jsonl", "--locale", "en-GB"],
        input=payload,
        capture_output=True,
        timeout=120,
        check=False,
    )
    first, second = answers(result)
    assert "911" in [r.get("phone") for r in first["resources"]]
    assert "999" in [r.get("phone") for r in second["resources"]]


def test_a_pipe_that_waits_for_each_answer_gets_it_at_once() -> None:
    process = subprocess.Popen([*COMMAND, "--jsonl"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert process.stdin and process.stdout
    try:
        for i, text in enumerate(["I want to die", "good morning"]):
            process.stdin.write((json.dumps({"id": i, "text": text}) + "\n").encode())
            process.stdin.flush()
            ready, _, _ = select.select([process.stdout], [], [], 60)
            assert ready, "no answer while the pipe stays open: the command is batching"
            assert json.loads(process.stdout.readline())["id"] == i
    finally:
        process.stdin.close()
        process.wait(timeout=60)
    assert process.returncode == 0


def test_without_a_model_the_rules_still_answer_and_say_degraded(tmp_path: Path) -> None:
    payload = b'{"id": 1, "text": "I bought a rope, tonight is the night"}\n'
    result = screen_jsonl(payload, HOLDSPACE_RISK_MODEL_DIR=str(tmp_path / "nothing-here"))
    (answer,) = answers(result)
    assert result.returncode == 0
    assert answer["degraded"] is True
    assert answer["level"] == "imminent"


def test_readable_report_highlights_the_evidence_and_lists_resources() -> None:
    result = subprocess.run(
        [*COMMAND, "I bought a rope, tonight is the night", "--locale", "en-GB"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0
    assert "imminent" in result.stdout
    assert "[bought a rope]" in result.stdout
    assert "999" in result.stdout


def test_screen_without_text_or_jsonl_is_a_usage_error() -> None:
    result = subprocess.run(COMMAND, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 2
    assert "--jsonl" in result.stderr


def test_screening_imports_neither_django_nor_scikit_learn() -> None:
    probe = (
        "import sys; from holdspace.safety import screen; screen('I want to die', 'en-GB'); "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'django', 'sklearn'}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "[]"
