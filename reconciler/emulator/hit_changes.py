"""Changes to existing HITs: expiry, extra assignments, review status, type, deletion."""

from __future__ import annotations

from datetime import UTC, datetime

from .context import Context, operation
from .errors import (
    DUPLICATE_CALL,
    HIT_ALREADY_EXISTS,
    HIT_TOO_OLD_FOR_EXTENSION,
    INVALID_HIT_STATE,
    INVALID_MAX_ASSIGNMENTS_INCREASE,
    REQUEST_ERROR,
    MTurkError,
    range_error,
    request_error,
    stamp,
)
from .hit_types import MAX_DURATION, check_range, get_hit_type
from .hits import MAX_ASSIGNMENTS, load_hit
from .lifecycle import hit_status
from .money import LARGE_HIT_THRESHOLD
from .notifications import emit_event
from .payments import assignment_cost_cents, require_funds
from .tokens import find_token, remember_token

MIN_EXTENSION = 60
# HITs created before 2015-07-22 cannot get more assignments (the hour MTurk counts from is
# unconfirmed; midnight UTC here). Reachable only with an emulator clock set before that day.
EXTENSION_CUTOFF = datetime(2015, 7, 22, tzinfo=UTC).timestamp()


def _java_date(epoch: float) -> str:
    """A time as Java's Date.toString prints it in UTC (MTurk builds tokens from it)."""
    return datetime.fromtimestamp(epoch, UTC).strftime("%a %b %d %H:%M:%S UTC %Y")


@operation("UpdateExpirationForHIT")
def update_expiration_for_hit(ctx: Context, params: dict) -> dict:
    """Expire a HIT now (a time at or before now) or move its expiry later.

    A future time is an extension of ExpireAt − current expiration, which must be 60 s to one
    year. The service remembers HITId + ExpireAt as an idempotency token, so the same ExpireAt
    twice is an error. Reopening an expired HIT is unconfirmed on MTurk; the emulator gives the
    HIT exactly the requested expiry, requiring it to be 60 s to one year after now.
    """
    hit = load_hit(ctx, params["HITId"], allow_disposed=False)
    expire_at = float(params["ExpireAt"])
    token = f"{hit['id']}{_java_date(expire_at)}"
    if find_token(ctx, "expiration", token) is not None:
        raise request_error(f'The idempotency token "{token}" has already been processed.',
                            DUPLICATE_CALL)
    current = hit["expiration"]
    if expire_at <= ctx.ts:
        new_expiration = min(current, ctx.ts)  # an expired HIT keeps its Expiration
    else:
        base = current if current > ctx.ts else ctx.ts
        increment = int(expire_at - base)
        check_range("ExpirationIncrementInSeconds", increment, MIN_EXTENSION, MAX_DURATION)
        new_expiration = expire_at
    reopened = new_expiration > ctx.ts  # a HIT open again leaves the Reviewing state
    ctx.conn.execute("UPDATE hits SET expiration = ?, reviewing = reviewing * ? WHERE id = ?",
                     (new_expiration, int(not reopened), hit["id"]))
    remember_token(ctx, "expiration", token, hit["id"])
    if new_expiration > current:
        emit_event(ctx, hit["hit_type_id"], "HITExtended", hit["id"], None)
    return {}


