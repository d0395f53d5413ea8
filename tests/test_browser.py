"""A person in headless Chromium logs in as the demo member and finds help."""

from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from holdspace.accounts.roles import Role
from holdspace.core.demo import DEMO_LOGINS
from tests.conftest import Server

pytestmark = pytest.mark.browser


def test_demo_member_logs_in_sees_home_and_finds_help(
    browser: Browser, demo_server: Server, tmp_path: Path
) -> None:
    member = next(login for login in DEMO_LOGINS if login.role is Role.MEMBER)
    page = browser.new_page()
    page.goto(demo_server.url + "/")
    page.get_by_role("link", name="Log in").first.click()
    page.get_by_label("Username").fill(member.username)
    page.get_by_label("Password").fill(member.password)
    page.get_by_role("button", name="Log in").click()

    expect(page.get_by_role("heading", name=f"Welcome, {member.display_name}")).to_be_visible()
    expect(page.get_by_role("heading", name="Anxiety")).to_be_visible()
    help_link = page.get_by_role("link", name="Get help now")
    expect(help_link).to_be_visible()
    page.screenshot(path=str(tmp_path / "home.png"), full_page=True)

    help_link.click()
    expect(page.get_by_role("heading", name="Get help now")).to_be_visible()
    expect(page.get_by_text("Call your local emergency number.")).to_be_visible()
    page.close()
