"""How declared qualification types compare with the live ones.

A type is matched by its MTurk name (unique per requester), else by its logical name. MTurk's
UpdateQualificationType changes description, status, retry delay, test (with answer key and
duration) and auto-granting; it cannot change the name or the keywords, so those force a
replacement, which loses every worker's score. Two updates MTurk refuses outright (removing a
retry delay, removing a test) are plan errors that say what to do instead.
"""

from __future__ import annotations

import dataclasses

from reconciler.identity import is_project_keyword
from reconciler.model import DesiredState, LiveState, QualificationType, to_data
from reconciler.plan.addresses import qualification_type_address
from reconciler.plan.changes import Action, Change
from reconciler.plan.fields import changed_fields
from reconciler.plan.normalise import normalise_question

KIND = "qualification_type"
MUTABLE = ("description", "status", "retry_delay", "test", "answer_key", "test_duration",
           "auto_granted", "auto_granted_value")
REPLACING = ("qualification_name", "keywords")
FIELDS = ("name", "qualification_name", "description", "keywords", "status", "retry_delay", "test",
          "answer_key", "test_duration", "auto_granted", "auto_granted_value", "grants_mode")
_XML_FIELDS = ("test", "answer_key")
# `lifecycle.ignore_changes` names, as a manifest writes them, for the fields they cover.
IGNORABLE = {
    "description": ("description",),
    "status": ("status",),
    "retry_delay": ("retry_delay",),
    "test": ("test", "answer_key", "test_duration"),
    "auto_granted": ("auto_granted", "auto_granted_value"),
}
_SCORES_LOST = "every worker's score on it is lost"


def compare_qualification_types(desired: DesiredState, live: LiveState) -> list[Change]:
    """Create, update, replace or delete per type; plan errors for what MTurk cannot do."""
    pairs, unmatched = match_types(desired.qualification_types, live.qualification_types)
    project = desired.project.name
    changes = [c for d, l in pairs if (c := _compare_type(d, l, project)) is not None]
    changes += [
        Change(qualification_type_address(l.name), Action.DELETE, KIND, before=l, destructive=True,
               reason=f"it was removed from the manifests: deleting it means {_SCORES_LOST}")
        for l in unmatched if l.owned
    ]
    return changes


def ignored_fields(qt: QualificationType) -> set[str]:
    """The fields whose drift a type's lifecycle.ignore_changes says to leave alone."""
    return {f for name in qt.lifecycle.ignore_changes for f in IGNORABLE.get(name, (name,))}


def match_types(
    declared: tuple[QualificationType, ...], listed: tuple[QualificationType, ...]
) -> tuple[list[tuple[QualificationType, QualificationType | None]], list[QualificationType]]:
    """(declared, live or None) pairs, by MTurk name first, then logical name; plus unmatched live types."""
    remaining = list(listed)
    pairs: list[tuple[QualificationType, QualificationType | None]] = []
    for wanted in declared:
        found = next((l for l in remaining if l.qualification_name == wanted.qualification_name), None)
        if found is not None:
            remaining.remove(found)
        pairs.append((wanted, found))
    for index, (wanted, found) in enumerate(pairs):
        if found is None:
            found = next((l for l in remaining if l.owned and l.name == wanted.name), None)
            if found is not None:
                remaining.remove(found)
                pairs[index] = (wanted, found)
    return pairs, remaining


def _compare_type(wanted: QualificationType, current: QualificationType | None, project: str) -> Change | None:
    address = qualification_type_address(wanted.name)
    if current is None:
        return Change(address, Action.CREATE, KIND, after=wanted, reason="it does not exist yet")
    if not current.owned:
        return Change(address, Action.CREATE, KIND, after=wanted, error=(
            f"a qualification type named {wanted.qualification_name!r} already exists in the account without "
            f"project {project}'s tag, and MTurk cannot add the tag to it: choose another qualification_name, "
            f"or delete that type from the account first."
        ))
    ignored = ignored_fields(wanted)
    new, old = _comparable(wanted, project), _comparable(current, project)
    differing = [f for f in REPLACING + MUTABLE if f not in ignored and new[f] != old[f]]
    if not differing:
        return None
    diffs = changed_fields({f: old[f] for f in differing}, {f: new[f] for f in differing})
    replacing = [f for f in REPLACING if f in differing]
    if replacing:
        return _replace(wanted, current, replacing, diffs)
    after = dataclasses.replace(
        wanted, qualification_type_id=current.qualification_type_id,
        **{f: getattr(current, f) for f in MUTABLE + REPLACING if f in ignored},
    )
    change = Change(address, Action.UPDATE, KIND, before=current, after=after, field_diffs=diffs,
                    reason=f"{', '.join(diffs)} changed; MTurk updates these in place")
    error = _update_error(current, after)
    return dataclasses.replace(change, error=error) if error else change


def _replace(
    wanted: QualificationType, current: QualificationType, replacing: list[str], diffs: tuple[str, ...]
) -> Change:
    after = dataclasses.replace(wanted, qualification_type_id=None)
    reason = (f"MTurk cannot change a qualification type's {' or '.join(replacing)}, so it is deleted and "
              f"created again: {_SCORES_LOST}")
    change = Change(qualification_type_address(wanted.name), Action.REPLACE, KIND, before=current, after=after,
                    field_diffs=diffs, destructive=True, reason=reason)
    if current.qualification_name == wanted.qualification_name:
        # MTurk frees a deleted type's name only when the deletion finishes (up to 48 h), so the
        # create of a same-name replacement would fail and leave the project without the type.
        return dataclasses.replace(change, error=(
            f"MTurk cannot change a qualification type's {' or '.join(replacing)}, and cannot create a replacement "
            f"under the same name until it has finished deleting the old type (up to 48 hours): keep the "
            f"{' and '.join(replacing)} as they are, or also give the type a new qualification_name, which replaces "
            f"it ({_SCORES_LOST})."
        ))
    return change


def _update_error(current: QualificationType, after: QualificationType) -> str | None:
    """What UpdateQualificationType refuses, in one sentence with the way out."""
    if current.retry_delay is not None and after.retry_delay is None:
        return (f"MTurk cannot remove a qualification type's retry delay once set: keep retry_delay "
                f"({current.retry_delay} s) or change it, or give the type a new qualification_name to replace it "
                f"({_SCORES_LOST}).")
    if current.test is not None and after.test is None:
        return ("MTurk cannot remove a qualification type's test once set: keep a test, or give the type a new "
                f"qualification_name to replace it ({_SCORES_LOST}).")
    if after.test is not None and after.auto_granted:
        return "MTurk does not auto-grant a qualification type that has a test: drop the test or auto_granted."
    return None


def _comparable(qt: QualificationType, project: str) -> dict[str, object]:
    """The fields MTurk holds, as it compares them: the project's tags left out of the keywords
    (apply adds it), test and answer key XML normalised."""
    values = {f: getattr(qt, f) for f in REPLACING + MUTABLE}
    values["keywords"] = tuple(k for k in qt.keywords if not is_project_keyword(project, k))
    for field in _XML_FIELDS:
        if values[field] is not None:
            values[field] = normalise_question(str(values[field]))
    return {f: to_data(v) for f, v in values.items()}
