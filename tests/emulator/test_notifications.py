"""Notification settings decide which events would be delivered (recorded in the outbox)."""

from __future__ import annotations

import pytest
from emulator_support import WORKER, make_hit

from reconciler.emulator import workers

SQS = "https://sqs.us-east-1.amazonaws.com/123456789012/events"
SNS = "arn:aws:sns:us-east-1:123456789012:mturk"


def spec(events, destination=SQS, transport="SQS") -> dict:
    return {"Destination": destination, "Transport": transport, "Version": "2006-05-05",
            "EventTypes": events}


def events(engine) -> list[str]:
    return [m["message"]["Events"][0]["EventType"] for m in engine.outbox()
            if m["kind"] == "event"]


def test_active_settings_select_events(engine, client, hit_type):
    client.update_notification_settings(
        HITTypeId=hit_type, Notification=spec(["AssignmentSubmitted", "HITReviewable"]))
    hit_id = make_hit(client, hit_type)["HITId"]
    workers.submit(engine, workers.accept(engine, hit_id, WORKER))
    assert events(engine) == ["AssignmentSubmitted", "HITReviewable"]
    assert {m["destination"] for m in engine.outbox()} == {SQS}


def test_deactivating_stops_events_and_reactivating_resumes(engine, client, hit_type):
    client.update_notification_settings(HITTypeId=hit_type,
                                        Notification=spec(["HITCreated"], SNS, "SNS"))
    client.update_notification_settings(HITTypeId=hit_type, Active=False)
    make_hit(client, hit_type)
    client.update_notification_settings(HITTypeId=hit_type, Active=True)
    make_hit(client, hit_type)
    assert events(engine) == ["HITCreated"]


def test_settings_belong_to_the_hit_type(engine, client, hit_type):
    other = client.create_hit_type(Title="x", Description="y", Reward="0.10",
                                   AssignmentDurationInSeconds=60)["HITTypeId"]
    client.update_notification_settings(HITTypeId=hit_type, Notification=spec(["HITCreated"]))
    make_hit(client, other)
    assert events(engine) == []


@pytest.mark.parametrize(
    "params",
    [
        {"Active": True},  # nothing to activate yet
        {"Notification": spec(["Ping"])},  # Ping is for test events only
        {"Notification": {**spec(["HITCreated"]), "Version": "2014-08-15"}},
        {"Notification": spec(["HITCreated"], "not-a-queue")},
        {"Notification": spec(["HITCreated"], SQS, "SNS")},
    ],
)
def test_invalid_settings_are_refused(client, hit_type, params):
    with pytest.raises(client.exceptions.RequestError):
        client.update_notification_settings(HITTypeId=hit_type, **params)


def test_neither_notification_nor_active_is_refused(client, hit_type):
    with pytest.raises(client.exceptions.RequestError):
        client.update_notification_settings(HITTypeId=hit_type)


def test_test_event_is_sent_whatever_the_event_types(engine, client):
    client.send_test_event_notification(Notification=spec(["HITCreated"], "me@example.com",
                                                          "Email"),
                                        TestEventType="AssignmentSubmitted")
    sent = engine.outbox()
    assert [(m["kind"], m["destination"]) for m in sent] == [("test", "me@example.com")]
