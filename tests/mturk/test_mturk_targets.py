"""Targets and the system qualification table."""

from __future__ import annotations

import pytest

from reconciler.errors import TargetError
from reconciler.model import SYSTEM_QUALIFICATIONS
from reconciler.mturk import TARGETS, make_client, resolve_target, system_qualifications
from reconciler.mturk.system_qualifications import MASTERS_PRODUCTION, MASTERS_SANDBOX


def test_targets_point_at_mturk_endpoints_in_us_east_1():
    assert resolve_target("sandbox").endpoint_url == "https://mturk-requester-sandbox.us-east-1.amazonaws.com"
    assert resolve_target("production").endpoint_url == "https://mturk-requester.us-east-1.amazonaws.com"
    assert {t.region for t in TARGETS.values()} == {"us-east-1"}
    assert [name for name, t in TARGETS.items() if t.production] == ["production"]
    assert [name for name, t in TARGETS.items() if t.sandbox] == ["sandbox"]
    assert [name for name, t in TARGETS.items() if not t.needs_credentials] == ["local"]


def test_unknown_target_is_one_sentence(tmp_path):
    with pytest.raises(TargetError) as caught:
        make_client("staging", project_dir=tmp_path)
    assert str(caught.value) == "Unknown target 'staging': use one of local, sandbox, production."


def test_only_masters_differs_between_sandbox_and_production():
    sandbox = system_qualifications(resolve_target("sandbox"))
    production = system_qualifications(resolve_target("production"))
    assert sandbox.id_of("Masters") == MASTERS_SANDBOX
    assert production.id_of("Masters") == MASTERS_PRODUCTION
    for name in SYSTEM_QUALIFICATIONS:
        if name != "Masters":
            assert sandbox.id_of(name) == production.id_of(name)
    assert sandbox.id_of("Locale") == "00000000000000000071"
    assert production.id_of("PercentAssignmentsApproved") == "000000000000000000L0"


@pytest.mark.parametrize("target", ["local", "sandbox", "production"])
def test_names_and_ids_map_both_ways(target):
    table = system_qualifications(resolve_target(target))
    assert set(table.ids) == set(SYSTEM_QUALIFICATIONS)
    for name in SYSTEM_QUALIFICATIONS:
        assert table.name_of(table.id_of(name)) == name
    assert table.name_of("3NOTASYSTEMTYPE0000000000000000") is None


@pytest.mark.parametrize("masters", [MASTERS_SANDBOX, MASTERS_PRODUCTION])
def test_local_target_uses_the_masters_id_its_emulator_accepts(tmp_path, masters):
    """A requirement on the local table's Masters ID is accepted; the other realm's is not."""
    with make_client("local", project_dir=tmp_path) as conn:
        expected = conn.system_qualifications.id_of("Masters")
        requirement = {"QualificationTypeId": masters, "Comparator": "Exists"}
        accepted = True
        try:
            conn.client.create_hit_type(
                Title="t", Description="d", Reward="0.10", AssignmentDurationInSeconds=60,
                QualificationRequirements=[requirement],
            )
        except conn.client.exceptions.RequestError:
            accepted = False
    assert accepted == (masters == expected)
