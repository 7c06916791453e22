"""Share and token-count parsing used by ``project`` options."""

from __future__ import annotations

from decimal import Decimal

import pytest

from promptaudit.errors import UsageError
from promptaudit.money import volume


@pytest.mark.parametrize("value, expected", [("0", Decimal(0)), ("0.25", Decimal("0.25")), ("1", Decimal(1))])
def test_fraction_accepts_zero_to_one(value, expected):
    assert volume.fraction(value, "--x") == expected


@pytest.mark.parametrize("value", ["-0.1", "1.01", "half", "inf"])
def test_fraction_rejects_the_rest(value):
    with pytest.raises(UsageError, match="--x"):
        volume.fraction(value, "--x")


def test_token_count_bounds():
    assert volume.token_count("1_000", "--t") == 1000
    for bad in ("-1", "1.5", "1e12", "many"):
        with pytest.raises(UsageError, match="--t"):
            volume.token_count(bad, "--t")
    with pytest.raises(UsageError, match="between 1 and"):
        volume.token_count("0", "--t", 1)
