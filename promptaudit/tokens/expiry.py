"""When a run's answer stops being true by the clock alone: the next moment a price it used changes.

Prices can change at a date or at a time of day (off-peak rates), so a recorded answer that priced anything
holds only until the earliest such moment among the prices it used. ``money.schedule.place`` notes it here;
:mod:`.recording` stores it as an ``until`` dependency and :mod:`.replay` checks it against the clock.
"""

from __future__ import annotations

_EARLIEST: list[float] = []


def note(moment: float) -> None:
    """The answer being computed stops holding at Unix time ``moment`` (0: it holds for no later run, as
    when it shows a notice said only once; such a run is not recorded)."""
    if not _EARLIEST or moment < _EARLIEST[0]:
        _EARLIEST[:] = [moment]


def earliest() -> float | None:
    """The earliest moment noted in this process, or None."""
    return _EARLIEST[0] if _EARLIEST else None
