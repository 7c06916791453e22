"""Command-line options that several commands share, each declared once so its spelling and help agree.

Traffic options say their *volume basis*: ``--rps/--rpm/--per-day/--per-month`` are per prompt (a folder of
four prompts sends four times as many requests), ``--total-per-day`` is the total split by ``--share``
(docs/prices.md). Model options say that ``--model`` replaces the model each file or SDK call names.
"""

from __future__ import annotations

from typing import Annotated

import typer

Opt = typer.Option
ExtOption = Annotated[list[str] | None, Opt("--ext", help="Extension to pick from directories; repeatable.")]
RpsOption = Annotated[str | None, Opt("--rps", help="Requests per second for each prompt (per prompt).")]
RpmOption = Annotated[str | None, Opt("--rpm", help="Requests per minute for each prompt (per prompt).")]
PerDayOption = Annotated[
    str | None,
    Opt("--per-day", help="Requests per day for each prompt (per prompt: 4 prompts send 4x); see --total-per-day."),
]
PerMonthOption = Annotated[str | None, Opt("--per-month", help="Requests per month for each prompt (per prompt).")]
TotalPerDayOption = Annotated[
    str | None,
    Opt("--total-per-day", help="Requests per day in all, split among the prompts by --share (else equally)."),
]
ShareOption = Annotated[
    list[str] | None,
    Opt("--share", help="PATTERN=SHARE: a prompt's, file's or glob's share (0-1) of --total-per-day; repeatable."),
]
ModelsOption = Annotated[
    list[str] | None,
    Opt(
        "--model",
        "-m",
        help="Model instead of the one each file names (prompts naming none: config, else "
        "gpt-4o); repeat for side by side.",
    ),  # fmt: skip
]
ModelOption = Annotated[
    str | None,
    Opt("--model", "-m", help="Model instead of the one each file names (prompts naming none: config, else gpt-4o)."),
]
