"""Question rendering: the XML MTurk receives for each row, and the errors a bad row gets."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from spec_samples import BATCH
from reconciler.errors import SpecErrors
from reconciler.spec import load_project
from reconciler.spec.questions import EXTERNAL_NS, HTML_NS, QUESTION_LIMIT, SUBMIT_SCRIPT

QF_NS = "http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/2017-11-06/QuestionForm.xsd"
QUESTION_FORM = f"""<?xml version="1.0" encoding="UTF-8"?>
<QuestionForm xmlns="{QF_NS}">
  <Question>
    <QuestionIdentifier>{{{{ id }}}}</QuestionIdentifier>
    <QuestionContent><Text>{{{{ text }}}}</Text></QuestionContent>
    <AnswerSpecification><FreeTextAnswer/></AnswerSpecification>
  </Question>
</QuestionForm>
"""


def batch_with(question: str, rows: str) -> str:
    text = BATCH.replace("{html: templates/q.html.j2, frame_height: 400}", question)
    return text.replace("data: data/rows.csv", f"rows:\n{rows}")


def questions(make_project, files) -> list[str]:
    return [hit.question for hit in load_project(make_project(files)).hits]


def errors(make_project, files) -> list[str]:
    make_project(files)
    with pytest.raises(SpecErrors) as caught:
        load_project(Path("."))
    return [str(error) for error in caught.value.errors]


def parse(question: str) -> ElementTree.Element:
    return ElementTree.fromstring(question.encode("utf-8"))


def test_html_body_is_wrapped_in_a_page_with_the_submission_script(make_project):
    (question,) = questions(make_project, {"data/rows.csv": "id,text\nt1,<b>hi</b> & bye\n"})
    root = parse(question)
    assert root.tag == f"{{{HTML_NS}}}HTMLQuestion"
    page = root.find(f"{{{HTML_NS}}}HTMLContent").text
    assert f'<script type="text/javascript" src="{SUBMIT_SCRIPT}"></script>' in page
    assert '<input type="hidden" value="" name="assignmentId" id="assignmentId">' in page
    assert "turkSetAssignmentID();" in page
    assert "<p>&lt;b&gt;hi&lt;/b&gt; &amp; bye</p>" in page  # values are HTML-escaped
    assert root.find(f"{{{HTML_NS}}}FrameHeight").text == "400"


def test_cdata_terminator_in_a_value_is_split(make_project):
    (question,) = questions(make_project, {"data/rows.csv": "id,text\nt1,a]]>b\n"})
    page = parse(question).find(f"{{{HTML_NS}}}HTMLContent").text
    assert "<p>a]]&gt;b</p>" in page  # escaped by the template


def test_cdata_terminator_in_the_template_is_split(make_project):
    (question,) = questions(make_project, {"templates/q.html.j2": "<script>var x = a[b[0]]>1;</script>{{ text }}", "data/rows.csv": "id,text\nt1,x\n"})
    assert "]]]]><![CDATA[>" in question
    page = parse(question).find(f"{{{HTML_NS}}}HTMLContent").text
    assert "var x = a[b[0]]>1;" in page


def test_a_whole_page_is_sent_as_written(make_project):
    template = "<!DOCTYPE html>\n<html><body><crowd-form>{{ text }}</crowd-form></body></html>\n"
    (question, _) = questions(make_project, {"templates/q.html.j2": template})
    page = parse(question).find(f"{{{HTML_NS}}}HTMLContent").text
    assert page == "<!DOCTYPE html>\n<html><body><crowd-form>Good day</crowd-form></body></html>\n"


def test_external_url_is_xml_escaped(make_project):
    batch = batch_with(
        '{external_url: "https://x.example/t?id={{ id | urlencode }}&q={{ text | urlencode }}", frame_height: 600}',
        "  - {id: a/1, text: two words}\n",
    )
    (question,) = questions(make_project, {"batch.yaml": batch})
    assert "<ExternalURL>https://x.example/t?id=a/1&amp;q=two%20words</ExternalURL>" in question
    root = parse(question)
    assert root.tag == f"{{{EXTERNAL_NS}}}ExternalQuestion"
    assert root.find(f"{{{EXTERNAL_NS}}}ExternalURL").text == "https://x.example/t?id=a/1&q=two%20words"
    assert root.find(f"{{{EXTERNAL_NS}}}FrameHeight").text == "600"


def test_question_form_renders_and_escapes(make_project):
    batch = batch_with("{question_form: templates/form.xml.j2}", "  - {id: q1, text: 'Tom & Jerry <3'}\n")
    (question,) = questions(make_project, {"batch.yaml": batch, "templates/form.xml.j2": QUESTION_FORM})
    root = parse(question)
    assert root.tag == f"{{{QF_NS}}}QuestionForm"
    assert root.find(f".//{{{QF_NS}}}Text").text == "Tom & Jerry <3"


def test_malformed_question_form_names_batch_row_and_line(make_project):
    template = QUESTION_FORM.replace("<Text>{{ text }}</Text>", "<Text>{{ text }}</Txt>")
    batch = batch_with("{question_form: templates/form.xml.j2}", "  - {id: q1, text: a}\n")
    found = errors(make_project, {"batch.yaml": batch, "templates/form.xml.j2": template})
    assert found == [
        "templates/form.xml.j2:5:1: batch `tweets`, row `q1`: the rendered QuestionForm is not well-formed XML: "
        "mismatched tag (line 5, column 31)"
    ]


def test_question_form_needs_the_question_form_root(make_project):
    batch = batch_with("{question_form: templates/form.xml.j2}", "  - {id: q1}\n")
    found = errors(make_project, {"batch.yaml": batch, "templates/form.xml.j2": "<Other/>"})
    assert found == [
        "templates/form.xml.j2:1:1: batch `tweets`, row `q1`: the rendered document's root is Other, "
        f'not <QuestionForm xmlns="{QF_NS}">'
    ]


def test_question_over_the_size_limit(make_project):
    big = "x" * QUESTION_LIMIT
    found = errors(make_project, {"data/rows.csv": f"id,text\nsmall,a\nbig,{big}\n"})
    assert len(found) == 1
    assert found[0].startswith("templates/q.html.j2:1:1: batch `tweets`, row `big`: the rendered question is ")
    assert found[0].endswith(f"bytes; MTurk allows at most {QUESTION_LIMIT:,}")


def test_character_xml_cannot_carry(make_project):
    found = errors(make_project, {"data/rows.csv": "id,text\nt1,bell\x07\n"})
    assert found == ["templates/q.html.j2:1:1: batch `tweets`, row `t1`: the rendered question contains the character '\\x07', which XML does not allow"]


def test_many_rows_failing_alike_are_one_error(make_project):
    rows = "id\n" + "".join(f"r{i}\n" for i in range(10))
    found = errors(make_project, {"data/rows.csv": rows})
    assert found == ["templates/q.html.j2:1:1: batch `tweets`, rows `r0`, `r1`, `r2` and 7 more: 'text' is undefined"]


def test_undefined_attribute_of_a_nested_value(make_project):
    batch = batch_with("{html: templates/q.html.j2}", "  - {id: a, text: {en: hi}}\n")
    found = errors(make_project, {"batch.yaml": batch, "templates/q.html.j2": "line one\n{{ text.fr }}\n"})
    assert found == ["templates/q.html.j2:2:1: batch `tweets`, row `a`: 'dict object' has no attribute 'fr'"]


def test_inline_url_template_error_points_into_the_manifest(make_project):
    batch = batch_with('{external_url: "https://x.example/{{ nope }}"}', "  - {id: a}\n")
    found = errors(make_project, {"batch.yaml": batch})
    assert found == ["batch.yaml:4:26: batch `tweets`, row `a`: 'nope' is undefined"]


def test_columns_that_are_not_names_are_reachable_through_row(make_project):
    template = "<p>{{ row['tweet text'] }}</p>"
    (question,) = questions(make_project, {"templates/q.html.j2": template, "data/rows.csv": "id,tweet text\nt1,hello\n"})
    assert "<p>hello</p>" in question


def test_templates_can_include_others_and_the_digest_covers_them(make_project):
    files = {"templates/q.html.j2": "{% include 'templates/part.html.j2' %}", "templates/part.html.j2": "<i>{{ text }}</i>"}
    root = make_project(files)
    first = load_project(root)
    assert "<i>Good day</i>" in first.hits[0].question
    (root / "templates/part.html.j2").write_text("<u>{{ text }}</u>", encoding="utf-8")
    assert load_project(root).digest != first.digest


def test_problems_inside_included_templates_point_at_the_include(make_project):
    files = {"templates/q.html.j2": "<h1>x</h1>\n{% include 'templates/part.j2' %}\n", "templates/part.j2": "{{ text }\n"}
    found = errors(make_project, files)
    assert len(found) == 1
    assert found[0].startswith("templates/q.html.j2:2:1: batch `tweets`, rows `t1`, `t2`: template syntax error in templates/part.j2, line 1: ")
    files = {"templates/q.html.j2": "<h1>x</h1>\n{% include 'templates/gone.j2' %}\n"}
    found = errors(make_project, files)
    assert found == [
        "templates/q.html.j2:2:1: batch `tweets`, rows `t1`, `t2`: included template templates/gone.j2 not found "
        "(include names are relative to the project folder)"
    ]
