"""Volume basis: per prompt, or a total split by shares (money.traffic)."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest

from promptaudit.config import Config
from promptaudit.errors import UsageError
from promptaudit.money import traffic
from promptaudit.reading.prompts import Part, Prompt

DAYS = D(30)


def prompts(*names: str) -> list[Prompt]:
    return [Prompt(path, [Part("", "x")], name=name or None) for path, _, name in (n.partition("#") for n in names)]


def per_day(options, found) -> list[D]:
    return [v.requests_per_day for v in traffic.prompt_volumes(found, options, Config(), DAYS)]


def test_per_prompt_gives_every_prompt_the_figure_and_says_so():
    options = traffic.from_cli({"per_day": "10000"}, None, None, DAYS)
    volumes = traffic.prompt_volumes(prompts("a.txt", "b.txt"), options, Config(), DAYS)
    assert [(v.requests_per_day, v.origin) for v in volumes] == [(D(10000), "--per-day, per prompt")] * 2
    assert traffic.basis(options, Config()) == traffic.PER_PROMPT


def test_a_total_without_shares_is_split_equally():
    options = traffic.from_cli({}, "9000", None, DAYS)
    assert per_day(options, prompts("a.txt", "b.txt", "c.txt")) == [D(3000)] * 3
    assert traffic.basis(options, Config()) == traffic.TOTAL


def test_shares_by_file_glob_and_name_and_the_rest_split_equally():
    found = prompts("p/a.txt", "p/b.txt", "q/c.yaml#one", "q/c.yaml#two")
    options = traffic.from_cli({}, "1000", ["p/a.txt=0.5", "q/c.yaml=0.2"], DAYS)
    assert per_day(options, found) == [D(500), D(300), D(100), D(100)]  # c.yaml's share split between its prompts
    options = traffic.from_cli({}, "1000", ["p/*.txt=0.6", "q/c.yaml#two=0.3"], DAYS)
    assert per_day(options, found) == [D(300), D(300), D(100), D(300)]  # a glob's share split among its files


@pytest.mark.parametrize(
    ("shares", "message"),
    [
        (["nope.txt=0.5"], "matches no prompt"),
        (["a.txt=0.7", "b.txt=0.6"], "more than 1"),
        (["a.txt=0.5", "b.txt=0.3"], "not 1"),
        (["a.txt=1"], "leaving nothing for 1 prompt"),
        (["a.txt"], "PATTERN=SHARE"),
        (["a.txt=1.5"], "between 0 and 1"),
    ],
)
def test_shares_that_cannot_be_right_are_one_clear_error(shares, message):
    with pytest.raises(UsageError, match=message):
        options = traffic.from_cli({}, "1000", shares, DAYS)
        traffic.prompt_volumes(prompts("a.txt", "b.txt"), options, Config(), DAYS)


def test_a_total_and_a_per_prompt_volume_together_are_refused():
    with pytest.raises(UsageError, match="either --total-per-day or a per-prompt volume"):
        traffic.from_cli({"per_day": "10"}, "1000", None, DAYS)
    with pytest.raises(UsageError, match="--share needs --total-per-day"):
        traffic.from_cli({"per_day": "10"}, None, ["a.txt=1"], DAYS)


def test_config_total_and_shares(tmp_path):
    config = Config({"volume": {"total_per_day": 4000}, "traffic": {"a.txt": {"share": 0.75}}}, tmp_path / "c.yaml")
    found = [Prompt(str(tmp_path / n), [Part("", "x")]) for n in ("a.txt", "b.txt")]
    volumes = traffic.prompt_volumes(found, traffic.TrafficOptions(), config, DAYS)
    assert [v.requests_per_day for v in volumes] == [D(3000), D(1000)]
    assert traffic.basis(traffic.TrafficOptions(), config) == traffic.TOTAL
    assert Path(config.path).name in volumes[0].origin
