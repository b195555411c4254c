"""Constants and helpers shared by the emulator engine tests."""

from __future__ import annotations

from datetime import UTC, datetime

HTML_QUESTION = (
    '<HTMLQuestion xmlns="http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/'
    '2011-11-11/HTMLQuestion.xsd"><HTMLContent><![CDATA[<!DOCTYPE html><html><body>'
    '<form><input name="sentiment"/></form></body></html>]]></HTMLContent>'
    "<FrameHeight>450</FrameHeight></HTMLQuestion>"
)
QUESTION_FORM = (
    '<QuestionForm xmlns="http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/'
    '2017-11-06/QuestionForm.xsd"><Question><QuestionIdentifier>q1</QuestionIdentifier>'
    "<QuestionContent><Text>Which?</Text></QuestionContent><AnswerSpecification>"
    "<FreeTextAnswer/></AnswerSpecification></Question></QuestionForm>"
)
START = datetime(2026, 3, 2, 9, 0, 0, tzinfo=UTC)
WORKER = "A1EXAMPLEWORKER"
OTHER_WORKER = "A2SECONDWORKER"

TYPE_FIELDS = {
    "Title": "Rate a tweet",
    "Description": "Say whether a tweet is positive",
    "Reward": "0.50",
    "AssignmentDurationInSeconds": 600,
    "AutoApprovalDelayInSeconds": 86_400,
    "Keywords": "tweet, sentiment",
}


def make_hit(client, hit_type: str, **extra) -> dict:
    """Create a HIT of `hit_type` (one hour, one assignment unless overridden)."""
    params = {"HITTypeId": hit_type, "LifetimeInSeconds": 3600, "Question": HTML_QUESTION}
    params.update(extra)
    return client.create_hit_with_hit_type(**params)["HIT"]


def error_of(excinfo) -> tuple[str, str | None, str]:
    """(error code, TurkErrorCode, message) of a botocore ClientError."""
    response = excinfo.value.response
    return response["Error"]["Code"], response.get("TurkErrorCode"), response["Error"]["Message"]
