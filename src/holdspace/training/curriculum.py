"""The curriculum shipped as files: Markdown modules and TOML quizzes, loaded into the database.

`curriculum/index.toml` lists the modules in order. Each module is `<slug>.md` (its first line is
the title) and `<slug>.quiz.toml`. Admins edit the loaded copies in the admin; loading again only
adds modules that are missing, so their edits stay.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources
from typing import Any

from django.db import transaction

CURRICULUM = "curriculum"


class CurriculumError(ValueError):
    """A shipped module or quiz file is malformed; the message names the file and the problem."""


@dataclass(frozen=True)
class ModuleFile:
    slug: str
    title: str
    body: str
    required: bool
    questions: list[dict[str, Any]]


def shipped_modules() -> list[ModuleFile]:
    folder = resources.files("holdspace.training") / CURRICULUM
    index = tomllib.loads((folder / "index.toml").read_text("utf-8"))
    modules = []
    for entry in index["modules"]:
        slug = entry["slug"]
        text = (folder / f"{slug}.md").read_text("utf-8")
        title, _, body = text.partition("\n")
        if not title.startswith("# "):
            raise CurriculumError(f"{slug}.md: the first line must be '# <title>'")
        quiz = tomllib.loads((folder / f"{slug}.quiz.toml").read_text("utf-8"))
        questions = quiz.get("questions", [])
        _check_quiz(slug, questions)
        modules.append(
            ModuleFile(
                slug, title[2:].strip(), body.strip(), entry.get("required", True), questions
            )
        )
    return modules


def _check_quiz(slug: str, questions: list[dict[str, Any]]) -> None:
    if len(questions) < 8:
        raise CurriculumError(f"{slug}.quiz.toml: a quiz needs at least 8 questions")
    for number, question in enumerate(questions, 1):
        answers = question.get("answers", [])
        if sum(bool(a.get("correct")) for a in answers) != 1:
            raise CurriculumError(f"{slug}.quiz.toml question {number}: exactly one correct answer")
        if not all(str(a.get("explanation", "")).strip() for a in answers):
            raise CurriculumError(f"{slug}.quiz.toml question {number}: explain every answer")


@transaction.atomic
def load_modules(modules: list[ModuleFile]) -> int:
    """Create the modules whose slug is not in the database yet; return how many."""
    from holdspace.training.models import Answer, Module, Question

    existing = set(Module.objects.values_list("slug", flat=True))
    created = 0
    for order, found in enumerate(modules, 1):
        if found.slug in existing:
            continue
        module = Module.objects.create(
            slug=found.slug,
            title=found.title,
            order=order,
            body=found.body,
            required=found.required,
        )
        for q_order, question in enumerate(found.questions, 1):
            saved = Question.objects.create(
                module=module,
                order=q_order,
                scenario=question["scenario"].strip(),
                prompt=question.get("prompt", "What is the best response?").strip(),
            )
            Answer.objects.bulk_create(
                Answer(
                    question=saved,
                    order=a_order,
                    text=answer["text"].strip(),
                    correct=bool(answer.get("correct")),
                    explanation=answer["explanation"].strip(),
                )
                for a_order, answer in enumerate(question["answers"], 1)
            )
        created += 1
    return created


def load_missing_modules(**_: object) -> None:
    load_modules(shipped_modules())