@operation("CreateAdditionalAssignmentsForHIT")
def create_additional_assignments(ctx: Context, params: dict) -> dict:
    """Raise MaxAssignments; refused from under 10 to 10 or more. Expiration is unchanged."""
    hit = load_hit(ctx, params["HITId"], allow_disposed=False)
    extra = params["NumberOfAdditionalAssignments"]
    check_range("NumberOfAdditionalAssignments", extra, 1, MAX_ASSIGNMENTS)
    token = params.get("UniqueRequestToken")
    if token is not None and find_token(ctx, "assignments", token) is not None:
        raise request_error(f'The request with unique request token "{token}" has already '
                            "been processed.", HIT_ALREADY_EXISTS)
    if hit["created"] < EXTENSION_CUTOFF:
        raise request_error(f"The HIT {hit['id']} was created before July 22, 2015 and cannot "
                            "be extended.", HIT_TOO_OLD_FOR_EXTENSION)
    before = hit["max_assignments"]
    after = before + extra
    if before < LARGE_HIT_THRESHOLD <= after:
        raise request_error(
            f"The HIT {hit['id']} has {before} assignments and cannot be extended to "
            f"{LARGE_HIT_THRESHOLD} or more assignments; HITs created with fewer than "
            f"{LARGE_HIT_THRESHOLD} assignments must stay below {LARGE_HIT_THRESHOLD}.",
            INVALID_MAX_ASSIGNMENTS_INCREASE,
        )
    if after > MAX_ASSIGNMENTS:
        raise range_error("MaxAssignments", after, 1, MAX_ASSIGNMENTS)
    cost = assignment_cost_cents(hit["reward_cents"], after, bool(hit["masters"]))
    require_funds(ctx, cost * extra)
    still_reviewing = int(hit["expiration"] <= ctx.ts)  # new slots reopen an unexpired HIT
    ctx.conn.execute("UPDATE hits SET max_assignments = ?, reviewing = reviewing * ? WHERE id = ?",
                     (after, still_reviewing, hit["id"]))
    if token is not None:
        remember_token(ctx, "assignments", token, hit["id"])
    emit_event(ctx, hit["hit_type_id"], "HITExtended", hit["id"], None)
    return {}


def _state_error(status: str, allowed: str) -> MTurkError:
    """MTurk's HIT-state refusal, stamped ` (<epoch-ms> s)` as observed on DeleteHIT."""
    message = (f"This HIT is currently in the state '{status}'.  This operation can be called "
               f"with a status of: {allowed}")
    return MTurkError(REQUEST_ERROR, stamp(message, " s"), INVALID_HIT_STATE, stamped=True)


@operation("DeleteHIT")
def delete_hit(ctx: Context, params: dict) -> dict:
    """Dispose of a Reviewable/Reviewing HIT whose submissions are all approved or rejected.

    Deleting an already disposed HIT succeeds again (the model marks DeleteHIT idempotent).
    """
    hit = load_hit(ctx, params["HITId"])
    status = hit_status(hit, ctx.ts)
    if status == "Disposed":
        return {}
    if status not in ("Reviewable", "Reviewing") or hit["n_submitted"] > 0:
        raise _state_error(status, "Reviewing, Reviewable")
    ctx.conn.execute("UPDATE hits SET disposed = ? WHERE id = ?", (ctx.ts, hit["id"]))
    emit_event(ctx, hit["hit_type_id"], "HITDisposed", hit["id"], None)
    return {}


@operation("UpdateHITReviewStatus")
def update_hit_review_status(ctx: Context, params: dict) -> dict:
    """Reviewable → Reviewing, or with Revert Reviewing → Reviewable."""
    hit = load_hit(ctx, params["HITId"], allow_disposed=False)
    status = hit_status(hit, ctx.ts)
    revert = bool(params.get("Revert", False))
    wanted, target = ("Reviewing", 0) if revert else ("Reviewable", 1)
    if status != wanted:
        raise _state_error(status, wanted)
    ctx.conn.execute("UPDATE hits SET reviewing = ? WHERE id = ?", (target, hit["id"]))
    return {}


@operation("UpdateHITTypeOfHIT")
def update_hit_type_of_hit(ctx: Context, params: dict) -> dict:
    """Give a HIT every property of another HIT type.

    Assignments already accepted keep the reward and deadline they were accepted with.
    """
    hit = load_hit(ctx, params["HITId"], allow_disposed=False)
    hit_type = get_hit_type(ctx, params["HITTypeId"])
    ctx.conn.execute("UPDATE hits SET hit_type_id = ? WHERE id = ?", (hit_type["id"], hit["id"]))
    return {}
