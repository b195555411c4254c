"""Reading the project's qualification types and their grants.

A qualification type is found two ways: by the exact MTurk name of each type the manifests
declare (MTurk names are unique per requester), and by the project tag among its keywords, so
that a type removed from the manifests is still found and can be deleted.
"""

from __future__ import annotations

from typing import Any, Iterable

from reconciler.identity import is_project_keyword, logical_name_of, qualification_tag
from reconciler.live.pages import list_items
from reconciler.model import DesiredState, Grant, Lifecycle, QualificationType

# ListQualificationTypes requires MustBeRequestable; False also lists types workers cannot
# request (ours included). MustBeOwnedByCaller keeps other requesters' types out.
_OWN_TYPES = {"MustBeRequestable": False, "MustBeOwnedByCaller": True}


def split_keywords(text: str | None) -> tuple[str, ...]:
    """MTurk's comma-separated Keywords as a tuple (the model trims, dedupes and sorts)."""
    return tuple(text.split(",")) if text else ()


def read_qualification_types(client: Any, desired: DesiredState) -> tuple[QualificationType, ...]:
    """The types the manifests name, plus every type carrying the project tag, sorted by logical name.

    A type that has a declared name but not the project tag comes back with `owned=False`. The
    planner must refuse to touch it. Keywords cannot be changed, so the tag cannot be added
    later; the error must tell the user to choose another `qualification_name` or to delete the
    type with that name from the account.
    """
    tag = qualification_tag(desired.project.name)
    declared = {qt.qualification_name: qt for qt in desired.qualification_types}
    found: dict[str, dict] = {}
    for name in declared:
        for item in _query(client, name):
            if item.get("Name") == name:
                found[item["QualificationTypeId"]] = item
    for item in _query(client, tag):
        if tag in _stripped(item.get("Keywords")):
            found[item["QualificationTypeId"]] = item
    project = desired.project.name
    by_name = {qt.name: qt for qt in desired.qualification_types}
    types = (_qualification_type(item, project, declared, by_name) for item in found.values())
    return tuple(sorted(types, key=lambda qt: (qt.name, qt.qualification_type_id or "")))


def _query(client: Any, text: str) -> Iterable[dict]:
    return list_items(client, "list_qualification_types", "QualificationTypes", Query=text, **_OWN_TYPES)


def _stripped(keywords: str | None) -> set[str]:
    return {k.strip() for k in split_keywords(keywords)}


def _qualification_type(
    item: dict, project: str, by_mturk_name: dict[str, QualificationType], by_name: dict[str, QualificationType]
) -> QualificationType:
    """The model of one listed type. Its logical name is the one recorded in its keywords (so a
    renamed `qualification_name` still pairs with its declaration), else the declaration's of the
    same MTurk name, else the MTurk name. Settings that exist only in manifests (grant mode,
    lifecycle) are copied from the declaration so they never show up as live drift."""
    keywords = _stripped(item.get("Keywords"))
    owned = qualification_tag(project) in keywords
    recorded = logical_name_of(project, keywords) if owned else None
    declared = by_name.get(recorded) if recorded else by_mturk_name.get(item["Name"])
    auto_granted = bool(item.get("AutoGranted", False))
    return QualificationType(
        name=recorded or (declared.name if declared else item["Name"]),
        qualification_name=item["Name"],
        description=item.get("Description") or "",
        keywords=tuple(k for k in keywords if not is_project_keyword(project, k)),
        status=item.get("QualificationTypeStatus", "Active"),
        retry_delay=item.get("RetryDelayInSeconds"),
        test=item.get("Test"),
        answer_key=item.get("AnswerKey"),
        test_duration=item.get("TestDurationInSeconds"),
        auto_granted=auto_granted,
        auto_granted_value=item.get("AutoGrantedValue") if auto_granted else None,
        grants_mode=declared.grants_mode if declared else "additive",
        lifecycle=declared.lifecycle if declared else Lifecycle(),
        qualification_type_id=item["QualificationTypeId"],
        owned=owned,
    )


def read_grants(client: Any, types: Iterable[QualificationType]) -> tuple[Grant, ...]:
    """Workers currently granted each owned type, with their integer scores, sorted."""
    grants = []
    for qt in types:
        if not qt.owned:
            continue
        items = list_items(
            client,
            "list_workers_with_qualification_type",
            "Qualifications",
            QualificationTypeId=qt.qualification_type_id,
            Status="Granted",
        )
        grants.extend(Grant(qt.name, item["WorkerId"], int(item.get("IntegerValue", 1))) for item in items)
    return tuple(sorted(grants, key=lambda g: (g.qualification, g.worker_id)))
