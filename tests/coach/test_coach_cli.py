"""`holdspace coach`: the readable report and the JSON Lines contract, run as a command."""

import json
import os
import subprocess
import sys

COMMAND = [sys.executable, "-m", "holdspace", "coach"]
FIELDS = {"empathy", "strategy", "strategies", "advice", "flags", "verdict"}


def run(args: list[str], payload: bytes = b"", **env: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [*COMMAND, *args],
        input=payload,
        capture_output=True,
        timeout=120,
        env=os.environ | env,
        check=False,
    )


def answers(result: subprocess.CompletedProcess[bytes]) -> list[dict]:  # type: ignore[type-arg]
    return [json.loads(line) for line in result.stdout.decode().splitlines()]


def jsonl(*lines: object) -> bytes:
    return b"".join(
        (line if isinstance(line, bytes) else json.dumps(line).encode()) + b"\n" for line in lines
    )


def test_each_draft_gets_its_answer_in_order_with_every_field() -> None:
    result = run(
        ["--jsonl"],
        jsonl(
            {
                "id": "a",
                "response": "That sounds so hard. What has been the hardest part?",
                "seeker": "I lost my job.",
            },
            {
                "id": "b",
                "response": "Call me on +44 7700 900123 anytime.",
                "seeker": "I feel alone.",
            },
            {
                "id": "c",
                "response": "When my mum died I drank for a year.",
                "seeker": "My dad died.",
                "disclosure_invited": True,
            },
        ),
    )
    got = answers(result)
    assert result.returncode == 0, result.stderr
    assert [a["id"] for a in got] == ["a", "b", "c"]
    assert all(set(a) >= FIELDS for a in got)
    assert got[1]["verdict"] == "hold"
    [contact] = [f for f in got[1]["flags"] if f["code"] == "contact_exchange"]
    assert contact["span"] == [11, 26] and contact["severity"] == "block"
    assert "uninvited_self_disclosure" not in {f["code"] for f in got[2]["flags"]}


def test_bad_lines_get_an_error_each_the_run_goes_on_and_exits_1() -> None:
    result = run(
        ["--jsonl"],
        jsonl(
            b"{not json",
            b"[]",
            {"id": "no-response", "seeker": "hi"},
            {"id": "number", "response": 7},
            b"\xff\xfe broken",
            {"id": "ok", "response": "I hear you."},
        ),
    )
    got = answers(result)
    assert result.returncode == 1
    assert len(got) == 6
    assert all("error" in a for a in got[:5])
    assert got[2]["id"] == "no-response"
    assert got[5]["id"] == "ok" and got[5]["verdict"] == "send"


def test_without_models_the_rules_still_hold_a_draft_and_say_degraded(tmp_path) -> None:
    result = run(
        ["--jsonl"],
        jsonl({"id": 1, "response": "add me on snap"}),
        HOLDSPACE_COACH_MODEL_DIR=str(tmp_path),
    )
    [answer] = answers(result)
    assert result.returncode == 0
    assert answer["degraded"] is True
    assert answer["verdict"] == "hold"


def test_the_readable_report_highlights_the_evidence_and_offers_a_rewrite() -> None:
    result = run(["I won't tell anyone, I promise.", "--to", "I cut myself last night."])
    out = result.stdout.decode()
    assert result.returncode == 0, result.stderr
    assert "hold" in out and "secrecy_promise" in out
    assert "[I won't tell]" in out
    assert "instead:" in out


def test_no_draft_and_no_jsonl_is_a_usage_error() -> None:
    result = run([])
    assert result.returncode == 2
    assert b"--jsonl" in result.stderr
