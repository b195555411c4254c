"""Answers for rehearsed work: the fields a question asks for, the answer document, answer files."""

from __future__ import annotations

import random

import pytest

from reconciler.emulator.answers import AnswerFile, answer_document, question_fields, random_answers
from reconciler.emulator.questions import check_answers

SCHEMAS = "http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/"
HTML_FORM = (
    f'<HTMLQuestion xmlns="{SCHEMAS}2011-11-11/HTMLQuestion.xsd"><HTMLContent><![CDATA['
    '<form><input type="hidden" name="assignmentId"/>'
    '<input type="radio" name="sentiment" value="positive"/><input type="radio" name="sentiment" value="negative"/>'
    '<select name="confidence"><option value="low">Low</option><option value="high">High</option></select>'
    '<textarea name="comment"></textarea><input type="submit" name="go"/></form>'
    "]]></HTMLContent><FrameHeight>450</FrameHeight></HTMLQuestion>"
)
QUESTION_FORM = (
    f'<QuestionForm xmlns="{SCHEMAS}2017-11-06/QuestionForm.xsd"><Question><QuestionIdentifier>colour</QuestionIdentifier>'
    "<QuestionContent><Text>Pick</Text></QuestionContent><AnswerSpecification><SelectionAnswer><Selections>"
    "<Selection><SelectionIdentifier>red</SelectionIdentifier><Text>Red</Text></Selection>"
    "<Selection><SelectionIdentifier>blue</SelectionIdentifier><Text>Blue</Text></Selection>"
    "</Selections></SelectionAnswer></AnswerSpecification></Question>"
    "<Question><QuestionIdentifier>why</QuestionIdentifier><QuestionContent><Text>Why?</Text></QuestionContent>"
    "<AnswerSpecification><FreeTextAnswer/></AnswerSpecification></Question></QuestionForm>"
)
EXTERNAL = (
    f'<ExternalQuestion xmlns="{SCHEMAS}2006-07-14/ExternalQuestion.xsd">'
    "<ExternalURL>https://tasks.example.org/t?id=1</ExternalURL><FrameHeight>0</FrameHeight></ExternalQuestion>"
)


def test_an_html_form_offers_its_named_fields_and_their_choices():
    fields = {f.name: f.choices for f in question_fields(HTML_FORM)}
    assert fields == {"sentiment": ["positive", "negative"], "confidence": ["low", "high"], "comment": []}


def test_a_question_form_offers_its_questions_and_selections():
    fields = question_fields(QUESTION_FORM)
    assert [(f.name, f.choices, f.selection) for f in fields] == [("colour", ["red", "blue"], True), ("why", [], False)]


@pytest.mark.parametrize("question", [EXTERNAL, None, "not xml"])
def test_an_external_or_unreadable_question_gets_one_free_text_answer(question):
    assert [f.name for f in question_fields(question)] == ["answer"]


def test_random_answers_pick_offered_choices():
    fields = question_fields(HTML_FORM)
    for seed in range(10):
        answers = random_answers(fields, random.Random(seed))
        assert answers["sentiment"] in {"positive", "negative"} and answers["confidence"] in {"low", "high"}
        assert answers["comment"]


def test_the_answer_document_is_what_mturk_accepts_as_an_answer():
    fields = question_fields(QUESTION_FORM)
    document = answer_document({"colour": "red", "why": "a < b & c"}, fields)
    check_answers(document)  # the engine's own QuestionFormAnswers check
    assert "<SelectionIdentifier>red</SelectionIdentifier>" in document
    assert "<FreeText>a &lt; b &amp; c</FreeText>" in document


def test_an_answer_file_gives_keyed_records_to_their_row_and_the_rest_in_turn(tmp_path):
    path = tmp_path / "answers.jsonl"
    path.write_text('{"key": "t1", "sentiment": "negative"}\n{"sentiment": "positive"}\n{"sentiment": "neutral", "score": 3}\n')
    answers = AnswerFile(path)
    assert answers.answers_for("t1") == {"sentiment": "negative"}
    assert answers.answers_for("t1") == {"sentiment": "negative"}
    assert [answers.answers_for("t9")["sentiment"] for _ in range(3)] == ["positive", "neutral", "positive"]
    assert answers.answers_for("t2") == {"sentiment": "neutral", "score": "3"}


def test_an_answer_file_of_the_wrong_shape_is_refused(tmp_path):
    path = tmp_path / "answers.json"
    path.write_text('{"sentiment": "positive"}')
    with pytest.raises(ValueError, match="must hold JSON objects"):
        AnswerFile(path)
