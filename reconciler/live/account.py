"""Reading account-wide facts: the project's worker blocks and the available balance."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from reconciler.identity import parse_block_reason
from reconciler.live.pages import list_items
from reconciler.model import WorkerBlock, money


def read_blocks(client: Any, project: str) -> tuple[WorkerBlock, ...]:
    """Blocks whose reason carries the project tag, with the declared reason (tag removed)."""
    blocks = []
    for item in list_items(client, "list_worker_blocks", "WorkerBlocks"):
        owner, reason = parse_block_reason(item.get("Reason") or "")
        if owner == project:
            blocks.append(WorkerBlock(item["WorkerId"], reason))
    return tuple(sorted(blocks, key=lambda b: b.worker_id))


def read_balance(client: Any) -> Decimal:
    """The available balance in USD (the sandbox's is a fake $10,000.00)."""
    return money(client.get_account_balance()["AvailableBalance"])
