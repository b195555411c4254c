"""QualificationRequirements: which comparator takes which values, the limits on them, and how
the service echoes ActionsGuarded and RequiredToPreview (through boto3)."""

from __future__ import annotations

import re

import pytest
from botocore.exceptions import ClientError
from emulator_support import TYPE_FIELDS, error_of, make_hit

APPROVED = "00000000000000000040"
LOCALE = "00000000000000000071"
PERCENT = "000000000000000000L0"
COUNTRIES = ["US", "CA", "GB", "IE", "AU", "NZ", "DE", "FR", "ES", "IT", "NL", "BE", "SE", "NO",
             "DK", "FI", "PL", "PT", "AT", "CH", "CZ", "GR", "HU", "RO", "IN", "JP", "KR", "BR",
             "MX", "AR", "ZA"]


def locales(count: int) -> list[dict]:
    return [{"Country": country} for country in COUNTRIES[:count]]


def requirement(type_id: str, comparator: str, **values) -> dict:
    return {"QualificationTypeId": type_id, "Comparator": comparator, **values}


def with_requirements(client, *requirements) -> str:
    return client.create_hit_type(**TYPE_FIELDS,
                                  QualificationRequirements=list(requirements))["HITTypeId"]


@pytest.mark.parametrize(
    "accepted",
    [
        requirement(APPROVED, "In", IntegerValues=list(range(15))),
        requirement(APPROVED, "NotIn", IntegerValues=[0]),
        requirement(LOCALE, "In", LocaleValues=locales(30)),
        requirement(LOCALE, "NotIn", LocaleValues=locales(30)),
        requirement(LOCALE, "EqualTo", LocaleValues=[{"Country": "US", "Subdivision": "WA"}]),
        requirement(LOCALE, "NotEqualTo", LocaleValues=[{"Country": "IN"}]),
        requirement(LOCALE, "Exists"),
        requirement(PERCENT, "DoesNotExist"),
        requirement(PERCENT, "GreaterThanOrEqualTo", IntegerValues=[95]),
        requirement(APPROVED, "EqualTo", IntegerValues=[0]),
    ],
)
def test_comparators_take_the_values_mturk_allows(client, accepted):
    assert re.fullmatch(r"[A-Z0-9]{30}", with_requirements(client, accepted))


@pytest.mark.parametrize(
    "refused",
    [
        requirement(APPROVED, "In", IntegerValues=list(range(16))),
        requirement(LOCALE, "In", LocaleValues=locales(31)),
        requirement(LOCALE, "NotIn", LocaleValues=locales(31)),
        requirement(APPROVED, "In"),
        requirement(LOCALE, "EqualTo", LocaleValues=locales(2)),
        requirement(APPROVED, "EqualTo", IntegerValues=[1, 2]),
        requirement(APPROVED, "GreaterThan", IntegerValues=[1, 2]),
        requirement(APPROVED, "LessThan"),
        requirement(LOCALE, "EqualTo", IntegerValues=[1]),
        requirement(LOCALE, "In", IntegerValues=[1, 2]),
        requirement(LOCALE, "LessThan", LocaleValues=locales(1)),
        requirement(LOCALE, "Exists", LocaleValues=locales(1)),
        requirement(PERCENT, "DoesNotExist", IntegerValues=[1]),
        requirement(APPROVED, "In", LocaleValues=locales(2)),
        requirement(APPROVED, "NotEqualTo", LocaleValues=locales(1)),
        requirement(LOCALE, "In", IntegerValues=[1], LocaleValues=locales(1)),
    ],
)
def test_comparators_refuse_values_mturk_refuses(client, refused):
    with pytest.raises(client.exceptions.RequestError) as excinfo:
        with_requirements(client, refused)
    code, _, message = error_of(excinfo)
    assert code == "RequestError"
    assert message.startswith(f"The QualificationRequirement for {refused['QualificationTypeId']}")


def test_at_most_ten_requirements_on_a_type_or_a_hit(client):
    ten = [requirement(PERCENT, "GreaterThan", IntegerValues=[n]) for n in range(10)]
    with_requirements(client, *ten)
    eleven = [*ten, requirement(APPROVED, "Exists")]
    with pytest.raises(ClientError) as excinfo:
        with_requirements(client, *eleven)
    assert error_of(excinfo)[2].startswith("The value 11 is invalid for "
                                           "QualificationRequirements. Valid values range from "
                                           "0 to 10. (")
    with pytest.raises(ClientError):
        client.create_hit(**TYPE_FIELDS, QualificationRequirements=eleven,
                          LifetimeInSeconds=600, Question="<unused/>")
    assert client.list_hits()["NumResults"] == 0


@pytest.mark.parametrize(
    ("given", "echoed"),
    [
        ({}, ("Accept", False)),
        ({"RequiredToPreview": False}, ("Accept", False)),
        ({"RequiredToPreview": True}, ("PreviewAndAccept", True)),
        ({"ActionsGuarded": "Accept"}, ("Accept", False)),
        ({"ActionsGuarded": "PreviewAndAccept"}, ("PreviewAndAccept", True)),
        ({"ActionsGuarded": "DiscoverPreviewAndAccept"}, ("DiscoverPreviewAndAccept", True)),
    ],
)
def test_requirements_echo_both_actions_guarded_and_required_to_preview(client, given, echoed):
    type_id = with_requirements(client, requirement(LOCALE, "EqualTo",
                                                    LocaleValues=[{"Country": "US"}], **given))
    hit = make_hit(client, type_id)
    [shown] = hit["QualificationRequirements"]
    assert (shown["ActionsGuarded"], shown["RequiredToPreview"]) == echoed
    assert shown["LocaleValues"] == [{"Country": "US"}]


def test_required_to_preview_and_preview_and_accept_are_the_same_hit_type(client):
    locale = {"LocaleValues": [{"Country": "US"}]}
    deprecated = with_requirements(client, requirement(LOCALE, "EqualTo", RequiredToPreview=True,
                                                       **locale))
    current = with_requirements(client, requirement(LOCALE, "EqualTo",
                                                    ActionsGuarded="PreviewAndAccept", **locale))
    plain = with_requirements(client, requirement(LOCALE, "EqualTo", **locale))
    assert deprecated == current != plain
    assert plain == with_requirements(client, requirement(LOCALE, "EqualTo",
                                                          ActionsGuarded="Accept", **locale))


def test_actions_guarded_and_required_to_preview_together_are_refused(client):
    with pytest.raises(client.exceptions.RequestError):
        with_requirements(client, requirement(LOCALE, "Exists", RequiredToPreview=True,
                                              ActionsGuarded="PreviewAndAccept"))
