"""Message bodies, case notes, debriefs and feedback are encrypted at rest; keys rotate."""

import os
import stat
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import override_settings

from holdspace import config
from holdspace.core.crypto import UnreadableText, encrypted_fields, rotate_all
from holdspace.messaging.actions import Posted, do_post_message
from holdspace.messaging.models import Message
from tests.people import person, room

SECRET = "my sister doesn't know about the debt"


def stored_body(message_id: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT body FROM messaging_message WHERE id = %s", [message_id])
        return cursor.fetchone()[0]


def post(text: str = SECRET) -> Message:
    member = person()
    result = do_post_message(member, room("anxiety", member).thread, text)
    assert isinstance(result, Posted)
    return result.message


@pytest.mark.django_db
def test_the_database_holds_a_token_and_the_app_reads_the_text() -> None:
    message = post()
    raw = stored_body(message.pk)
    assert SECRET not in raw and "debt" not in raw
    assert Message.objects.get(pk=message.pk).body == SECRET
    assert {(m.__name__, f) for m, f in encrypted_fields()} == {
        ("Message", "body"),
        ("EscalationNote", "body"),
        ("Debrief", "reflection"),
        ("Feedback", "comment"),
        ("Appeal", "text"),
        ("Referral", "follow_up_note"),
    }


@pytest.mark.django_db
def test_keys_rotate_without_downtime(settings) -> None:  # type: ignore[no-untyped-def]
    old = settings.HOLDSPACE_ENCRYPTION_KEYS[0]
    message = post()
    new = Fernet.generate_key().decode()
    # Step 1: the new key goes first; what the old one wrote still reads.
    with override_settings(HOLDSPACE_ENCRYPTION_KEYS=[new, old]):
        assert Message.objects.get(pk=message.pk).body == SECRET
        assert rotate_all() >= 1
        assert rotate_all() == 0  # everything is on the new key now
    # Step 2: the old key is dropped.
    with override_settings(HOLDSPACE_ENCRYPTION_KEYS=[new]):
        assert Message.objects.get(pk=message.pk).body == SECRET
    assert Fernet(new.encode()).decrypt(stored_body(message.pk).encode()).decode() == SECRET


@pytest.mark.django_db
def test_a_missing_key_is_a_clear_error_not_garbage() -> None:
    message = post()
    with (
        override_settings(HOLDSPACE_ENCRYPTION_KEYS=[Fernet.generate_key().decode()]),
        pytest.raises(UnreadableText),
    ):
        Message.objects.get(pk=message.pk)


def test_the_key_file_is_made_once_private_and_outside_the_database(tmp_path: Path) -> None:
    keys = config.encryption_keys({}, tmp_path)
    path = tmp_path / "encryption.keys"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert config.encryption_keys({}, tmp_path) == keys
    from_env = config.encryption_keys({"HOLDSPACE_ENCRYPTION_KEYS": f" {keys[0]} , "}, tmp_path)
    assert from_env == keys
    with pytest.raises(config.ConfigurationError, match="not a Fernet key"):
        config.encryption_keys({"HOLDSPACE_ENCRYPTION_KEYS": "not-a-key"}, tmp_path)


@pytest.mark.django_db(transaction=True)
def test_the_migration_encrypts_what_was_stored_before_it() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate([("messaging", "0001_initial")])
    old_state = executor.loader.project_state([("messaging", "0001_initial")]).apps
    member = person()
    thread = old_state.get_model("messaging", "Thread").objects.create(kind="room")
    plain = old_state.get_model("messaging", "Message").objects.create(
        thread_id=thread.pk, seq=1, author_id=member.pk, body=SECRET
    )
    assert stored_body(plain.pk) == SECRET

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert stored_body(plain.pk) != SECRET
    assert Message.objects.get(pk=plain.pk).body == SECRET


@pytest.mark.django_db(transaction=True)
def test_rotation_from_the_command_line(settings) -> None:  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    from holdspace.cli import main

    message = post()
    new = CliRunner().invoke(main, ["new-key"]).output.strip()
    Fernet(new.encode())  # a valid key
    with override_settings(HOLDSPACE_ENCRYPTION_KEYS=[new, *settings.HOLDSPACE_ENCRYPTION_KEYS]):
        result = CliRunner().invoke(main, ["rotate-keys"])
    assert result.exit_code == 0 and result.output.startswith("1 stored values")
    assert Fernet(new.encode()).decrypt(stored_body(message.pk).encode()).decode() == SECRET
