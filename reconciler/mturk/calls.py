"""Counting the MTurk API calls a block of code makes, through botocore's event system.

A call is one operation invoked on the client (a paginator page is one call); botocore's own
retries of that call are not counted again. Planning must stay at ⌈N/100⌉ + a constant calls for
N HITs, and this is how it is measured.
"""

from __future__ import annotations

import itertools
import threading
from collections import Counter
from contextlib import contextmanager
from typing import Any, Iterator

_ids = itertools.count()


class CallCounter:
    """Calls seen so far, in total and per operation name. Safe to share across threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_operation: Counter[str] = Counter()

    def record(self, model: Any = None, **_: Any) -> None:
        """botocore `before-call` handler: one more call of `model.name`."""
        with self._lock:
            self._by_operation[getattr(model, "name", "?")] += 1

    @property
    def total(self) -> int:
        with self._lock:
            return sum(self._by_operation.values())

    @property
    def by_operation(self) -> dict[str, int]:
        with self._lock:
            return dict(sorted(self._by_operation.items()))


@contextmanager
def count_calls(client: Any) -> Iterator[CallCounter]:
    """Count every API call `client` makes inside the block."""
    counter = CallCounter()
    event = f"before-call.{client.meta.service_model.service_id.hyphenize()}"
    unique_id = f"reconciler-call-counter-{next(_ids)}"
    client.meta.events.register(event, counter.record, unique_id=unique_id)
    try:
        yield counter
    finally:
        client.meta.events.unregister(event, unique_id=unique_id)
