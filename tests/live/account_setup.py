"""Setting up an emulated account for the live-reader tests: HITs, types and desired states."""

from __future__ import annotations

from decimal import Decimal

from reconciler.identity import hit_annotation
from reconciler.model import DesiredState, Project, QualificationType

PROJECT = "acme"
ENGLISH = "ACME English check"

HTML_NS = "http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/2011-11-11/HTMLQuestion.xsd"


def html_question(body: str = "<p>Rate this</p>", spacing: str = "\n  ") -> str:
    """An HTMLQuestion document; `spacing` varies the whitespace between elements."""
    return (
        f'<HTMLQuestion xmlns="{HTML_NS}">{spacing}<HTMLContent><![CDATA[<!DOCTYPE html><html><body>'
        f"{body}</body></html>]]></HTMLContent>{spacing}<FrameHeight>450</FrameHeight>{spacing}</HTMLQuestion>"
    )


def hit_fields(**overrides: object) -> dict:
    """CreateHIT arguments for a plain HIT; override any of them."""
    fields: dict = {
        "Title": "Rate the sentiment of a sentence",
        "Description": "Read one sentence and pick positive, neutral or negative.",
        "Reward": "0.05",
        "AssignmentDurationInSeconds": 600,
        "AutoApprovalDelayInSeconds": 259_200,
        "LifetimeInSeconds": 86_400,
        "Keywords": "sentiment, text",
        "MaxAssignments": 3,
        "Question": html_question(),
    }
    fields.update(overrides)
    return fields


def create_hit(client, batch: str | None = "tweets", key: str = "1", generation: int = 0, *,
               project: str = PROJECT, annotation: str | None = None, **overrides: object) -> dict:
    """Create a HIT through boto3, annotated as `project`'s row unless `annotation` says otherwise."""
    fields = hit_fields(**overrides)
    if annotation is None and batch is not None:
        annotation = hit_annotation(project, batch, key, generation)
    if annotation is not None:
        fields["RequesterAnnotation"] = annotation
    return client.create_hit(**fields)["HIT"]


def english_type(**overrides: object) -> QualificationType:
    fields: dict = {"name": "english", "qualification_name": ENGLISH, "description": "Short English test"}
    fields.update(overrides)
    return QualificationType(**fields)


def desired_state(*types: QualificationType) -> DesiredState:
    return DesiredState(project=Project(PROJECT, budget=Decimal("100")), qualification_types=types)


