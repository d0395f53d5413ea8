"""Encryption at rest for what people write: MultiFernet with keys kept outside the database.

Keys come from HOLDSPACE_ENCRYPTION_KEYS (comma-separated) or a key file (HOLDSPACE_KEY_FILE,
by default `var/encryption.keys`, made on first start). The first key encrypts; all decrypt.
Rotation without downtime: put a new key first, restart the workers, run
`holdspace rotate-keys`, then drop the old key.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models


class UnreadableText(Exception):
    """Stored text that none of the configured keys can decrypt: a key is missing."""


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.encode("ascii")) for key in keys])


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.HOLDSPACE_ENCRYPTION_KEYS))


def encrypt(text: str) -> str:
    return fernet().encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, ValueError) as error:
        raise UnreadableText("stored text cannot be decrypted with the configured keys") from error


def rotate(token: str) -> str:
    return fernet().rotate(token.encode("ascii")).decode("ascii")


class EncryptedTextField(models.TextField):  # type: ignore[type-arg]
    """Text stored as a Fernet token. Not searchable or sortable in the database, by design."""

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        return None if value is None else encrypt(str(value))

    def from_db_value(
        self, value: str | None, expression: object, connection: object
    ) -> str | None:
        return None if value is None else decrypt(value)


def encrypted_fields() -> list[tuple[type[models.Model], str]]:
    from django.apps import apps

    return [
        (model, field.name)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, EncryptedTextField)
    ]


def rotate_all(batch: int = 500) -> int:
    """Re-encrypt with the first key every stored value it cannot read; returns how many."""
    primary = Fernet(settings.HOLDSPACE_ENCRYPTION_KEYS[0].encode("ascii"))
    changed = 0
    for model, name in encrypted_fields():
        # Read the stored tokens as they are, not decrypted: rotate them without seeing the text.
        rows = model._default_manager.values_list(
            "pk", models.functions.Cast(name, models.TextField())
        )
        for pk, token in rows.iterator(chunk_size=batch):
            if token is None or _readable(primary, token):
                continue
            model._default_manager.filter(pk=pk).update(**{name: _Raw(rotate(token))})
            changed += 1
    return changed


def _readable(key: Fernet, token: str) -> bool:
    try:
        key.decrypt(token.encode("ascii"))
    except InvalidToken:
        return False
    return True


def encrypt_column(model: type[models.Model], name: str) -> None:
    """For a migration: encrypt the plain text a historical model still reads as plain text."""
    for pk, text in model._default_manager.values_list("pk", name).iterator():
        if text is not None:
            model._default_manager.filter(pk=pk).update(**{name: encrypt(text)})


def decrypt_column(model: type[models.Model], name: str) -> None:
    for pk, token in model._default_manager.values_list("pk", name).iterator():
        if token is not None:
            model._default_manager.filter(pk=pk).update(**{name: decrypt(token)})


class _Raw(models.Value):  # type: ignore[type-arg]
    """A value written as it is, past the field's own encryption."""

    def __init__(self, token: str) -> None:
        super().__init__(token, output_field=models.TextField())
