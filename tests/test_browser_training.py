"""A trainee works through the training in headless Chromium: sign-up, a quiz, the practice room.

The quiz answers are read from the shipped curriculum file, so the test picks a wrong answer and
then the right one by its text, as a person reading the page would. Everything waits with
Playwright's auto-waiting `expect`, bounded; nothing sleeps.
"""

import re
import tomllib
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from playwright.sync_api import Browser, Page, expect

from holdspace.accounts.roles import Role
from holdspace.core.demo import DEMO_LOGINS
from tests.conftest import Server

pytestmark = pytest.mark.browser

# Bounds, in milliseconds: a page step, and the coach's debounced answer while typing.
ACTION_MS = 15_000
COACH_MS = 15_000

TRAINING = resources.files("holdspace.training")
FIRST_MODULE = "01-active-listening"
SCENARIO = "promise-you-wont-tell"
SUPPORTER = next(login for login in DEMO_LOGINS if login.role is Role.SUPPORTER)


def module_slugs() -> list[str]:
    index = tomllib.loads((TRAINING / "curriculum" / "index.toml").read_text("utf-8"))
    return [entry["slug"] for entry in index["modules"]]


def module_title(slug: str) -> str:
    first_line = (TRAINING / "curriculum" / f"{slug}.md").read_text("utf-8").partition("\n")[0]
    assert first_line.startswith("# "), first_line
    return first_line[2:].strip()


def quiz_questions(slug: str) -> list[dict[str, Any]]:
    quiz = tomllib.loads((TRAINING / "curriculum" / f"{slug}.quiz.toml").read_text("utf-8"))
    return quiz["questions"]


def practice_scenario(slug: str) -> dict[str, Any]:
    practice = tomllib.loads((TRAINING / "practice.toml").read_text("utf-8"))
    return next(entry for entry in practice["scenarios"] if entry["slug"] == slug)


@pytest.fixture
def new_page(browser: Browser) -> Iterator[Page]:
    """A page in a browser context of its own, as a person on their own device."""
    context = browser.new_context()
    context.set_default_timeout(ACTION_MS)
    yield context.new_page()
    context.close()


def answer_quiz(page: Page, questions: list[dict[str, Any]], *, right: bool) -> None:
    """Choose, in each question's group, the answer whose text is right (or a wrong one)."""
    for number, question in enumerate(questions, 1):
        answer = next(a for a in question["answers"] if bool(a.get("correct")) is right)
        group = page.get_by_role("group", name=f"Question {number}", exact=True)
        choice = group.get_by_label(answer["text"].strip(), exact=True)
        choice.check()
        expect(choice).to_be_checked()
    page.get_by_role("button", name="Submit my answers").click()


def expect_every_answer_explained(page: Page, questions: list[dict[str, Any]]) -> None:
    reviewed = page.locator("ol.review > li.question")
    expect(reviewed).to_have_count(len(questions))
    for row, question in zip(reviewed.all(), questions, strict=True):
        explanations = row.locator("li.answer .explanation")
        expect(explanations).to_have_count(len(question["answers"]))
        for shown, answer in zip(explanations.all(), question["answers"], strict=True):
            expect(shown).to_be_visible()
            expect(shown).to_have_text(answer["explanation"].strip())


