"""Qualification type steps: create, update (mutable fields), replace (delete + create), delete.

A type is found by its MTurk name, which is unique per requester. A create that meets
QualificationTypeAlreadyExists adopts the existing type when it carries this project's tag (an
earlier, interrupted apply made it) and fails otherwise. Every ID made or kept is registered so
the HIT types and grants of later stages can name it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from botocore.exceptions import ClientError

from reconciler.apply.calls import StepFailed, is_code
from reconciler.identity import project_keywords
from reconciler.model import QualificationType
from reconciler.plan.changes import Change

if TYPE_CHECKING:
    from reconciler.apply.context import StepContext
    from reconciler.apply.readback import LiveIndex


def create_params(qt: QualificationType, project: str) -> dict:
    """CreateQualificationType's parameters; the project's tags join the declared keywords."""
    keywords = sorted(set(qt.keywords) | set(project_keywords(project, qt.name)))
    params: dict = {
        "Name": qt.qualification_name,
        "Description": qt.description,
        "Keywords": ", ".join(keywords),
        "QualificationTypeStatus": qt.status,
        "AutoGranted": qt.auto_granted,
    }
    if qt.retry_delay is not None:
        params["RetryDelayInSeconds"] = qt.retry_delay
    if qt.test is not None:
        params.update(Test=qt.test, TestDurationInSeconds=qt.test_duration or 0)
        if qt.answer_key is not None:
            params["AnswerKey"] = qt.answer_key
    if qt.auto_granted and qt.auto_granted_value is not None:
        params["AutoGrantedValue"] = qt.auto_granted_value
    return params


def update_params(before: QualificationType, after: QualificationType) -> dict:
    """UpdateQualificationType's parameters: the mutable fields, the test only when it changed
    (MTurk wants the whole test again to change its duration or key)."""
    params: dict = {
        "QualificationTypeId": before.qualification_type_id,
        "Description": after.description,
        "QualificationTypeStatus": after.status,
    }
    if after.retry_delay is not None:
        params["RetryDelayInSeconds"] = after.retry_delay
    if after.test is not None and (after.test, after.answer_key, after.test_duration) != (
        before.test,
        before.answer_key,
        before.test_duration,
    ):
        params.update(Test=after.test, TestDurationInSeconds=after.test_duration or 0)
        if after.answer_key is not None:
            params["AnswerKey"] = after.answer_key
    if (after.auto_granted, after.auto_granted_value) != (before.auto_granted, before.auto_granted_value):
        params["AutoGranted"] = after.auto_granted
        if after.auto_granted and after.auto_granted_value is not None:
            params["AutoGrantedValue"] = after.auto_granted_value
    return params


def create(ctx: StepContext, change: Change) -> str:
    after = _qt(change.after)
    try:
        response = ctx.caller.call("CreateQualificationType", **create_params(after, ctx.project))
        type_id = str(response["QualificationType"]["QualificationTypeId"])
    except ClientError as exc:
        if not is_code(exc, "QualificationTypeAlreadyExists"):
            raise
        found = ctx.qualifications.find_by_name(after.qualification_name)
        if found is None:
            raise StepFailed(
                "QualificationTypeAlreadyExists",
                f"a qualification type named {after.qualification_name!r} exists without this project's tag",
            ) from exc
        type_id = found
    ctx.qualifications.register(after.name, type_id, after.qualification_name)
    return type_id


def update(ctx: StepContext, change: Change) -> str:
    before, after = _qt(change.before), _qt(change.after)
    ctx.caller.call("UpdateQualificationType", **update_params(before, after))
    ctx.qualifications.register(after.name, str(before.qualification_type_id), after.qualification_name)
    return str(before.qualification_type_id)


def delete(ctx: StepContext, change: Change) -> str:
    before = _qt(change.before)
    try:
        ctx.caller.call("DeleteQualificationType", QualificationTypeId=before.qualification_type_id)
    except ClientError as exc:
        if not is_code(exc, "QualificationTypeDoesNotExist"):
            raise
    ctx.qualifications.forget(before.name)
    return str(before.qualification_type_id)


def replace(ctx: StepContext, change: Change) -> str:
    """Delete the old type (its workers' scores go with it, as the plan warned), create the new."""
    delete(ctx, change)
    return create(ctx, change)


def _qt(value: object) -> QualificationType:
    if not isinstance(value, QualificationType):
        raise StepFailed("MalformedPlan", "the plan's change has no qualification type where one is needed")
    return value


def verify_present(change: Change, live: LiveIndex) -> str | None:
    after = _qt(change.after)
    found = live.qualification_types.get(after.qualification_name)
    if found is None:
        return f"no qualification type named {after.qualification_name!r} is listed"
    if (found.description, found.status) != (after.description, after.status):
        return "its description or status differs from the plan's"
    return None


def verify_deleted(change: Change, live: LiveIndex) -> str | None:
    return None  # deletion is asynchronous on MTurk (up to 48 h): nothing to compare yet
