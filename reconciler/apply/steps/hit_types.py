"""HIT types: the properties MTurk groups HITs by, resolved to a HITTypeId with CreateHITType.

MTurk has no list or get for HIT types; CreateHITType answers the existing ID for identical
properties, so "create" is how a type is resolved. StepContext.hit_types calls this once per
distinct HITType in a run.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from reconciler.model import HITType, Requirement

if TYPE_CHECKING:
    from reconciler.apply.context import QualificationIds, StepContext


def create_hit_type(ctx: StepContext, hit_type: HITType) -> str:
    """The HITTypeId of `hit_type`, created (or found, for identical properties) with one call."""
    response = ctx.caller.call("CreateHITType", **hit_type_params(hit_type, ctx.qualifications))
    return str(response["HITTypeId"])


def hit_type_params(hit_type: HITType, qualifications: QualificationIds) -> dict:
    """CreateHITType's parameters for a model HITType."""
    params: dict = {
        "Title": hit_type.title,
        "Description": hit_type.description,
        "Reward": str(hit_type.reward),
        "AssignmentDurationInSeconds": hit_type.assignment_duration,
        "AutoApprovalDelayInSeconds": hit_type.auto_approval_delay,
    }
    if hit_type.keywords:
        params["Keywords"] = ", ".join(hit_type.keywords)
    if hit_type.requirements:
        params["QualificationRequirements"] = [requirement_params(r, qualifications) for r in hit_type.requirements]
    return params


def requirement_params(requirement: Requirement, qualifications: QualificationIds) -> dict:
    """One QualificationRequirement, its qualification name resolved to an ID.

    ActionsGuarded is always sent (and RequiredToPreview never): the live reader folds both into
    ActionsGuarded, so sending it explicitly reads back as exactly what was declared.
    """
    params: dict = {
        "QualificationTypeId": qualifications.requirement_id(requirement),
        "Comparator": requirement.comparator,
        "ActionsGuarded": requirement.actions_guarded,
    }
    if requirement.integer_values:
        params["IntegerValues"] = list(requirement.integer_values)
    if requirement.locale_values:
        params["LocaleValues"] = [
            {"Country": loc.country, **({"Subdivision": loc.subdivision} if loc.subdivision else {})}
            for loc in requirement.locale_values
        ]
    return params


def describe_hit_type(hit_type: HITType) -> str:
    """A short label for a HIT type in progress lines and --explain."""
    return f"{hit_type.title!r} at ${hit_type.reward}"
