"""Checks on the Question XML of a HIT (and a qualification Test) before MTurk accepts it."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree

from .errors import XML_PARSE_ERROR, request_error

SCHEMA_BASE = "http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/"
EXTERNAL_QUESTION = SCHEMA_BASE + "2006-07-14/ExternalQuestion.xsd"
HTML_QUESTION = SCHEMA_BASE + "2011-11-11/HTMLQuestion.xsd"
QUESTION_FORMS = frozenset({
    SCHEMA_BASE + "2017-11-06/QuestionForm.xsd",
    SCHEMA_BASE + "2005-10-01/QuestionForm.xsd",
})
QUESTION_FORM_ANSWERS = SCHEMA_BASE + "2005-10-01/QuestionFormAnswers.xsd"
ANSWER_KEY = SCHEMA_BASE + "2005-10-01/AnswerKey.xsd"
MAX_BYTES = 65_535
# QuestionForm elements MTurk stopped supporting on 2017-12-12 (any schema version).
REMOVED_ELEMENTS = ("FileUploadAnswer", "Application")

_PARSE_MESSAGE = (
    "There was an error parsing the XML question or answer data in your request.  Please make "
    "sure the data is well-formed and validates against the appropriate schema. Details: {}"
)


def _xml_error(detail: str):
    return request_error(_PARSE_MESSAGE.format(detail), XML_PARSE_ERROR)


def parse_document(text: str, allowed: frozenset[str], what: str) -> ElementTree.Element:
    """Parse an MTurk XML document whose root must be in one of the `allowed` namespaces."""
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise _xml_error(f"the {what} is longer than {MAX_BYTES} bytes.")
    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError as error:
        raise _xml_error(f"{what} is not well-formed XML: {error}.") from None
    namespace, _, local = root.tag[1:].partition("}") if root.tag.startswith("{") else ("", "", "")
    if namespace not in allowed:
        raise _xml_error(f"cvc-elt.1: Cannot find the declaration of element '{local or root.tag}'.")
    return root


def check_question(text: str) -> None:
    """Accept an ExternalQuestion (HTTPS URL), HTMLQuestion or QuestionForm; reject the rest."""
    allowed = frozenset({EXTERNAL_QUESTION, HTML_QUESTION}) | QUESTION_FORMS
    root = parse_document(text, allowed, "Question")
    namespace = root.tag[1:].partition("}")[0]
    if namespace == EXTERNAL_QUESTION:
        url = root.findtext(f"{{{EXTERNAL_QUESTION}}}ExternalURL", "").strip()
        if not url.lower().startswith("https://"):
            raise _xml_error(f"The ExternalURL '{url}' must use HTTPS.")
        _check_frame_height(root, EXTERNAL_QUESTION)
    elif namespace == HTML_QUESTION:
        if not root.findtext(f"{{{HTML_QUESTION}}}HTMLContent", "").strip():
            raise _xml_error("HTMLQuestion requires a non-empty HTMLContent element.")
        _check_frame_height(root, HTML_QUESTION)
    else:
        _check_supported_elements(root)


def _check_supported_elements(form: ElementTree.Element) -> None:
    """Refuse a QuestionForm using an element MTurk no longer supports."""
    for element in form.iter():
        local = element.tag.rpartition("}")[2]
        if local in REMOVED_ELEMENTS:
            raise _xml_error(f"cvc-complex-type.2.4.a: Invalid content was found starting with "
                             f"element '{local}'; it is no longer supported since 2017-12-12.")


def _check_frame_height(root: ElementTree.Element, namespace: str) -> None:
    height = root.findtext(f"{{{namespace}}}FrameHeight", "").strip()
    if not height.isdigit():
        raise _xml_error(f"FrameHeight must be a non-negative integer, not '{height}'.")


def check_test(text: str) -> None:
    """A qualification Test must be a QuestionForm (of supported elements)."""
    _check_supported_elements(parse_document(text, QUESTION_FORMS, "Test"))


def check_answer_key(text: str) -> None:
    """An AnswerKey document."""
    parse_document(text, frozenset({ANSWER_KEY}), "AnswerKey")


def check_answers(text: str) -> None:
    """A QuestionFormAnswers document (what a worker submits)."""
    parse_document(text, frozenset({QUESTION_FORM_ANSWERS}), "Answer")
