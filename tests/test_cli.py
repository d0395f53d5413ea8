"""The `holdspace` command and its help."""

import pytest
from click.testing import CliRunner

from holdspace.cli import main
from tests.conftest import holdspace


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        ([], ["serve", "demo", "manage"]),
        (["serve"], ["--host", "--port", "--no-migrate", "Ctrl-C"]),
        (["demo"], ["one login per role"]),
    ],
)
def test_every_command_explains_itself(arguments: list[str], expected: list[str]) -> None:
    result = CliRunner().invoke(main, [*arguments, "--help"])
    assert result.exit_code == 0
    for word in expected:
        assert word in result.output


def test_manage_passes_help_and_commands_through_to_django(server_env: dict[str, str]) -> None:
    listing = holdspace("manage", "--help", env=server_env)
    assert "migrate" in listing.stdout and "createsuperuser" in listing.stdout
    check = holdspace("manage", "check", env=server_env)
    assert "no issues" in check.stdout


def test_serve_rejects_a_port_out_of_range() -> None:
    result = CliRunner().invoke(main, ["serve", "--port", "70000"])
    assert result.exit_code == 2
    assert "70000" in result.output
