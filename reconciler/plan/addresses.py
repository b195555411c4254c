"""Addresses: the stable names a plan gives the things it changes.

`qualification_type.<name>`, `qualification_type.<name>.grant[<worker>]`, `block[<worker>]`,
`batch.<name>.hit[<key>]` for a row's newest HIT and `batch.<name>.hit[<key>]#<generation>`
for an older generation that is still listed. `--target-resource` and `--exclude` match them.
"""

from __future__ import annotations

from typing import Iterable

from reconciler.model import HIT


def qualification_type_address(name: str) -> str:
    return f"qualification_type.{name}"


def grant_address(qualification: str, worker_id: str) -> str:
    return f"qualification_type.{qualification}.grant[{worker_id}]"


def block_address(worker_id: str) -> str:
    return f"block[{worker_id}]"


def batch_address(batch: str) -> str:
    return f"batch.{batch}"


def hit_address(batch: str, key: str, generation: int | None = None) -> str:
    """A row's address; with `generation`, the address of an older generation of its HIT."""
    base = f"batch.{batch}.hit[{key}]"
    return base if generation is None else f"{base}#{generation}"


def newest_generations(hits: Iterable[HIT]) -> dict[tuple[str, str], int]:
    """The newest listed generation of every row: that HIT is the row's current one."""
    newest: dict[tuple[str, str], int] = {}
    for hit in hits:
        if hit.generation >= newest.get(hit.row, -1):
            newest[hit.row] = hit.generation
    return newest


def live_hit_address(hit: HIT, newest: dict[tuple[str, str], int]) -> str:
    """The address of a listed HIT: plain for its row's newest generation, `#<generation>` otherwise."""
    if newest.get(hit.row, hit.generation) <= hit.generation:
        return hit_address(hit.batch, hit.key)
    return hit_address(hit.batch, hit.key, hit.generation)
