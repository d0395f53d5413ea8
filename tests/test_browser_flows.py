"""People in separate headless Chromium contexts use the live parts of Holdspace together.

Each person logs in through the login form in a browser context of their own, against
`holdspace serve` on a fresh database with the demo loaded. Live arrivals are awaited with
Playwright's auto-waiting `expect`, bounded; nothing sleeps. A page that must receive something
live is marked first, and the mark is checked afterwards, so a reload cannot pass for live.
"""

import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, WebSocketRoute, expect

from holdspace.accounts.roles import Role
from holdspace.core.demo import DEMO_LOGINS, DemoLogin
from tests.conftest import Server, holdspace

pytestmark = pytest.mark.browser

# Bounds, in milliseconds: a page step, a live arrival, and a reconnection after back-off.
ACTION_MS = 15_000
LIVE_MS = 10_000
RECONNECT_MS = 25_000

MEMBER, SUPPORTER, FACILITATOR, MODERATOR = (
    next(login for login in DEMO_LOGINS if login.role is role)
    for role in (Role.MEMBER, Role.SUPPORTER, Role.FACILITATOR, Role.MODERATOR)
)
# A second member, made for these tests: the demo has one login per role.
SECOND_MEMBER = DemoLogin(Role.MEMBER, "second-member", "Kai", "a long passphrase for kai")

JOIN_ROOM = "I'll follow these. Join the room"
NOT_RELOADED = "window.__holdspaceNotReloaded"

LogIn = Callable[[DemoLogin], Page]


@pytest.fixture
def log_in(browser: Browser, demo_server: Server) -> Iterator[LogIn]:
    """Log a person in through the form, in a browser context of their own."""
    contexts: list[BrowserContext] = []

    def open_as(person: DemoLogin) -> Page:
        context = browser.new_context()
        contexts.append(context)
        context.set_default_timeout(ACTION_MS)
        page = context.new_page()
        page.goto(demo_server.url + "/accounts/login/")
        page.get_by_label("Username").fill(person.username)
        page.get_by_label("Password").fill(person.password)
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_text(f"Signed in as {person.display_name}")).to_be_visible()
        return page

    yield open_as
    for context in contexts:
        context.close()


@pytest.fixture
def second_member(demo_server: Server, server_env: dict[str, str]) -> DemoLogin:
    person = SECOND_MEMBER
    holdspace(
        "manage",
        "shell",
        "-c",
        "from holdspace.accounts.actions import do_create_user; "
        "from holdspace.accounts.consent import do_give_consent, missing_consents; "
        "from holdspace.accounts.roles import Role; "
        f"kai = do_create_user({person.username!r}, {person.display_name!r}, "
        f"{person.password!r}, roles=[Role.MEMBER]); "
        "do_give_consent(kai, missing_consents(kai))",
        env=server_env,
    )
    return person


def messages(page: Page) -> Locator:
    return page.locator("[data-messages]")


def message(page: Page, body: str) -> Locator:
    """The list item of the message or notice whose text is exactly `body`."""
    return (
        messages(page)
        .locator("li")
        .filter(has=page.locator("[data-body]", has_text=re.compile(f"^{re.escape(body)}$")))
    )


def expect_live(page: Page, timeout: int = LIVE_MS) -> None:
    expect(page.locator("[data-status]")).to_have_attribute("data-state", "live", timeout=timeout)


def mark_not_reloaded(page: Page) -> None:
    page.evaluate(f"{NOT_RELOADED} = true")


def assert_not_reloaded(page: Page) -> None:
    assert page.evaluate(f"{NOT_RELOADED} === true"), "the page was reloaded"


def click_and_load(page: Page, button: str) -> None:
    """Click a button whose form posts and redirects, and wait until the new page has loaded."""
    mark_not_reloaded(page)
    with page.expect_navigation():
        page.get_by_role("button", name=button).click()
    assert page.evaluate(f"{NOT_RELOADED} === undefined"), "the page did not load again"


def enter_room(page: Page, server: Server, slug: str) -> None:
    """Open a room for the first time: read the guidelines, join, and be connected."""
    page.goto(f"{server.url}/rooms/{slug}/")
    expect(page.get_by_role("heading", name="How this room works")).to_be_visible()
    page.get_by_role("button", name=JOIN_ROOM).click()
    expect(page.get_by_label("Your message")).to_be_editable()
    expect_live(page)


