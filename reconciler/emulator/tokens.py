"""UniqueRequestTokens: remembered for 24 hours, after which the same token acts anew."""

from __future__ import annotations

from .context import Context

TOKEN_TTL = 86_400


def find_token(ctx: Context, scope: str, token: str) -> str | None:
    """The entity a token created within the last 24 hours, or None."""
    row = ctx.conn.execute(
        "SELECT entity FROM tokens WHERE scope = ? AND token = ? AND created > ?",
        (scope, token, ctx.ts - TOKEN_TTL),
    ).fetchone()
    return row["entity"] if row else None


def remember_token(ctx: Context, scope: str, token: str, entity: str) -> None:
    """Remember that `token` produced `entity` now (replacing an expired memory of it)."""
    ctx.conn.execute("INSERT OR REPLACE INTO tokens VALUES (?, ?, ?, ?)",
                     (scope, token, entity, ctx.ts))
