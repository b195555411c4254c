"""Notification settings per HIT type, and the events they would deliver.

MTurk has no read API for settings; the emulator keeps them and writes every event that an
active specification selects (and every test event) to an `outbox` table instead of sending it,
so tests and users can see what would have been delivered (`Engine.outbox()`).
"""

from __future__ import annotations

import json
import re
import uuid

from .context import Context, operation
from .errors import INVALID_PARAMETER, request_error
from .hit_types import get_hit_type

VERSION = "2006-05-05"
_SQS_URL = re.compile(r"^https://sqs\.[a-z0-9-]+\.amazonaws\.com/\d{12}/[A-Za-z0-9_-]{1,80}"
                      r"(\.fifo)?$")
_SNS_ARN = re.compile(r"^arn:aws:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_DESTINATION_RULES = {"SQS": _SQS_URL, "SNS": _SNS_ARN, "Email": _EMAIL}


def check_specification(spec: dict, *, allow_ping: bool) -> None:
    """RequestError unless the NotificationSpecification could be delivered as written."""
    if spec["Version"] != VERSION:
        raise request_error(f"The notification version {spec['Version']} is not supported. "
                            f"Use {VERSION}.", INVALID_PARAMETER)
    transport = spec["Transport"]
    if not _DESTINATION_RULES[transport].match(spec["Destination"]):
        raise request_error(f"The destination {spec['Destination']} is not a valid {transport} "
                            "destination.", INVALID_PARAMETER)
    events = spec["EventTypes"]
    if not events:
        raise request_error("A notification needs at least one EventType.", INVALID_PARAMETER)
    if "Ping" in events and not allow_ping:
        raise request_error("The Ping event type is only valid for SendTestEventNotification.",
                            INVALID_PARAMETER)


@operation("UpdateNotificationSettings")
def update_notification_settings(ctx: Context, params: dict) -> dict:
    """Replace a HIT type's specification and/or switch it on or off."""
    type_id = params["HITTypeId"]
    get_hit_type(ctx, type_id)
    spec = params.get("Notification")
    active = params.get("Active")
    if spec is None and active is None:
        raise request_error("Either Notification or Active must be specified.", INVALID_PARAMETER)
    if spec is not None:
        check_specification(spec, allow_ping=False)
        ctx.conn.execute(
            "INSERT OR REPLACE INTO notification_settings VALUES (?, ?, ?)",
            (type_id, json.dumps(spec), int(True if active is None else active)),
        )
        return {}
    updated = ctx.conn.execute("UPDATE notification_settings SET active = ? WHERE hit_type_id = ?",
                               (int(active), type_id)).rowcount
    if not updated:
        raise request_error(f"HIT type {type_id} has no notification specification to "
                            "activate or deactivate; supply Notification.", INVALID_PARAMETER)
    return {}


@operation("SendTestEventNotification")
def send_test_event_notification(ctx: Context, params: dict) -> dict:
    """Deliver one test event to the specification's destination, whatever its EventTypes."""
    spec = params["Notification"]
    check_specification(spec, allow_ping=True)
    event = {"EventType": params["TestEventType"], "EventTimestamp": ctx.now.isoformat(),
             "HITTypeId": "0" * 30, "HITId": "0" * 30}
    _deliver(ctx, spec, [event], kind="test")
    return {}


def emit_event(ctx: Context, hit_type_id: str, event_type: str, hit_id: str,
               assignment_id: str | None) -> None:
    """Record an event if the HIT type has an active specification that selects it."""
    row = ctx.conn.execute(
        "SELECT spec FROM notification_settings WHERE hit_type_id = ? AND active = 1",
        (hit_type_id,),
    ).fetchone()
    if row is None:
        return
    spec = json.loads(row["spec"])
    if event_type not in spec["EventTypes"]:
        return
    event = {"EventType": event_type, "EventTimestamp": ctx.now.isoformat(),
             "HITTypeId": hit_type_id, "HITId": hit_id}
    if assignment_id is not None:
        event["AssignmentId"] = assignment_id
    _deliver(ctx, spec, [event], kind="event")


def _deliver(ctx: Context, spec: dict, events: list[dict], *, kind: str) -> None:
    message = {"Events": events, "EventDocId": str(uuid.uuid4()),
               "EventDocVersion": VERSION, "Transport": spec["Transport"]}
    ctx.conn.execute("INSERT INTO outbox (kind, destination, payload, sent) VALUES (?, ?, ?, ?)",
                     (kind, spec["Destination"], json.dumps(message), ctx.ts))
