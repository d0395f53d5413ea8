"""The `holdspace` command. Django is set up only by the commands that need it."""

import os

import click


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "holdspace.settings")
    import django

    django.setup()


def _pending_migrations() -> bool:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="holdspace")
def main() -> None:
    """Holdspace: ethical peer support for mental health, self-hosted."""


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Port."
)
@click.option(
    "--migrate/--no-migrate",
    default=True,
    show_default=True,
    help="Apply pending database migrations first. Turn off when several workers share a "
    "database and migrations run as their own step.",
)
@click.option(
    "--access-log/--no-access-log",
    default=False,
    show_default=True,
    help="Log one line per request. Off by default: request lines carry people's addresses.",
)
@click.option(
    "--with-worker/--without-worker",
    default=False,
    show_default=True,
    help="Also run the background worker (escalating unacknowledged cases) as a child process. "
    "On several machines, run `holdspace worker` on its own instead.",
)
def serve(host: str, port: int, migrate: bool, access_log: bool, with_worker: bool) -> None:
    """Serve Holdspace over HTTP and WebSocket, static files included. Ctrl-C stops it."""
    _setup_django()
    from django.core.management import call_command
    from django.db.utils import OperationalError

    if migrate:
        try:
            call_command("migrate", interactive=False, verbosity=1)
        except OperationalError as error:
            raise click.ClickException(
                f"Cannot reach the database to migrate it ({error}). Check DATABASE_URL, or "
                "start with --no-migrate to serve the crisis page and /healthz meanwhile."
            ) from error

    import subprocess
    import sys

    import uvicorn

    from holdspace.coach import coach
    from holdspace.safety import screen

    # Load the models now, not on the first message: a member in crisis should not wait for
    # the model files to load while others' messages queue behind theirs.
    screen("warming up")
    coach("warming up", seeker="warming up")

    child = subprocess.Popen([sys.executable, "-m", "holdspace", "worker"]) if with_worker else None
    try:
        uvicorn.run(
            "holdspace.asgi:application",
            host=host,
            port=port,
            access_log=access_log,
            # Channels' router does not speak the lifespan protocol.
            lifespan="off",
            timeout_graceful_shutdown=10,
        )
    finally:
        if child is not None:
            child.terminate()
            child.wait(timeout=30)


@main.command("new-key")
def new_key() -> None:
    """Print a new encryption key, to put first in HOLDSPACE_ENCRYPTION_KEYS or the key file."""
    from cryptography.fernet import Fernet

    click.echo(Fernet.generate_key().decode("ascii"))


@main.command("rotate-keys")
def rotate_keys() -> None:
    """Re-encrypt stored text with the first key, so that older keys can be dropped."""
    _setup_django()
    from holdspace.core.crypto import rotate_all

    click.echo(f"{rotate_all()} stored values re-encrypted with the first key.")


@main.command()
@click.option("--dry-run", is_flag=True, help="Say what would be deleted; delete nothing.")
def purge(dry_run: bool) -> None:
    """Delete what is past its retention period (the worker also does this once a day)."""
    _setup_django()
    from holdspace.privacy.retention import dry_run as plan
    from holdspace.privacy.retention import purge as run

    rows = plan() if dry_run else run()
    verb = "would delete" if dry_run else "deleted"
    for row in rows:
        click.echo(f"{verb} {row.count:>7} {row.what} (kept {row.keep_days} days)")


@main.command()
def worker() -> None:
    """Run background jobs (escalating cases nobody acknowledged in time). Ctrl-C stops it."""
    _setup_django()
    from django.core.management import call_command

    from holdspace.privacy.tasks import schedule_purge

    schedule_purge()
    call_command("db_worker", interval=1.0)


@main.command()
def demo() -> None:
    """Load the demo community: topic rooms and one login per role. Safe to run twice."""
    _setup_django()
    from holdspace.core.demo import DemoRefused, do_load_demo_community

    if _pending_migrations():
        raise click.ClickException("The database is not migrated: run `holdspace manage migrate`.")
    try:
        report = do_load_demo_community()
    except DemoRefused as error:
        raise click.ClickException(str(error)) from error
    click.echo(
        f"Demo community ready ({report.rooms_created} rooms and "
        f"{len(report.logins_created)} logins created now)."
    )
    click.echo("Log in at http://127.0.0.1:8000/accounts/login/ with:")
    for login in report.logins:
        click.echo(f"  {login.role.value:<13} {login.username:<18} {login.password}")


@main.command(
    context_settings={"ignore_unknown_options": True, "help_option_names": []},
    add_help_option=False,
)
@click.argument("arguments", nargs=-1, type=click.UNPROCESSED)
def manage(arguments: tuple[str, ...]) -> None:
    """Run a Django management command: migrate, createsuperuser, check, ..."""
    _setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["holdspace manage", *arguments])