def send(page: Page, body: str, *, label: str = "Your message", enter: bool = False) -> None:
    composer = page.get_by_label(label)
    composer.fill(body)
    if enter:
        composer.press("Enter")
    else:
        page.get_by_role("button", name="Send", exact=True).click()


def send_and_see_stored(page: Page, body: str, *, label: str = "Your message") -> None:
    """Send, then wait for the server's acknowledgement: the message shows as the author's own."""
    send(page, body, label=label)
    expect(message(page, body)).to_have_class(re.compile(r"\bmine\b"), timeout=LIVE_MS)
    expect(page.get_by_label(label)).to_have_value("")


def ask_for_support(member: Page, supporter: Page, server: Server, note: str) -> None:
    """The member asks, the supporter takes the request; both end up live in the conversation."""
    member.goto(server.url + "/support/")
    member.get_by_label("What would you like to talk about?").select_option(label="Low mood")
    member.get_by_label("In which language?").select_option(label="English")
    member.get_by_label("A few words about how you are").fill(note)
    member.get_by_role("button", name="Ask for support").click()
    expect(member.get_by_role("heading", name="Waiting for a supporter")).to_be_visible()
    expect(message(member, note)).to_be_visible()
    expect_live(member)
    mark_not_reloaded(member)

    supporter.goto(server.url + "/support/")
    request = supporter.locator("#request-list li.request").filter(has_text=note)
    expect(request).to_contain_text(f"{MEMBER.display_name} · Low mood · English")
    request.get_by_role("button", name=f"Support {MEMBER.display_name}").click()
    expect(
        supporter.get_by_role("heading", name=f"Supporting {MEMBER.display_name}")
    ).to_be_visible()
    expect(message(supporter, note)).to_be_visible()
    expect_live(supporter)

    joined = f"{SUPPORTER.display_name} has joined the conversation."
    expect(message(member, joined)).to_be_visible(timeout=LIVE_MS)
    assert_not_reloaded(member)


def test_a_message_posted_in_a_room_appears_live_for_another_member(
    log_in: LogIn, second_member: DemoLogin, demo_server: Server, tmp_path: Path
) -> None:
    author = log_in(MEMBER)
    reader = log_in(second_member)
    enter_room(author, demo_server, "anxiety")
    enter_room(reader, demo_server, "anxiety")
    mark_not_reloaded(reader)

    body = "Hello from the harbour, first message here"
    send(author, body, enter=True)

    expect(message(author, body)).to_have_class(re.compile(r"\bmine\b"), timeout=LIVE_MS)
    expect(author.get_by_label("Your message")).to_have_value("")
    arrived = message(reader, body)
    expect(arrived).to_have_count(1, timeout=LIVE_MS)
    expect(arrived.locator("[data-author]")).to_have_text(MEMBER.display_name)
    expect(arrived).not_to_have_class(re.compile(r"\bmine\b"))
    expect(arrived.get_by_role("button", name="I hear you")).to_be_visible()
    assert_not_reloaded(reader)

    reply = "Welcome, Robin. Glad you are here."
    send(reader, reply)
    expect(message(author, reply)).to_have_count(1, timeout=LIVE_MS)
    author.screenshot(path=tmp_path / "room-author.png", full_page=True)
    reader.screenshot(path=tmp_path / "room-reader.png", full_page=True)


