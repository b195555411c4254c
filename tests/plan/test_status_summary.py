"""batch_status is pure: per batch, the newest generation of each row's HIT, counted."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from plan_cases import NOW, in_sync, listed, one_batch, row

from reconciler.live.status import batch_status


def test_counts_use_the_newest_generation_and_removed_batches_still_show():
    desired = one_batch(row("1"), row("2"))
    live = dataclasses.replace(in_sync(
        listed("1", 0, expires_at=NOW - timedelta(days=1), assignments_completed=3, assignments_available=0),
        listed("1", 1, assignments_available=1, assignments_pending=1),
        listed("9", 0, batch="old", assignments_available=0, assignments_completed=3),
    ))
    status = batch_status(desired, live, NOW)
    tweets, old = status.batches
    assert (tweets.batch, tweets.state, tweets.rows, tweets.hits, tweets.open) == ("tweets", "active", 2, 1, 1)
    assert (tweets.available, tweets.in_progress, tweets.submitted, tweets.reviewed) == (1, 1, 1, 0)
    assert (old.batch, old.state, old.rows, old.hits, old.reviewed) == ("old", "removed", 0, 1, 3)
