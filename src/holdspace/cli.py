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
def serve(host: str, port: int, migrate: bool, access_log: bool) -> None:
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

    import uvicorn

    uvicorn.run(
        "holdspace.asgi:application",
        host=host,
        port=port,
        access_log=access_log,
        # Channels' router does not speak the lifespan protocol.
        lifespan="off",
        timeout_graceful_shutdown=10,
    )


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