def test_a_crisis_message_shows_its_author_help_at_once_and_alerts_a_moderator_live(
    log_in: LogIn, demo_server: Server, tmp_path: Path
) -> None:
    moderator = log_in(MODERATOR)
    moderator.goto(demo_server.url + "/moderation/alerts/")
    expect(moderator.locator("[data-alert-status]")).to_have_attribute(
        "data-state", "live", timeout=LIVE_MS
    )
    expect(moderator.get_by_text("No open alerts. Thank you for being on duty.")).to_be_visible()
    mark_not_reloaded(moderator)

    member = log_in(MEMBER)
    enter_room(member, demo_server, "low-mood")
    resources = member.locator("[data-resources]")
    expect(resources).to_be_hidden()

    crisis = "I have the pills in my hand and I'm going to take them all tonight"
    send(member, crisis)

    expect(resources).to_be_visible(timeout=LIVE_MS)
    heading = resources.get_by_role("heading")
    expect(heading).to_have_text("If you are in danger now, call the emergency number first:")
    expect(heading).to_be_focused()
    expect(resources.locator("li.resource").first).to_be_visible()
    expect(resources.get_by_role("link", name="More ways to get help now")).to_be_visible()
    expect(message(member, crisis)).to_have_class(re.compile(r"\bmine\b"))

    alert = moderator.locator("#alerts li.alert").filter(has_text=crisis)
    expect(alert).to_have_count(1, timeout=LIVE_MS)
    expect(alert.locator(".meta")).to_contain_text(f"IMMINENT · {MEMBER.display_name} · ")
    expect(alert.locator("mark").first).to_be_visible()
    expect(moderator.get_by_text("No open alerts.")).to_have_count(0)
    expect(moderator.locator("[data-alert-announcer]")).to_contain_text("imminent")
    assert_not_reloaded(moderator)
    member.screenshot(path=tmp_path / "crisis-member.png", full_page=True)
    moderator.screenshot(path=tmp_path / "crisis-moderator.png", full_page=True)


def test_a_supporters_draft_with_a_phone_number_is_held_and_never_reaches_the_member(
    log_in: LogIn, demo_server: Server, tmp_path: Path
) -> None:
    member = log_in(MEMBER)
    supporter = log_in(SUPPORTER)
    ask_for_support(member, supporter, demo_server, "Work has been a lot this week.")

    draft = "text me on 07700 900123 any time"
    send(supporter, draft, label="Your reply")
    held = supporter.locator("[data-notice] .held")
    expect(held.locator(".held-lead")).to_have_text("This message was not sent.", timeout=LIVE_MS)
    expect(held.locator("li.flag")).to_contain_text(re.compile("contact details", re.IGNORECASE))
    expect(held.get_by_role("button", name="Send it anyway")).to_have_count(0)
    expect(supporter.get_by_label("Your reply")).to_have_value(draft)
    expect(messages(supporter)).not_to_contain_text("07700")

    # The supporter's next message is the barrier: once it has arrived, the held one would have
    # arrived before it, had it been sent.
    later = "Thank you for telling me. I am here and listening."
    send_and_see_stored(supporter, later, label="Your reply")
    expect(supporter.locator("[data-notice]")).to_be_empty()
    expect(message(member, later)).to_have_count(1, timeout=LIVE_MS)
    expect(messages(member)).not_to_contain_text("07700")
    assert_not_reloaded(member)

    member.reload()
    expect(message(member, later)).to_be_visible()
    expect(messages(member)).not_to_contain_text("07700")
    supporter.screenshot(path=tmp_path / "held-supporter.png", full_page=True)
    member.screenshot(path=tmp_path / "held-member.png", full_page=True)


