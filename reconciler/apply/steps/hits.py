"""HIT steps: create, retype, add assignments, extend, expire, replace.

Every call here is safe to repeat, which is what lets a re-run after a crash finish the job
without a duplicate: creates carry a UniqueRequestToken and answer HitAlreadyExists (success,
the HIT ID is in the message); additional assignments carry a token per target total;
UpdateExpirationForHIT is deduplicated by MTurk itself on (HITId, ExpireAt).
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING

from botocore.exceptions import ClientError

from reconciler.apply.calls import StepFailed, error_message, hit_id_in, is_code, is_repeat
from reconciler.identity import add_assignments_token, create_token, hit_annotation
from reconciler.model import HIT
from reconciler.plan.changes import Change

if TYPE_CHECKING:
    from reconciler.apply.context import StepContext
    from reconciler.apply.readback import LiveIndex

# A clearly past ExpireAt: "expire now" without clock-skew doubts, and the same value every
# time, so a repeated expire is recognised by MTurk's own (HITId, ExpireAt) token.
EXPIRE_AT = datetime(2015, 1, 1, tzinfo=timezone.utc)
MIN_LIFETIME = 30
MAX_LIFETIME = 31_536_000
EXPIRY_SLACK = timedelta(minutes=5)  # a create's Expiration is "now + lifetime" on MTurk's clock


def lifetime_seconds(expires_at: datetime, now: datetime) -> int:
    """LifetimeInSeconds that makes a HIT created now expire at `expires_at` (never earlier)."""
    seconds = math.ceil((expires_at - now).total_seconds())
    if seconds < MIN_LIFETIME:
        raise StepFailed("ExpiresTooSoon", f"the batch expires at {expires_at:%Y-%m-%dT%H:%M:%SZ}, too soon to post a HIT; plan again")
    if seconds > MAX_LIFETIME:
        raise StepFailed("ExpiresTooLate", "the batch expires more than a year from now, which MTurk does not allow")
    return seconds


def post_hit(ctx: StepContext, hit: HIT) -> str:
    """Create a row's HIT of `hit.generation`, or adopt the one an earlier try already created."""
    params = {
        "HITTypeId": ctx.hit_types.resolve(hit.hit_type),
        "MaxAssignments": hit.max_assignments,
        "LifetimeInSeconds": lifetime_seconds(hit.expires_at, ctx.clock()),
        "Question": hit.question,
        "RequesterAnnotation": hit_annotation(ctx.project, hit.batch, hit.key, hit.generation),
        "UniqueRequestToken": create_token(ctx.project, hit.batch, hit.key, hit.generation),
    }
    try:
        return str(ctx.caller.call("CreateHITWithHITType", **params)["HIT"]["HITId"])
    except ClientError as exc:
        if is_code(exc, "HitAlreadyExists"):
            return hit_id_in(error_message(exc)) or "an existing HIT"
        raise


def set_expiration(ctx: StepContext, hit_id: str, expire_at: datetime) -> None:
    """UpdateExpirationForHIT, where "already processed" (a repeat) counts as done."""
    try:
        ctx.caller.call("UpdateExpirationForHIT", HITId=hit_id, ExpireAt=expire_at)
    except ClientError as exc:
        if is_repeat(exc):
            return
        if expire_at <= EXPIRE_AT and is_code(exc, "HITDoesNotExist"):
            return  # disposed of already: nothing left to expire
        raise


def create(ctx: StepContext, change: Change) -> str:
    return post_hit(ctx, _hit(change.after))


def retype(ctx: StepContext, change: Change) -> str:
    before, after = _hit(change.before), _hit(change.after)
    type_id = ctx.hit_types.resolve(after.hit_type)
    ctx.caller.call("UpdateHITTypeOfHIT", HITId=before.hit_id, HITTypeId=type_id)
    return str(before.hit_id)


