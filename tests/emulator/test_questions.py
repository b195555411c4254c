"""Question documents as MTurk checks them: schema namespaces, HTTPS, removed elements, and the
65,535-byte limit counted in bytes (not characters), for HITs and qualification tests."""

from __future__ import annotations

import pytest
from emulator_support import HTML_QUESTION, QUESTION_FORM, error_of, make_hit

SCHEMAS = "http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/"
LIMIT = 65_535


def external(url: str, height: str = "0") -> str:
    return (f'<ExternalQuestion xmlns="{SCHEMAS}2006-07-14/ExternalQuestion.xsd">'
            f"<ExternalURL>{url}</ExternalURL><FrameHeight>{height}</FrameHeight>"
            "</ExternalQuestion>")


def html_of_size(size: int, filler: str) -> str:
    """An HTMLQuestion of exactly `size` UTF-8 bytes, padded with `filler` (one character)."""
    bare = HTML_QUESTION.replace("<form>", "<form><p></p>")
    room = size - len(bare.encode("utf-8"))
    width = len(filler.encode("utf-8"))
    padding = filler * (room // width) + "x" * (room % width)
    return bare.replace("<p></p>", f"<p>{padding}</p>")


def form(body: str, version: str = "2017-11-06") -> str:
    return (f'<QuestionForm xmlns="{SCHEMAS}{version}/QuestionForm.xsd"><Question>'
            "<QuestionIdentifier>q1</QuestionIdentifier><QuestionContent><Text>Q</Text>"
            f"</QuestionContent><AnswerSpecification>{body}</AnswerSpecification></Question>"
            "</QuestionForm>")


def refused_as_xml(client, call) -> str:
    with pytest.raises(client.exceptions.RequestError) as excinfo:
        call()
    _, turk, message = error_of(excinfo)
    assert turk == "AWS.MechanicalTurk.XMLParseError"
    return message


@pytest.mark.parametrize("filler", ["x", "é", "€", "😀"])
def test_a_question_of_exactly_65535_bytes_is_accepted(client, hit_type, filler):
    question = html_of_size(LIMIT, filler)
    assert len(question.encode("utf-8")) == LIMIT
    assert make_hit(client, hit_type, Question=question)["Question"] == question


@pytest.mark.parametrize("filler", ["x", "é", "€", "😀"])
def test_one_byte_more_is_refused_even_when_the_characters_are_fewer(client, hit_type, filler):
    question = html_of_size(LIMIT + 1, filler)
    assert filler == "x" or len(question) < LIMIT  # multibyte text: under the limit in characters
    message = refused_as_xml(client, lambda: make_hit(client, hit_type, Question=question))
    assert "65535 bytes" in message


@pytest.mark.parametrize(
    "question",
    [
        external("https://example.com/task?x=1&amp;y=2"),
        external("HTTPS://example.com/task", "600"),
        form("<FreeTextAnswer/>", "2005-10-01"),
        QUESTION_FORM,
        HTML_QUESTION,
    ],
)
def test_each_supported_schema_is_accepted(client, hit_type, question):
    assert make_hit(client, hit_type, Question=question)["Question"] == question


@pytest.mark.parametrize(
    "question",
    [
        external("http://example.com/task"),
        external("//example.com/task"),
        external("https://example.com/task", "auto"),
        HTML_QUESTION.replace("2011-11-11/HTMLQuestion", "2006-07-14/HTMLQuestion"),
        QUESTION_FORM.replace("2017-11-06", "2017-11-07"),
        HTML_QUESTION.replace("HTMLQuestion", "HtmlQuestion"),
        form("<FileUploadAnswer><MaxFileSizeInBytes>10</MaxFileSizeInBytes>"
             "<MinFileSizeInBytes>1</MinFileSizeInBytes></FileUploadAnswer>"),
        form("<FreeTextAnswer/>").replace("<Text>Q</Text>",
                                          "<Application><JavaApplet/></Application>"),
        "<HTMLQuestion",
    ],
)
def test_unsupported_or_invalid_questions_are_refused(client, hit_type, question):
    refused_as_xml(client, lambda: make_hit(client, hit_type, Question=question))


def create_type_with_test(client, test: str, **extra) -> dict:
    return client.create_qualification_type(Name="Tested", Description="d",
                                            QualificationTypeStatus="Active", Test=test,
                                            TestDurationInSeconds=300, **extra)


@pytest.mark.parametrize("test", [external("https://example.com/q"), HTML_QUESTION,
                                  form("<FileUploadAnswer/>")])
def test_a_qualification_test_must_be_a_supported_question_form(client, test):
    refused_as_xml(client, lambda: create_type_with_test(client, test))


def test_the_answer_key_must_be_an_answer_key_within_65535_bytes(client):
    key = (f'<AnswerKey xmlns="{SCHEMAS}2005-10-01/AnswerKey.xsd"><Question>'
           "<QuestionIdentifier>q1</QuestionIdentifier></Question></AnswerKey>")
    created = create_type_with_test(client, QUESTION_FORM, AnswerKey=key)["QualificationType"]
    assert created["AnswerKey"] == key
    too_long = key.replace("</AnswerKey>", "é" * (LIMIT // 2) + "</AnswerKey>")
    assert len(too_long) < LIMIT < len(too_long.encode("utf-8"))
    refused_as_xml(client, lambda: client.update_qualification_type(
        QualificationTypeId=created["QualificationTypeId"], Test=QUESTION_FORM,
        TestDurationInSeconds=300, AnswerKey=too_long))
    refused_as_xml(client, lambda: client.update_qualification_type(
        QualificationTypeId=created["QualificationTypeId"], Test=QUESTION_FORM,
        TestDurationInSeconds=300, AnswerKey=QUESTION_FORM))
