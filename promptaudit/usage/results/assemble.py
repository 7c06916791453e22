"""Assemble a scan into what the renderers print: one report, or a before/after comparison."""

from __future__ import annotations

from dataclasses import dataclass

from promptaudit.usage.records.aggregate import combined
from promptaudit.usage.results.compare import Change, changes
from promptaudit.usage.results.costing import PriceBook
from promptaudit.usage.results.summary import Routing, Summary, routing, summarise
from promptaudit.usage.scan import ALL, Scan


@dataclass(frozen=True)
class UsageReport:
    """The groups of one side of a scan, their total, and routing when records carried a route tag."""

    label: str
    by: str
    groups: list[Summary]
    total: Summary
    routing: Routing | None


@dataclass(frozen=True)
class Comparison:
    """Two reports (before, after) and the change in each headline metric."""

    before: UsageReport
    after: UsageReport
    changes: list[Change]


def build(scan: Scan, by: str, book: PriceBook, side: str = ALL, label: str = "all") -> UsageReport:
    """Price and summarise one side of a scan."""
    groups = scan.groups(side)
    summaries = [summarise(g, book) for g in groups]
    total = summarise(combined(groups), book)
    return UsageReport(label, by, summaries, total, routing(scan.routes, book) if side == ALL else None)


def compare(before: UsageReport, after: UsageReport) -> Comparison:
    """Compare two reports' totals."""
    return Comparison(before, after, changes(before.total, after.total))
