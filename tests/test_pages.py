"""The first pages: calm, a way to help on every one, and a crisis page that needs no database."""

import pytest
from django.template.loader import render_to_string
from django.test import Client

from holdspace.accounts.actions import do_create_user

HELP_LINK = '<a class="get-help" href="/help/">Get help now</a>'


def test_crisis_page_renders_without_touching_the_database(client: Client) -> None:
    # No django_db mark: pytest-django fails any database access in this test.
    response = client.get("/help/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Call your local emergency number." in page
    assert 'href="https://findahelpline.com/"' in page
    assert "not an emergency service" in page


def test_crisis_page_needs_no_database_for_a_signed_in_person_either(client: Client) -> None:
    client.cookies["sessionid"] = "a-session-the-database-would-have-to-look-up"
    assert client.get("/help/").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/", "/accounts/login/", "/accounts/signup/", "/help/", "/nowhere/"]
)
def test_every_page_has_the_get_help_now_link(client: Client, path: str) -> None:
    assert HELP_LINK in client.get(path).content.decode()


@pytest.mark.django_db
def test_signed_in_home_has_the_link_too(client: Client) -> None:
    moss = do_create_user("moss", "Moss", "a slow river at dusk")
    # Even before agreeing to the consent texts, the page that asks for it has the link.
    client.force_login(moss)
    assert HELP_LINK in client.get("/", follow=True).content.decode()


def test_server_error_page_points_to_the_crisis_lines() -> None:
    page = render_to_string("500.html")
    assert 'href="/help/"' in page
    assert "Get help now" in page


@pytest.mark.django_db
def test_pages_that_need_a_login_send_strangers_to_it(client: Client) -> None:
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "login" in response["Location"]


@pytest.mark.django_db
def test_pages_are_accessible_landmarks(client: Client) -> None:
    page = client.get("/").content.decode()
    assert '<html lang="en">' in page
    assert 'href="#main"' in page and '<main id="main"' in page
    assert '<meta name="viewport"' in page
