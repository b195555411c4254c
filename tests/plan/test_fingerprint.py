"""Fingerprints: what the plan read, so a stale plan can be refused."""

from __future__ import annotations

from plan_cases import english_live, listed, live, question
from reconciler.model import Grant, WorkerBlock
from reconciler.plan.fingerprint import fingerprints


def test_every_live_object_has_an_address_and_a_short_digest() -> None:
    account = live(
        hits=(listed("1", 0), listed("1", 1), listed("2")),
        types=(english_live(),),
        grants=(Grant("english", "A1", 90),),
        blocks=(WorkerBlock("A2", "spam"),),
    )
    prints = fingerprints(account)
    assert set(prints) == {
        "qualification_type.english",
        "qualification_type.english.grant[A1]",
        "block[A2]",
        "batch.tweets.hit[1]#0",
        "batch.tweets.hit[1]",
        "batch.tweets.hit[2]",
        "account",
    }
    assert all(len(value) == 16 for value in prints.values())


def test_a_changed_hit_changes_its_fingerprint_but_worker_progress_does_not() -> None:
    base = fingerprints(live(hits=(listed("1"),)))
    moved = fingerprints(live(hits=(listed("1", question=question("1", "edited")),)))
    busy = fingerprints(live(hits=(listed("1", status="Unassignable", assignments_available=0, assignments_pending=3),)))
    assert moved["batch.tweets.hit[1]"] != base["batch.tweets.hit[1]"]
    assert busy == base


def test_an_empty_account_is_fingerprinted_and_differs_once_something_appears() -> None:
    empty = fingerprints(live())
    assert set(empty) == {"account"}
    assert fingerprints(live(blocks=(WorkerBlock("A2", "spam"),)))["account"] != empty["account"]
    assert fingerprints(live()) == empty
