"""Reading HITs: ownership by annotation, fields rebuilt and normalised, requirement mapping."""

from __future__ import annotations

from datetime import timezone
from decimal import Decimal

import pytest
from account_setup import PROJECT, create_hit, desired_state, english_type, html_question

from reconciler.identity import qualification_tag
from reconciler.live import read_live
from reconciler.live.hits import actions_guarded
from reconciler.model import HITType, Locale, Requirement, utc
from reconciler.plan.normalise import normalise_question


def test_every_generation_of_the_projects_hits_and_nothing_foreign(conn, client):
    mine = [create_hit(client, "tweets", "1", 0), create_hit(client, "tweets", "1", 1),
            create_hit(client, "reviews", "r-9", 0)]
    create_hit(client, "tweets", "2", 0, project="other-project")
    create_hit(client, batch=None)  # no annotation at all
    create_hit(client, annotation="posted by hand")
    hits = read_live(conn, desired_state()).live.hits
    assert [(h.batch, h.key, h.generation) for h in hits] == [
        ("reviews", "r-9", 0), ("tweets", "1", 0), ("tweets", "1", 1)]
    assert {h.hit_id for h in hits} == {raw["HITId"] for raw in mine}


def test_a_hit_is_rebuilt_from_its_own_fields(conn, client):
    raw = create_hit(client, Reward="0.5", Keywords="text,  sentiment ,text,", MaxAssignments=4)
    [hit] = read_live(conn, desired_state()).live.hits
    assert hit.hit_type == HITType(
        title="Rate the sentiment of a sentence",
        description="Read one sentence and pick positive, neutral or negative.",
        reward=Decimal("0.50"),
        assignment_duration=600,
        auto_approval_delay=259_200,
        keywords=("sentiment", "text"),
    )
    assert str(hit.hit_type.reward) == "0.50"
    assert (hit.hit_id, hit.hit_type_id, hit.status) == (raw["HITId"], raw["HITTypeId"], "Assignable")
    assert (hit.max_assignments, hit.assignments_available, hit.assignments_pending, hit.assignments_completed) == (4, 4, 0, 0)
    assert hit.expires_at == utc(raw["Expiration"]) and hit.expires_at.tzinfo is timezone.utc
    assert hit.created_at == utc(raw["CreationTime"]) and hit.created_at.tzinfo is timezone.utc


def test_hits_of_different_types_keep_their_own_type(conn, client):
    create_hit(client, "tweets", "1", Reward="0.05")
    create_hit(client, "tweets", "2", Reward="0.10", Title="Another title")
    create_hit(client, "tweets", "3", Reward="0.05")
    first, second, third = read_live(conn, desired_state()).live.hits
    assert [h.hit_type.reward for h in (first, second, third)] == [Decimal("0.05"), Decimal("0.10"), Decimal("0.05")]
    assert second.hit_type.title == "Another title"
    assert first.hit_type_id == third.hit_type_id != second.hit_type_id
    assert first.hit_type == third.hit_type


def test_question_whitespace_does_not_matter(conn, client):
    create_hit(client, "tweets", "1", Question=html_question(spacing="\n\n      "))
    create_hit(client, "tweets", "2", Question=html_question(spacing=""))
    first, second = read_live(conn, desired_state()).live.hits
    assert first.question == second.question == normalise_question(html_question())


def _type_id(client, name: str, keywords: str = "") -> str:
    created = client.create_qualification_type(
        Name=name, Description="d", Keywords=keywords, QualificationTypeStatus="Active")
    return created["QualificationType"]["QualificationTypeId"]


def test_requirements_read_back_as_the_manifest_wrote_them(conn, client):
    """System IDs become friendly names, project types their logical names, the rest stays foreign."""
    english = _type_id(client, "ACME English check", qualification_tag(PROJECT))
    stranger = _type_id(client, "Someone else's check")
    masters = conn.system_qualifications.id_of("Masters")
    create_hit(client, QualificationRequirements=[
        {"QualificationTypeId": stranger, "Comparator": "Exists"},
        {"QualificationTypeId": "00000000000000000071", "Comparator": "In", "RequiredToPreview": True,
         "LocaleValues": [{"Country": "US"}, {"Country": "CA"}, {"Country": "US", "Subdivision": "NY"}]},
        {"QualificationTypeId": english, "Comparator": "GreaterThanOrEqualTo", "IntegerValues": [80],
         "ActionsGuarded": "DiscoverPreviewAndAccept"},
        {"QualificationTypeId": masters, "Comparator": "Exists"},
    ])
    [hit] = read_live(conn, desired_state(english_type())).live.hits
    assert hit.hit_type.requirements == (
        Requirement("Locale", "In", system=True, actions_guarded="PreviewAndAccept",
                    locale_values=(Locale("CA"), Locale("US"), Locale("US", "NY"))),
        Requirement("Masters", "Exists", system=True),
        Requirement(stranger, "Exists", foreign=True),
        Requirement("english", "GreaterThanOrEqualTo", integer_values=(80,), actions_guarded="DiscoverPreviewAndAccept"),
    )


@pytest.mark.parametrize(
    ("sent", "expected"),
    [
        ({}, "Accept"),
        ({"RequiredToPreview": False}, "Accept"),
        ({"RequiredToPreview": True}, "PreviewAndAccept"),
        ({"ActionsGuarded": "PreviewAndAccept"}, "PreviewAndAccept"),
        ({"ActionsGuarded": "Accept"}, "Accept"),
        ({"ActionsGuarded": "DiscoverPreviewAndAccept"}, "DiscoverPreviewAndAccept"),
    ],
)
def test_required_to_preview_and_actions_guarded_read_as_one_value(conn, client, sent, expected):
    requirement = {"QualificationTypeId": "000000000000000000L0", "Comparator": "GreaterThan", "IntegerValues": [95]}
    create_hit(client, QualificationRequirements=[{**requirement, **sent}])
    [hit] = read_live(conn, desired_state()).live.hits
    assert hit.hit_type.requirements == (
        Requirement("PercentAssignmentsApproved", "GreaterThan", system=True, integer_values=(95,), actions_guarded=expected),
    )


@pytest.mark.parametrize(
    ("echoed", "expected"),
    [
        ({"RequiredToPreview": True, "ActionsGuarded": "Accept"}, "Accept"),
        ({"RequiredToPreview": False, "ActionsGuarded": "PreviewAndAccept"}, "PreviewAndAccept"),
        ({"RequiredToPreview": True}, "PreviewAndAccept"),
        ({}, "Accept"),
    ],
)
def test_actions_guarded_wins_when_mturk_echoes_both(echoed, expected):
    assert actions_guarded(echoed) == expected
