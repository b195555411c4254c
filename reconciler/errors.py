"""Errors with user-facing messages. The CLI turns each into one line and an exit code."""

from __future__ import annotations

from dataclasses import dataclass


class ReconcilerError(Exception):
    """Base of every error the CLI reports as one sentence (never a traceback)."""

    exit_code = 1

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class Location:
    """Where in a manifest (or data/template file) something is. Lines and columns are 1-based."""

    file: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        parts = [self.file]
        if self.line is not None:
            parts.append(str(self.line))
            parts.append(str(self.column if self.column is not None else 1))
        return ":".join(parts)


class SpecError(ReconcilerError):
    """One problem in the manifests, located at file:line:col."""

    def __init__(self, location: Location | None, message: str):
        super().__init__(message)
        self.location = location

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message

    def as_dict(self) -> dict:
        loc = self.location
        return {
            "file": loc.file if loc else None,
            "line": loc.line if loc else None,
            "column": loc.column if loc else None,
            "message": self.message,
        }


class SpecErrors(ReconcilerError):
    """Every problem found in a project (validation reports all, not just the first)."""

    def __init__(self, errors: list[SpecError]):
        super().__init__(f"{len(errors)} error(s) in the manifests")
        self.errors = errors


class TargetError(ReconcilerError):
    """A target cannot be used: missing credentials, unknown target, bad endpoint."""


class PlanFileError(ReconcilerError):
    """A saved plan file cannot be read or does not belong here."""


class StalePlanError(ReconcilerError):
    """The account or the manifests changed since the plan was made: plan again."""


class BudgetExceeded(ReconcilerError):
    """The plan would spend more than the project's budget or the account balance."""


class ApprovalRefused(ReconcilerError):
    """Apply was not approved (no terminal and no --auto-approve, or the answer was not yes)."""


class LockTimeout(ReconcilerError):
    """Another apply of this project holds the lock."""