def add_assignments(ctx: StepContext, change: Change) -> str:
    before, after = _hit(change.before), _hit(change.after)
    token = add_assignments_token(ctx.project, before.batch, before.key, before.generation, after.max_assignments)
    try:
        ctx.caller.call(
            "CreateAdditionalAssignmentsForHIT",
            HITId=before.hit_id,
            NumberOfAdditionalAssignments=after.max_assignments - before.max_assignments,
            UniqueRequestToken=token,
        )
    except ClientError as exc:
        # A repeated token answers "already processed" (some endpoints say HitAlreadyExists).
        if not (is_repeat(exc) or is_code(exc, "HitAlreadyExists")):
            raise
    return str(before.hit_id)


def extend(ctx: StepContext, change: Change) -> str:
    before, after = _hit(change.before), _hit(change.after)
    set_expiration(ctx, str(before.hit_id), after.expires_at)
    return str(before.hit_id)


def expire(ctx: StepContext, change: Change) -> str:
    before = _hit(change.before)
    set_expiration(ctx, str(before.hit_id), EXPIRE_AT)
    return str(before.hit_id)


def replace(ctx: StepContext, change: Change) -> str:
    """Expire the row's current HIT, then post the next generation. In this order a crash in
    between leaves an expired HIT whose row still differs, so the next plan replaces it again
    (the expire repeats harmlessly, the create is new) and the row is never left with two HITs."""
    expire(ctx, change)
    return post_hit(ctx, _hit(change.after))


def _hit(value: object) -> HIT:
    if not isinstance(value, HIT):
        raise StepFailed("MalformedPlan", "the plan's change has no HIT where one is needed")
    return value


# --- read-back: did the change take effect? ----------------------------------------------------


def verify_posted(change: Change, live: LiveIndex) -> str | None:
    after = _hit(change.after)
    hit = live.hit_of(after.batch, after.key, after.generation)
    if hit is None:
        return f"no HIT of generation {after.generation} is listed for the row"
    if hit.hit_type != after.hit_type:
        return "the HIT's type properties differ from the plan's"
    if hit.max_assignments != after.max_assignments:
        return f"the HIT has {hit.max_assignments} assignments, not {after.max_assignments}"
    if not (after.expires_at - EXPIRY_SLACK <= hit.expires_at <= after.expires_at + EXPIRY_SLACK):
        return f"the HIT expires at {hit.expires_at:%Y-%m-%dT%H:%M:%SZ}, not {after.expires_at:%Y-%m-%dT%H:%M:%SZ}"
    return None


def verify_retyped(change: Change, live: LiveIndex) -> str | None:
    hit = live.hit_by_id(_hit(change.before).hit_id)
    if hit is None:
        return "the HIT is no longer listed"
    return None if hit.hit_type == _hit(change.after).hit_type else "the HIT still has its old type properties"


def verify_assignments(change: Change, live: LiveIndex) -> str | None:
    hit, wanted = live.hit_by_id(_hit(change.before).hit_id), _hit(change.after).max_assignments
    if hit is None:
        return "the HIT is no longer listed"
    return None if hit.max_assignments >= wanted else f"the HIT has {hit.max_assignments} assignments, not {wanted}"


def verify_extended(change: Change, live: LiveIndex) -> str | None:
    hit, wanted = live.hit_by_id(_hit(change.before).hit_id), _hit(change.after).expires_at
    if hit is None:
        return "the HIT is no longer listed"
    return None if hit.expires_at >= wanted else f"the HIT still expires at {hit.expires_at:%Y-%m-%dT%H:%M:%SZ}"


def verify_expired(change: Change, live: LiveIndex) -> str | None:
    hit = live.hit_by_id(_hit(change.before).hit_id)
    if hit is None or hit.expires_at <= live.read_at or hit.status not in (None, "Assignable"):
        return None
    return f"the HIT still expires at {hit.expires_at:%Y-%m-%dT%H:%M:%SZ}"


def verify_replaced(change: Change, live: LiveIndex) -> str | None:
    return verify_expired(change, live) or verify_posted(change, live)
