"""What an apply did: one Outcome per unit of work, and the final report built from them."""

from __future__ import annotations

import enum
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from reconciler.model import money

_EPOCH_SUFFIX = re.compile(r"\s*\(\d{10,}(?: s)?\)\s*$")


class Status(enum.Enum):
    DONE = "done"
    FAILED = "failed"
    NOT_STARTED = "not started"


@dataclass(frozen=True)
class Outcome:
    """The result of one change (or one HIT type resolution)."""

    address: str
    action: str
    status: Status
    cost: Decimal = Decimal("0.00")
    kind: str = ""
    code: str | None = None
    message: str | None = None
    detail: str | None = None  # e.g. the HIT ID created or adopted


@dataclass(frozen=True)
class ReadbackIssue:
    """A change reported done whose effect the read-back did not find."""

    address: str
    action: str
    problem: str


@dataclass
class ApplyReport:
    """Everything the final summary says, and the exit code it implies."""

    target: str
    outcomes: list[Outcome] = field(default_factory=list)
    readback: list[ReadbackIssue] = field(default_factory=list)
    readback_done: bool = False
    interrupted: bool = False
    throttled_calls: int = 0
    unreachable: bool = False  # apply stopped itself: MTurk stopped answering

    @property
    def changes(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.kind != "hit_type"]

    @property
    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status is Status.FAILED]

    @property
    def not_started(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status is Status.NOT_STARTED]

    @property
    def committed(self) -> Decimal:
        """The estimated cost of the changes carried out (what the account is now liable for)."""
        return money(sum((o.cost for o in self.changes if o.status is Status.DONE), Decimal("0")))

    @property
    def succeeded(self) -> bool:
        return not self.interrupted and not self.failures and not self.not_started and not self.readback

    def exit_code(self) -> int:
        if self.interrupted and not self.unreachable:
            return 130
        return 0 if self.succeeded else 1

    def counts(self) -> dict[str, Counter[Status]]:
        table: dict[str, Counter[Status]] = {}
        for outcome in self.changes:
            kind = outcome.kind.replace("_", " ")
            label = outcome.action if outcome.action == outcome.kind else f"{outcome.action} {kind}".strip()
            table.setdefault(label, Counter())[outcome.status] += 1
        return table


def clean_message(message: str | None) -> str:
    """An MTurk message without its trailing "(<epoch-ms>)" noise."""
    return _EPOCH_SUFFIX.sub("", message or "").strip()


def render_report(report: ApplyReport) -> str:
    """The plain-text summary printed at the end of every apply."""
    lines = [""]
    if report.unreachable:
        lines.append("MTurk stopped answering (calls in a row could not connect), so apply stopped taking new "
                     "work; the calls in flight finished.")
    elif report.interrupted:
        lines.append("Interrupted: the calls in flight finished; nothing else was started.")
    table = report.counts()
    if table:
        width = max(len(a) for a in table)
        lines.append("Apply results:")
        for action in sorted(table):
            c = table[action]
            lines.append(
                f"  {action:<{width}}  {c[Status.DONE]} done, {c[Status.FAILED]} failed, {c[Status.NOT_STARTED]} not started"
            )
    lines.append(f"Money committed: ${report.committed:,} (estimated).")
    if report.throttled_calls:
        lines.append(f"MTurk throttled {report.throttled_calls} call(s); apply waited and retried them.")
    lines.extend(_failure_lines(report))
    if report.readback:
        lines.append("Read back: these changes did not take effect:")
        lines.extend(f"  {i.address} ({i.action}): {i.problem}" for i in report.readback)
    elif report.readback_done:
        lines.append("Read back: every change took effect.")
    lines.append(_verdict(report))
    return "\n".join(lines)


def _failure_lines(report: ApplyReport) -> list[str]:
    lines = []
    if report.failures:
        lines.append("Failures:")
        lines.extend(f"  {o.address} ({o.action}): {o.code}: {clean_message(o.message)}" for o in report.failures)
    why = Counter(clean_message(o.message) for o in report.not_started if o.message)
    for message, count in sorted(why.items()):
        lines.append(f"Not started ({count}): {message}")
    return lines


def _verdict(report: ApplyReport) -> str:
    if report.succeeded:
        return "Apply complete."
    if report.unreachable:
        return ("Apply stopped: MTurk could not be reached. Run `reconciler apply` again when it answers; "
                "nothing will be posted twice.")
    if report.interrupted:
        return "Apply stopped. Run `reconciler apply` again to finish the rest; nothing will be posted twice."
    return "Apply finished with problems. Fix them and run `reconciler apply` again; what was done will not be repeated."
