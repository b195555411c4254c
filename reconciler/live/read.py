"""read_live: what the account holds that this project owns, as the shared model.

The cost is fixed by design: ⌈all HITs / 100⌉ ListHITs calls plus a constant (one name query per
declared qualification type, one tag query, one grants page per owned type, the blocks and the
balance). No per-HIT call is ever made while planning.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Iterator, Mapping

from reconciler.errors import TargetError
from reconciler.live.account import read_balance, read_blocks
from reconciler.live.hits import QualificationNames, read_hits
from reconciler.live.qualifications import read_grants, read_qualification_types
from reconciler.model import DesiredState, LiveState
from reconciler.mturk.calls import count_calls
from reconciler.mturk.client import MTurkConnection
from reconciler.mturk.failures import translate_failures


@dataclass(frozen=True)
class LiveRead:
    """The live state plus what reading it cost, in API calls (total and per operation)."""

    live: LiveState
    api_calls: int
    calls_by_operation: Mapping[str, int] = field(default_factory=dict)


@contextmanager
def _complete_answers(conn: MTurkConnection) -> Iterator[None]:
    """A field missing from an answer (an endpoint that is not MTurk's API) is one sentence."""
    try:
        yield
    except KeyError as exc:
        raise TargetError(
            f"The {conn.target.name} endpoint {conn.endpoint_url} answered without the field {exc.args[0]!r}; "
            "is it an MTurk Requester API endpoint? Check --endpoint-url."
        ) from exc


def read_live(conn: MTurkConnection, desired: DesiredState) -> LiveRead:
    """Read the project's qualification types, grants, HITs and blocks, and the balance.

    Botocore failures become a TargetError that names the target and MTurk's error code.
    """
    project = desired.project.name
    client = conn.client
    with count_calls(client) as calls, translate_failures(conn.target, conn.endpoint_url), _complete_answers(conn):
        types = read_qualification_types(client, desired)
        names = QualificationNames.of(conn.system_qualifications, types)
        hits = read_hits(client, project, names)
        grants = read_grants(client, types)
        blocks = read_blocks(client, project)
        balance = read_balance(client)
    live = LiveState(qualification_types=types, hits=hits, grants=grants, blocks=blocks, balance=balance)
    return LiveRead(live=live, api_calls=calls.total, calls_by_operation=calls.by_operation)