def test_one_to_one_support_from_request_to_feedback(
    log_in: LogIn, demo_server: Server, tmp_path: Path
) -> None:
    member = log_in(MEMBER)
    supporter = log_in(SUPPORTER)
    ask_for_support(member, supporter, demo_server, "I have been feeling flat since the move.")
    mark_not_reloaded(supporter)

    mine = "Thanks for joining. Work has been a lot this week."
    send(member, mine, enter=True)
    expect(message(supporter, mine)).to_have_count(1, timeout=LIVE_MS)
    reply = "That sounds really hard. What has the week been like for you?"
    send(supporter, reply, label="Your reply")
    expect(message(member, reply)).to_have_count(1, timeout=LIVE_MS)
    assert_not_reloaded(member)
    assert_not_reloaded(supporter)

    # The member's page was drawn while waiting: it gains the conversation's buttons live.
    expect(member.get_by_role("heading", name=f"With {SUPPORTER.display_name}")).to_be_visible()
    assert_not_reloaded(member)
    expect(member.locator("[data-sharing]")).to_have_attribute("data-sharing", "not-invited")
    member.get_by_role("button", name="I'd like to hear what helped you").click()
    expect(member.locator("[data-sharing]")).to_have_text(
        "Experience sharing: invited. The supporter may share what helped them."
    )
    invited = (
        f"{MEMBER.display_name} would like to hear about your own experience and what helped you."
    )
    expect(message(member, invited)).to_be_visible()
    expect(member.get_by_role("button", name="Keep the focus on me")).to_be_visible()
    expect(message(supporter, invited)).to_have_count(1, timeout=LIVE_MS)
    assert_not_reloaded(supporter)

    # Invited, the supporter's own experience goes straight through the coach.
    experience = "When I felt like that, going for a walk each morning helped me."
    send_and_see_stored(supporter, experience, label="Your reply")
    expect(message(member, experience)).to_have_count(1, timeout=LIVE_MS)

    expect_live(member)
    mark_not_reloaded(supporter)
    member.get_by_role("button", name="End the conversation").click()
    ended = f"{MEMBER.display_name} ended the conversation."
    expect(member.get_by_role("heading", name="Did you feel heard?")).to_be_visible()
    expect(member.get_by_text("This conversation has ended.")).to_be_visible()
    expect(member.get_by_role("button", name="End the conversation")).to_have_count(0)
    supporter_status = supporter.locator("[data-status]")
    expect(supporter_status).to_have_attribute("data-state", "closed", timeout=LIVE_MS)
    expect(supporter_status).to_have_text(ended)
    expect(supporter.get_by_label("Your reply")).to_be_disabled()
    expect(message(supporter, ended)).to_have_count(1)
    assert_not_reloaded(supporter)

    member.get_by_label("Yes, I felt heard").check()
    comment = "Thank you for listening without rushing me."
    member.get_by_label("Anything you want them to know").fill(comment)
    click_and_load(member, "Send feedback")
    # The conversation page drawn again thanks the member and shows the feedback as stored.
    expect(member.get_by_text("Thank you. Only your supporter sees this.")).to_be_visible()
    expect(member.get_by_role("heading", name="Did you feel heard?")).to_be_visible()
    expect(member.get_by_label("Yes, I felt heard")).to_be_checked()
    expect(member.get_by_label("Anything you want them to know")).to_have_value(comment)

    supporter.goto(demo_server.url + "/support/feedback/")
    received = supporter.locator(".feedback-list li")
    expect(received).to_have_count(1)
    expect(received.locator("strong")).to_have_text("Yes, I felt heard")
    expect(received.locator("blockquote")).to_have_text(comment)
    member.screenshot(path=tmp_path / "support-member.png", full_page=True)
    supporter.screenshot(path=tmp_path / "support-supporter.png", full_page=True)


def test_a_group_session_is_booked_joined_and_runs_a_check_in_round(
    log_in: LogIn, demo_server: Server, tmp_path: Path
) -> None:
    facilitator = log_in(FACILITATOR)
    facilitator.goto(demo_server.url + "/sessions/")
    facilitator.get_by_role("link", name="Schedule a session").click()
    title = "Evening circle"
    # The form takes UTC; a start with seconds keeps it in the future across a minute boundary.
    starts_at = datetime.now(UTC).replace(microsecond=0) + timedelta(minutes=1)
    facilitator.get_by_label("Title").fill(title)
    facilitator.get_by_label("Topic").fill("Low mood")
    facilitator.get_by_label("Starts at").fill(starts_at.strftime("%Y-%m-%dT%H:%M:%S"))
    facilitator.get_by_label("Length in minutes").fill("60")
    facilitator.get_by_label("Places").fill("8")
    facilitator.get_by_label("Group agreement").fill("What is said here stays here.")
    facilitator.get_by_role("button", name="Schedule").click()
    expect(facilitator.get_by_role("heading", name=title, exact=True)).to_be_visible()
    session_url = facilitator.url
    assert re.search(r"/sessions/\d+/$", session_url), session_url

    member = log_in(MEMBER)
    member.goto(demo_server.url + "/sessions/")
    member.get_by_role("link", name=title, exact=True).click()
    expect(member.get_by_text("What is said here stays here.")).to_be_visible()
    member.get_by_role("button", name="Book a place").click()
    expect(member.get_by_text("You have a place.")).to_be_visible()
    # It starts in a minute and opens five minutes early: the room is open already.
    expect(member.get_by_role("heading", name="Session room")).to_be_visible()
    expect(member.get_by_label("Your message")).to_be_editable()
    expect_live(member)
    mark_not_reloaded(member)

    facilitator.reload()
    expect(facilitator.locator(".participants")).to_contain_text(MEMBER.display_name)
    click_and_load(facilitator, "Start the check-in round")
    prompt = "Check-in: in a word or a sentence, how are you arriving today?"
    expect(message(facilitator, prompt)).to_be_visible()
    expect_live(facilitator)
    mark_not_reloaded(facilitator)

    expect(message(member, prompt)).to_have_count(1, timeout=LIVE_MS)
    expect(message(member, prompt)).to_have_class(re.compile(r"\bnotice\b"))
    assert_not_reloaded(member)

    answer = "Tired but hopeful"
    send(member, answer, enter=True)
    arrived = message(facilitator, answer)
    expect(arrived).to_have_count(1, timeout=LIVE_MS)
    expect(arrived.locator("[data-author]")).to_have_text(MEMBER.display_name)
    assert_not_reloaded(facilitator)
    member.screenshot(path=tmp_path / "session-member.png", full_page=True)
    facilitator.screenshot(path=tmp_path / "session-facilitator.png", full_page=True)


