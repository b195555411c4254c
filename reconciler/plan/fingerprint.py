"""Fingerprints of what a plan read, so apply can refuse a plan the account has moved away from.

Each live object the plan saw gets a short digest of its normalised value under its address; the
entry `account` digests the set of addresses, so an object appearing where there was none (an
empty account that is no longer empty) is noticed too. A HIT's status and assignment counts are
left out: workers change them all the time, and no planning decision rests on them.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from functools import lru_cache

from reconciler.model import HIT, HITType, LiveState, to_data
from reconciler.plan.addresses import (
    block_address,
    grant_address,
    live_hit_address,
    newest_generations,
    qualification_type_address,
)

ACCOUNT = "account"
DIGEST_LENGTH = 16
VOLATILE_HIT_FIELDS = ("status", "assignments_pending", "assignments_available", "assignments_completed")
_HIT_FIELDS = tuple(f.name for f in dataclasses.fields(HIT) if f.name not in VOLATILE_HIT_FIELDS)


def digest(data: object) -> str:
    """A short sha256 of the canonical JSON of `data`."""
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:DIGEST_LENGTH]


def hit_digest(hit: HIT) -> str:
    """A HIT's digest without its volatile fields; its HIT type enters by its own (cached) digest,
    as thousands of HITs share one type."""
    data = {name: to_data(getattr(hit, name)) for name in _HIT_FIELDS if name != "hit_type"}
    data["hit_type"] = _hit_type_digest(hit.hit_type)
    return digest(data)


@lru_cache(maxsize=1024)
def _hit_type_digest(hit_type: HITType) -> str:
    return digest(to_data(hit_type))


def fingerprints(live: LiveState) -> dict[str, str]:
    """Address → digest of every live object, plus `account`: a digest of the set of addresses."""
    entries: dict[str, str] = {}
    for qt in live.qualification_types:
        entries[qualification_type_address(qt.name)] = digest(to_data(qt))
    for grant in live.grants:
        entries[grant_address(grant.qualification, grant.worker_id)] = digest(to_data(grant))
    for block in live.blocks:
        entries[block_address(block.worker_id)] = digest(to_data(block))
    newest = newest_generations(live.hits)
    for hit in live.hits:
        entries[live_hit_address(hit, newest)] = hit_digest(hit)
    entries[ACCOUNT] = digest(sorted(entries))
    return entries
