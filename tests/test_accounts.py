"""Sign-up, log-in and log-out: pseudonymous, Argon2-hashed, a member from the first minute."""

import pytest
from django.test import Client

from holdspace.accounts.actions import do_create_user, roles_of
from holdspace.accounts.models import User
from holdspace.accounts.roles import Role

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a slow river at dusk"


def sign_up(client: Client, username: str = "river", display_name: str = "Quiet River"):  # type: ignore[no-untyped-def]
    return client.post(
        "/accounts/signup/",
        {
            "username": username,
            "display_name": display_name,
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "agree": "on",
        },
    )


def test_sign_up_needs_no_real_name_or_email_and_makes_a_member(client: Client) -> None:
    response = sign_up(client)
    assert response.status_code == 302
    user = User.objects.get(username="river")
    assert user.display_name == "Quiet River"
    assert (user.first_name, user.last_name, user.email) == ("", "", "")
    assert roles_of(user) == {Role.MEMBER}
    assert user.has_perm("accounts.seek_support")
    assert not user.is_staff
    # Signed in straight away, and greeted by the chosen name.
    home = client.get("/")
    assert "Quiet River" in home.content.decode()


def test_passwords_are_hashed_with_argon2(client: Client) -> None:
    sign_up(client)
    user = User.objects.get(username="river")
    assert user.password.startswith("argon2$")
    assert NEW_PASSWORD not in user.password
    assert user.check_password(NEW_PASSWORD)


def test_display_names_are_unique_whatever_the_case(client: Client) -> None:
    sign_up(client)
    Client().post("/accounts/logout/")
    response = sign_up(Client(), username="other", display_name="  quiet   RIVER ")
    assert response.status_code == 200
    assert "already uses this name" in response.content.decode()
    assert not User.objects.filter(username="other").exists()


def test_sign_up_rejects_a_weak_password_and_keeps_what_was_typed(client: Client) -> None:
    response = client.post(
        "/accounts/signup/",
        {
            "username": "fern",
            "display_name": "Fern",
            "password1": "password",
            "password2": "password",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert not User.objects.filter(username="fern").exists()
    assert "too common" in page
    assert 'value="Fern"' in page


def test_log_in_and_log_out(client: Client) -> None:
    do_create_user("willow", "Willow", NEW_PASSWORD)
    wrong = client.post("/accounts/login/", {"username": "willow", "password": "not it at all"})
    assert wrong.status_code == 200
    assert "_auth_user_id" not in client.session

    response = client.post("/accounts/login/", {"username": "willow", "password": NEW_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"
    # Made without the sign-up form, Willow has not agreed to anything yet: asked first.
    asked = client.get("/")
    assert asked.status_code == 302 and asked["Location"].startswith("/accounts/consent/")
    page = client.get(asked["Location"]).content.decode()
    text_id = page.split('name="agree-')[1].split('"')[0]
    client.post(asked["Location"], {f"agree-{text_id}": "yes"})
    assert "Willow" in client.get("/").content.decode()

    client.post("/accounts/logout/")
    assert "_auth_user_id" not in client.session
    assert "Join Holdspace" in client.get("/").content.decode()


def test_log_out_needs_a_post(client: Client) -> None:
    user = do_create_user("willow", "Willow", NEW_PASSWORD)
    client.force_login(user)
    assert client.get("/accounts/logout/").status_code == 405
    assert "_auth_user_id" in client.session