class CuttableSockets:
    """A page's WebSockets routed through Playwright, so the test can drop them like a network.

    Chromium's offline emulation (`context.set_offline`) blocks new connections but leaves open
    WebSockets working, so it cannot cut a live socket by itself. Routed, each socket is relayed
    to the real server; `cut` closes both sides, and while cut every new attempt fails at once.
    """

    def __init__(self, page: Page) -> None:
        self.page = page
        self.online = True
        self.links: list[tuple[WebSocketRoute, WebSocketRoute]] = []
        page.route_web_socket(re.compile(r"/ws/"), self._connect)

    def _connect(self, socket: WebSocketRoute) -> None:
        if not self.online:
            socket.close()
            return
        self.links.append((socket, socket.connect_to_server()))

    def cut(self) -> None:
        self.online = False
        self.page.context.set_offline(True)
        for page_side, server_side in self.links:
            page_side.close()
            server_side.close()
        self.links.clear()

    def restore(self) -> None:
        self.page.context.set_offline(False)
        self.online = True


def test_a_reconnecting_client_gets_what_it_missed_in_order_and_once(
    log_in: LogIn, second_member: DemoLogin, demo_server: Server, tmp_path: Path
) -> None:
    writer = log_in(second_member)
    enter_room(writer, demo_server, "grief")
    before = "Before the outage"
    send_and_see_stored(writer, before)

    reader = log_in(MEMBER)
    sockets = CuttableSockets(reader)
    enter_room(reader, demo_server, "grief")
    expect(message(reader, before)).to_have_count(1)
    mark_not_reloaded(reader)

    sockets.cut()
    expect(reader.locator("[data-status]")).to_have_attribute(
        "data-state", "reconnecting", timeout=LIVE_MS
    )
    missed = [f"Missed while away, number {n}" for n in (1, 2, 3)]
    for body in missed:
        send_and_see_stored(writer, body)
    for body in missed:
        expect(message(reader, body)).to_have_count(0)
    expect(reader.locator("[data-status]")).to_have_attribute("data-state", "reconnecting")

    sockets.restore()
    expect_live(reader, timeout=RECONNECT_MS)
    for body in missed:
        expect(message(reader, body)).to_have_count(1, timeout=LIVE_MS)
    bodies = messages(reader).locator("li [data-body]").all_inner_texts()
    assert [body for body in bodies if body in [before, *missed]] == [before, *missed]
    seqs = (
        messages(reader)
        .locator("li[data-seq]")
        .evaluate_all("items => items.map(item => Number(item.dataset.seq))")
    )
    assert seqs == sorted(set(seqs)), seqs
    assert_not_reloaded(reader)

    after = "And one more, live again"
    send(writer, after)
    expect(message(reader, after)).to_have_count(1, timeout=LIVE_MS)
    reader.screenshot(path=tmp_path / "reconnect-reader.png", full_page=True)
    writer.screenshot(path=tmp_path / "reconnect-writer.png", full_page=True)
