"""Reading the live account into the shared model: only what the project owns, normalised."""

from __future__ import annotations

from reconciler.live.read import LiveRead, read_live

__all__ = ["LiveRead", "read_live"]
