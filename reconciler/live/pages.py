"""Reading MTurk's list operations page by page, at the maximum page size of 100.

MTurk returns at most 100 items per call. Paging stops on a missing NextToken (botocore's rule)
and also on an empty page, so a service that keeps handing out tokens with nothing behind them
cannot keep the reader going.
"""

from __future__ import annotations

from typing import Any, Iterator

PAGE_SIZE = 100


def list_items(client: Any, operation: str, result_key: str, **params: Any) -> Iterator[dict]:
    """Every item of a paginated list `operation` (snake_case name), 100 per call."""
    paginator = client.get_paginator(operation)
    for page in paginator.paginate(**params, PaginationConfig={"PageSize": PAGE_SIZE}):
        items = page.get(result_key) or []
        yield from items
        if not items:
            return