def _render_evidence(text: str, spans: list[tuple[int, int]]) -> str:
    pieces, last = [], 0
    for start, end in sorted(spans):
        if start < last:
            continue
        pieces.append(text[last:start])
        pieces.append(click.style(f"[{text[start:end]}]", fg="red", bold=True, underline=True))
        last = end
    pieces.append(text[last:])
    return "".join(pieces)


@main.command()
@click.argument("text", required=False)
@click.option("--jsonl", is_flag=True, help="Read JSON Lines on stdin, write one result per line.")
@click.option(
    "--locale",
    default=None,
    help="Locale or country for crisis resources, e.g. en-GB, es-MX. In --jsonl mode, the "
    "default for lines without their own locale.",
)
def screen(text: str | None, jsonl: bool, locale: str | None) -> None:
    """Screen a member message for risk: level, categories, evidence, crisis resources.

    With --jsonl, each input line is {"id": ..., "text": ..., "locale": ...} (locale optional);
    a bad line gets {"id": ..., "error": ...}, the run goes on, and the exit status is 1.
    """
    import sys

    from holdspace.safety import screen_many
    from holdspace.safety.jsonl import run

    if jsonl:

        def handle(requests: list[dict]) -> list[dict]:  # type: ignore[type-arg]
            results = screen_many(
                [r["text"] for r in requests],
                [r.get("locale") if isinstance(r.get("locale"), str) else locale for r in requests],
            )
            return [result.as_dict() for result in results]

        sys.exit(run(sys.stdin.buffer, sys.stdout, "text", handle))
    if text is None:
        raise click.UsageError("give a message to screen, or --jsonl to read JSON Lines on stdin")
    result = screen_many([text], [locale])[0]
    spans = [span for category in result.categories for span in category.evidence]
    click.echo(
        f"level:       {click.style(result.level.label, bold=True)}  (score {result.score:.3f})"
    )
    click.echo(
        f"language:    {result.language}" + ("   DEGRADED: rules only" if result.degraded else "")
    )
    worried = "yes: the writer is worried about someone else" if result.third_party else "no"
    click.echo(f"third party: {worried}")
    for category in result.categories:
        click.echo(f"category:    {category.name} ({category.level.label})")
    click.echo(f"message:     {_render_evidence(text, spans)}")
    if result.resources:
        click.echo("resources shown:")
        for resource in result.resources:
            details = ", ".join(
                part
                for part in (resource.phone, resource.text, resource.url, resource.hours)
                if part
            )
            click.echo(f"  - {resource.name}: {details}")


@main.command("coach")
@click.argument("draft", required=False)
@click.option("--to", "seeker", default=None, help="The member's message the draft answers.")
@click.option(
    "--invited",
    is_flag=True,
    help="The member invited the supporter to share their own experience.",
)
@click.option(
    "--locale",
    default=None,
    help="Locale or country for the crisis line named in suggestions, e.g. en-GB. In --jsonl "
    "mode, the default for lines without their own locale.",
)
@click.option("--jsonl", is_flag=True, help="Read JSON Lines on stdin, write one result per line.")
def coach_command(
    draft: str | None, seeker: str | None, invited: bool, locale: str | None, jsonl: bool
) -> None:
    """Coach a supporter's draft: empathy, strategy, advice, and what crosses a line.

    With --jsonl, each input line is {"id": ..., "response": ..., "seeker": ...,
    "disclosure_invited": false, "locale": ...} (all but response optional); a bad line gets
    {"id": ..., "error": ...}, the run goes on, and the exit status is 1.
    """
    import sys

    from holdspace.coach import DraftRequest, coach_many
    from holdspace.safety.jsonl import run

    if jsonl:

        def handle(requests: list[dict]) -> list[dict]:  # type: ignore[type-arg]
            batch = [
                DraftRequest(
                    draft=r["response"],
                    seeker=r.get("seeker") if isinstance(r.get("seeker"), str) else None,
                    disclosure_invited=r.get("disclosure_invited") is True,
                    locale=r.get("locale") if isinstance(r.get("locale"), str) else locale,
                )
                for r in requests
            ]
            return [result.as_dict() for result in coach_many(batch)]

        sys.exit(run(sys.stdin.buffer, sys.stdout, "response", handle))
    if draft is None:
        raise click.UsageError("give a draft to coach, or --jsonl to read JSON Lines on stdin")
    result = coach_many([DraftRequest(draft, seeker, invited, locale)])[0]
    verdicts = {"send": "green", "revise": "yellow", "hold": "red"}
    click.echo(
        "verdict:     "
        + click.style(result.verdict, fg=verdicts[result.verdict], bold=True)
        + ("   DEGRADED: rules only" if result.degraded else "")
    )
    click.echo(f"draft:       {_render_evidence(draft, [f.span for f in result.flags])}")
    for flag in result.flags:
        click.echo(
            f"- {click.style(flag.severity.upper(), bold=True)} {flag.code}: "
            f'"{draft[flag.span[0] : flag.span[1]]}"'
        )
        click.echo(f"    why:     {flag.message}")
        click.echo(f"    instead: {flag.suggestion}")
    for note in result.strengths:
        click.echo(f"+ {note}")
    if result.degraded:
        click.echo("empathy, strategy, advice: not available (the models did not load)")
    else:
        levels = ", ".join(
            f"{name.replace('_', ' ')} {level}" for name, level in result.empathy.levels.items()
        )
        click.echo(f"empathy:     {levels}  (0 none, 1 weak, 2 strong)")
        top = sorted(result.strategies.items(), key=lambda kv: -kv[1])[:3]
        click.echo("strategy:    " + ", ".join(f"{name} {p:.2f}" for name, p in top))
        click.echo(f"advice:      {result.advice:.2f}")
    if result.seeker_level is not None:
        click.echo(f"member's message screened: {result.seeker_level}")