def test_a_trainee_signs_up_reads_a_module_fails_reviews_and_passes_its_quiz(
    new_page: Page, demo_server: Server, tmp_path: Path
) -> None:
    page = new_page
    assert module_slugs()[0] == FIRST_MODULE
    title = module_title(FIRST_MODULE)
    questions = quiz_questions(FIRST_MODULE)
    total = len(questions)
    password = "a lantern on the long pier"

    page.goto(demo_server.url + "/accounts/signup/")
    page.get_by_label("Username").fill("lantern")
    page.get_by_label("Display name").fill("Lantern")
    page.get_by_label("I'd like to train as a peer supporter").check()
    page.get_by_label("I have read what Holdspace is and is not, and I agree").check()
    page.get_by_label("Password:", exact=True).fill(password)
    page.get_by_label("Password confirmation").fill(password)
    page.get_by_role("button", name="Join").click()

    # Sign-up records the member text only; a volunteer holds the supporter role at once, so
    # the training overview it sends them to is the first page to ask for the code of conduct.
    expect(page).to_have_url(
        f"{demo_server.url}/accounts/consent/?{urlencode({'next': '/training/'})}"
    )
    expect(page.get_by_role("heading", name="Please read and agree")).to_be_visible()
    expect(page.get_by_role("heading", name="Supporter code of conduct")).to_be_visible()
    expect(page.get_by_text("Signed in as Lantern")).to_be_visible()
    page.get_by_label("I have read this and I agree").check()
    page.get_by_role("button", name="Continue").click()

    expect(page).to_have_url(demo_server.url + "/training/")
    expect(page.get_by_role("heading", name="Training for peer supporters")).to_be_visible()
    expect(page.get_by_text("Not certified yet.")).to_be_visible()
    first = page.locator("li.module").filter(has=page.get_by_role("link", name=title, exact=True))
    expect(first).to_contain_text("Not started")

    first.get_by_role("link", name=title, exact=True).click()
    expect(page.get_by_role("heading", name=title, level=1)).to_be_visible()
    page.get_by_role("link", name="Take the quiz", exact=True).click()
    expect(page.get_by_role("heading", name=f"Quiz: {title}")).to_be_visible()
    expect(page.locator("fieldset.question")).to_have_count(total)

    answer_quiz(page, questions, right=False)
    expect(page.get_by_role("heading", name=f"Results: {title}")).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="Not this time")).to_contain_text(
        f"Not this time: 0 of {total} (0%"
    )
    expect(page.locator("li.answer.chosen")).to_have_count(total)
    expect(page.locator("li.answer.chosen.correct")).to_have_count(0)
    expect_every_answer_explained(page, questions)
    page.screenshot(path=tmp_path / "training-failed.png", full_page=True)

    # Having read the explanations, the trainee may take the quiz again.
    page.get_by_role("link", name="Back to the module").click()
    expect(page.get_by_role("heading", name=title, level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Review my answers")).to_have_count(0)
    page.get_by_role("link", name="Take the quiz again").click()
    expect(page.get_by_role("heading", name=f"Quiz: {title}")).to_be_visible()

    answer_quiz(page, questions, right=True)
    expect(page.get_by_role("heading", name=f"Results: {title}")).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="You passed")).to_have_text(
        f"You passed: {total} of {total} (100%)."
    )
    expect(page.locator("li.answer.chosen.correct")).to_have_count(total)

    page.get_by_role("link", name="All modules").click()
    expect(page.get_by_role("heading", name="Training for peer supporters")).to_be_visible()
    expect(first.locator("p")).to_have_text(re.compile(r"^Passed \(100%\)"))
    expect(page.locator("section.certification")).to_have_text(
        f"Not certified yet. {len(module_slugs()) - 1} required modules to go."
    )
    page.screenshot(path=tmp_path / "training-passed.png", full_page=True)


def test_the_practice_room_coaches_a_reply(
    new_page: Page, demo_server: Server, tmp_path: Path
) -> None:
    page = new_page
    scenario = practice_scenario(SCENARIO)

    page.goto(demo_server.url + "/accounts/login/")
    page.get_by_label("Username").fill(SUPPORTER.username)
    page.get_by_label("Password").fill(SUPPORTER.password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text(f"Signed in as {SUPPORTER.display_name}")).to_be_visible()

    page.goto(demo_server.url + "/training/practice/")
    expect(page.get_by_role("heading", name="Practice room")).to_be_visible()
    page.get_by_role("link", name=scenario["title"], exact=True).click()
    expect(page.get_by_role("heading", name=scenario["title"], level=1)).to_be_visible()
    expect(page.locator("blockquote.practice-message")).to_have_text(scenario["message"])

    coach = page.locator("#practice-coach")
    reply = page.get_by_label("Your reply")
    # Typed key by key, so the coach answers from the debounced input, not from a submit.
    reply.press_sequentially("I promise I won't tell anyone, this stays between us.")
    block = coach.locator("li.flag-block")
    expect(block.first).to_be_visible(timeout=COACH_MS)
    expect(block.first.locator(".severity")).to_have_text("Can't send:")
    expect(coach.get_by_text("Nothing here crosses a line.")).to_have_count(0)
    page.screenshot(path=tmp_path / "practice-blocked.png", full_page=True)

    reply.fill(scenario["example_reply"])
    expect(coach.get_by_text("Nothing here crosses a line.")).to_be_visible(timeout=COACH_MS)
    expect(coach.locator("li.flag")).to_have_count(0)
    expect(reply).to_have_value(scenario["example_reply"])
    page.screenshot(path=tmp_path / "practice-ok.png", full_page=True)
