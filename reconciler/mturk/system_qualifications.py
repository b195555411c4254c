"""MTurk's system qualification types: friendly name ↔ QualificationTypeId, per target.

The single place these IDs live. The live reader maps IDs back to names; apply maps names to
IDs. They are the same everywhere except Masters, which has its own ID in the sandbox. The
`local` emulator is started in production's realm (the emulator's default), so it uses
production's Masters ID.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Mapping

from reconciler.model import SYSTEM_QUALIFICATIONS
from reconciler.mturk.targets import Target

MASTERS_PRODUCTION = "2F1QJWKUDD8XADTFD2Q0G6UTO95ALH"
MASTERS_SANDBOX = "2ARFPLSP75KLA8M8DH1HTEQVJT3SY6"

_SHARED_IDS = {
    "Locale": "00000000000000000071",
    "PercentAssignmentsApproved": "000000000000000000L0",
    "NumberHITsApproved": "00000000000000000040",
    "Adult": "00000000000000000060",
}


@dataclass(frozen=True)
class SystemQualifications:
    """Both directions of the friendly-name ↔ ID table of one target."""

    ids: Mapping[str, str]  # friendly name → QualificationTypeId
    names: Mapping[str, str]  # QualificationTypeId → friendly name

    def id_of(self, name: str) -> str:
        """The QualificationTypeId of a friendly name (one of model.SYSTEM_QUALIFICATIONS)."""
        return self.ids[name]

    def name_of(self, qualification_type_id: str) -> str | None:
        """The friendly name of a system qualification ID, or None when it is not one."""
        return self.names.get(qualification_type_id)


def _table(masters_id: str) -> SystemQualifications:
    ids = {"Masters": masters_id, **_SHARED_IDS}
    assert set(ids) == set(SYSTEM_QUALIFICATIONS)
    return SystemQualifications(MappingProxyType(ids), MappingProxyType({v: k for k, v in ids.items()}))


_SANDBOX = _table(MASTERS_SANDBOX)
_PRODUCTION = _table(MASTERS_PRODUCTION)


def system_qualifications(target: Target) -> SystemQualifications:
    """The system qualification table of a target: the sandbox's for a sandbox, production's otherwise."""
    return _SANDBOX if target.sandbox else _PRODUCTION
