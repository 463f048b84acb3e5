"""The command line: the quick path taken to open the app reads it exactly as the full parser."""

from __future__ import annotations

import pytest

from closer_desktop.cli import build_parser, parse_args


@pytest.mark.parametrize(
    "argv",
    [[], ["--data-dir", "recordings"], ["--data-dir", "~/My Library"], ["--data-dir", "x y"]],
)
def test_opening_the_app_parses_as_the_full_parser(argv: list[str]) -> None:
    assert vars(parse_args(argv)) == vars(build_parser().parse_args(argv))


@pytest.mark.parametrize(
    "argv",
    [
        ["--data-dir", "d", "export"],
        ["export", "--data-dir", "d"],
        ["--data-dir=d"],
        ["--self-check"],
        ["deck", "list"],
    ],
)
def test_everything_else_goes_through_the_full_parser(argv: list[str]) -> None:
    assert vars(parse_args(argv)) == vars(build_parser().parse_args(argv))


def test_mistakes_keep_the_full_parsers_messages(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        parse_args(["exprot"])
    assert exited.value.code == 2
    assert "invalid choice: 'exprot'" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        parse_args(["--data-dir"])
    assert "expected one argument" in capsys.readouterr().err