DATA_OPTION = click.option(
    "--data",
    "data_dir",
    type=click.Path(exists=True, file_okay=False),
    required=True,
    help="The shared data folder (with sdcnl/, esconv/, epitome/, annomi/).",
)


CASES_OPTION = click.option(
    "--cases",
    "cases_dir",
    type=click.Path(exists=True, file_okay=False),
    default="tests/coach",
    show_default=True,
    help="The folder of the hand-labelled drafts (cases*.jsonl) the flag heads learn from.",
)


@main.group()
def train() -> None:
    """Train a shipped model from the labelled data in ../shared/data."""


@train.command("risk")
@DATA_OPTION
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False),
    default=None,
    help="Where to write the artefact; default: the package's safety/data folder.",
)
def train_risk(data_dir: str, out_dir: str | None) -> None:
    """Train the risk classifier and write its artefact and model card."""
    from pathlib import Path

    from holdspace.safety.training import train_risk as fit

    target = Path(out_dir) if out_dir else Path(__file__).parent / "safety" / "data"
    metrics = fit(Path(data_dir), target)
    click.echo(f"wrote the risk model to {target}")
    for name, value in metrics.items():
        click.echo(f"  {name}: {value}")


@train.command("coach")
@DATA_OPTION
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False),
    default=None,
    help="Where to write the artefact; default: the package's coach/data folder.",
)
@CASES_OPTION
def train_coach(data_dir: str, out_dir: str | None, cases_dir: str) -> None:
    """Train the coach's models (empathy, strategies, advice, self-disclosure) and write their
    artefact and model card. Cross-validates first, for the card's figures and thresholds."""
    from pathlib import Path

    from holdspace.coach.training import train_coach as fit

    target = Path(out_dir) if out_dir else Path(__file__).parent / "coach" / "data"
    metrics = fit(Path(data_dir), Path(cases_dir), target)
    click.echo(f"wrote the coach models to {target}")
    for name, value in metrics.items():
        click.echo(f"  {name}: {value}")


@main.group("eval")
def evaluate() -> None:
    """Cross-validated figures of a model on the labelled data."""


@evaluate.command("risk")
@DATA_OPTION
def eval_risk(data_dir: str) -> None:
    """AUC, recall and false-alarm rate at the `high` and `concern` thresholds, per data set."""
    from pathlib import Path

    from holdspace.safety.training import evaluate_risk

    _table(evaluate_risk(Path(data_dir)))


def _table(rows: list[dict]) -> None:  # type: ignore[type-arg]
    columns = list(dict.fromkeys(c for row in rows for c in row))
    widths = [max(len(str(c)), *(len(_cell(r.get(c))) for r in rows)) for c in columns]
    click.echo("  ".join(str(c).ljust(w) for c, w in zip(columns, widths, strict=True)))
    for row in rows:
        click.echo(
            "  ".join(_cell(row.get(c)).ljust(w) for c, w in zip(columns, widths, strict=True))
        )


@evaluate.command("coach")
@DATA_OPTION
@CASES_OPTION
def eval_coach(data_dir: str, cases_dir: str) -> None:
    """Cross-validated dev figures of each coach model (takes a few minutes)."""
    from pathlib import Path

    from holdspace.coach.training import evaluate_coach

    rows = evaluate_coach(Path(data_dir), Path(cases_dir))
    _table(rows)


@evaluate.command("cases")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def eval_cases(path: str) -> None:
    """Screen labelled cases (JSON Lines as tests/safety/cases.jsonl) and report by rule."""
    from pathlib import Path

    from holdspace.safety import screen_many
    from holdspace.safety.cases import load_cases, report

    cases = load_cases(Path(path))
    results = screen_many([c["text"] for c in cases], [c.get("locale") for c in cases])
    passed, lines = report(cases, results)
    click.echo(f"{passed}/{len(cases)} cases right ({passed / len(cases):.1%})")
    click.echo("\n".join(lines))


def _cell(value: object) -> str:
    if value is None:
        return "-"
    return f"{value:.3f}" if isinstance(value, float) else str(value)
