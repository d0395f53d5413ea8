"""Which consent texts a person still has to agree to, and recording that they did."""

from importlib import resources

from django.db import transaction

from holdspace.accounts.models import Consent, ConsentText, User


def current_texts() -> dict[str, ConsentText]:
    latest: dict[str, ConsentText] = {}
    for text in ConsentText.objects.order_by("kind", "-version"):
        latest.setdefault(text.kind, text)
    return latest


def kinds_for(user: User) -> list[str]:
    kinds = [ConsentText.Kind.MEMBER.value]
    if user.has_perm("accounts.offer_support"):
        kinds.append(ConsentText.Kind.SUPPORTER.value)
    return kinds


def missing_consents(user: User) -> list[ConsentText]:
    latest = current_texts()
    wanted = [latest[kind] for kind in kinds_for(user) if kind in latest]
    given = set(Consent.objects.filter(user=user).values_list("text_id", flat=True))
    return [text for text in wanted if text.pk not in given]


@transaction.atomic
def do_give_consent(user: User, texts: list[ConsentText]) -> None:
    for text in texts:
        Consent.objects.get_or_create(user=user, text=text)


def load_first_versions(**_: object) -> None:
    """A fresh install starts with the shipped texts as version 1; admins add later versions."""
    folder = resources.files("holdspace.accounts") / "consent"
    for kind in ConsentText.Kind:
        if not ConsentText.objects.filter(kind=kind).exists():
            body = (folder / f"{kind.value}.md").read_text("utf-8")
            ConsentText.objects.create(kind=kind, version=1, body=body)
