"""Render a batch's question template once per row into MTurk Question XML.

- `html`: a Jinja2 template (HTML-escaped values). A form body is wrapped in a page with
  MTurk's submission script, the hidden assignmentId field and a Submit button; a whole page
  (starting with <!DOCTYPE or <html) is sent as written. Either way it goes into an
  HTMLQuestion's CDATA section.
- `external_url`: a Jinja2 template of an https URL (not escaped while rendering; XML-escaped
  into an ExternalQuestion afterwards).
- `question_form`: a Jinja2 template (XML-escaped values) that must render to a well-formed
  QuestionForm document.

Each template is compiled once per batch; rendering is deterministic (same row, same bytes),
because the planner compares question strings.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

import jinja2

from reconciler.errors import Location, SpecError
from reconciler.spec.rows import Row
from reconciler.spec.sources import ProjectFiles

QUESTION_LIMIT = 65_535
HTML_NS = "http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/2011-11-11/HTMLQuestion.xsd"
EXTERNAL_NS = "http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/2006-07-14/ExternalQuestion.xsd"
QUESTION_FORM_NAMESPACES = (
    "http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/2017-11-06/QuestionForm.xsd",
    "http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/2005-10-01/QuestionForm.xsd",
)
SUBMIT_SCRIPT = "https://s3.amazonaws.com/mturk-public/externalHIT_v1.js"
SUBMIT_URL = "https://www.mturk.com/mturk/externalSubmit"

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

_PAGE = """<!DOCTYPE html>
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">
<script type="text/javascript" src="{script}"></script>
</head>
<body>
<form name="mturk_form" method="post" id="mturk_form" action="{action}">
<input type="hidden" value="" name="assignmentId" id="assignmentId">
{body}
<p><input type="submit" id="submitButton" value="Submit"></p>
</form>
<script type="text/javascript">turkSetAssignmentID();</script>
</body>
</html>"""

_HTML_QUESTION = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<HTMLQuestion xmlns="{ns}">\n<HTMLContent><![CDATA[{page}]]></HTMLContent>\n'
    "<FrameHeight>{height}</FrameHeight>\n</HTMLQuestion>"
)
_EXTERNAL_QUESTION = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<ExternalQuestion xmlns="{ns}">\n<ExternalURL>{url}</ExternalURL>\n'
    "<FrameHeight>{height}</FrameHeight>\n</ExternalQuestion>"
)


class RowProblem(Exception):
    """A row whose question cannot be made; `location` points at the template line.
    Rows failing with the same `group` (default: the same sentence) are reported together."""

    def __init__(self, location: Location, problem: str, group: str | None = None):
        super().__init__(problem)
        self.location = location
        self.problem = problem
        self.group = group or problem


@dataclass(frozen=True)
class QuestionSource:
    """Which template a batch uses: `format` is html, external_url or question_form.
    `text` is the template; `location` is where line 1 of it is (file, or manifest node)."""

    format: str
    name: str
    text: str
    location: Location
    frame_height: int


class TemplateSet:
    """The Jinja2 environments of one project: templates and their includes are read through
    ProjectFiles (names relative to the project folder) and compiled once."""

    def __init__(self, files: ProjectFiles):
        self.files = files
        self._sources: dict[str, str] = {}
        loader = jinja2.FunctionLoader(self._load)
        common: dict[str, Any] = {"undefined": jinja2.StrictUndefined, "loader": loader, "keep_trailing_newline": True}
        self._escaping = jinja2.Environment(autoescape=True, **common)
        self._plain = jinja2.Environment(autoescape=False, **common)

    def _load(self, name: str) -> tuple[str, str, Callable[[], bool]] | None:
        if name not in self._sources:
            try:
                self._sources[name] = self.files.read_text(self.files.root / name, what="template")
            except SpecError:
                return None
        return self._sources[name], name, lambda: True

    def renderer(self, source: QuestionSource) -> QuestionRenderer:
        """A renderer for one batch; raises SpecError at the template line on a syntax error."""
        self._sources[source.name] = source.text
        env = self._plain if source.format == "external_url" else self._escaping
        try:
            template = env.get_template(source.name)
        except jinja2.TemplateSyntaxError as exc:
            raise SpecError(_template_location(source, exc.lineno), f"template syntax error: {exc.message}") from None
        return QuestionRenderer(source, template)


class QuestionRenderer:
    """Renders one batch's question for each row."""

    def __init__(self, source: QuestionSource, template: jinja2.Template):
        self.source = source
        self.template = template
        self._wrap = {"html": self._html, "external_url": self._external, "question_form": self._question_form}[
            source.format
        ]

    def render(self, row: Row) -> str:
        """The Question XML for `row`; raises RowProblem naming the template line."""
        context = dict(row.values)
        context["row"] = row.values
        try:
            text = self.template.render(context)
        except Exception as exc:  # any template failure is the row's problem, never a traceback
            line = _failing_line(exc, self.source.name)
            raise RowProblem(_template_location(self.source, line), _render_failure(exc)) from None
        question = self._wrap(text)
        size = len(question.encode("utf-8"))
        if size > QUESTION_LIMIT:
            problem = f"the rendered question is {size:,} bytes; MTurk allows at most {QUESTION_LIMIT:,}"
            raise RowProblem(self.source.location, problem, group="too large")
        return question

    def _html(self, text: str) -> str:
        self._check_characters(text)
        head = text.lstrip()[:16].lower()
        page = text if head.startswith(("<!doctype", "<html")) else _PAGE.format(
            script=SUBMIT_SCRIPT, action=SUBMIT_URL, body=text.strip("\n")
        )
        page = page.replace("]]>", "]]]]><![CDATA[>")
        return _HTML_QUESTION.format(ns=HTML_NS, page=page, height=self.source.frame_height)

    def _external(self, text: str) -> str:
        url = text.strip()
        parts = urlsplit(url) if not re.search(r"\s", url) else None
        if parts is None or parts.scheme != "https" or not parts.netloc:
            problem = f"external_url must render an https URL (MTurk only shows https pages); it rendered {url!r}"
            raise RowProblem(self.source.location, problem, group="not https")
        self._check_characters(url)
        return _EXTERNAL_QUESTION.format(ns=EXTERNAL_NS, url=escape(url), height=self.source.frame_height)

    def _question_form(self, text: str) -> str:
        document = text.strip()
        self._check_characters(document)
        try:
            root = ElementTree.fromstring(document.encode("utf-8"))
        except ElementTree.ParseError as exc:
            line, column = exc.position[0], exc.position[1] + 1  # expat counts columns from 0
            reason = _parse_reason(exc)
            problem = f"the rendered QuestionForm is not well-formed XML: {reason} (line {line}, column {column})"
            raise RowProblem(_template_location(self.source, line), problem, group=reason) from None
        if root.tag not in {f"{{{ns}}}QuestionForm" for ns in QUESTION_FORM_NAMESPACES}:
            expected = f'<QuestionForm xmlns="{QUESTION_FORM_NAMESPACES[0]}">'
            problem = f"the rendered document's root is {root.tag}, not {expected}"
            raise RowProblem(self.source.location, problem)
        return document

    def _check_characters(self, text: str) -> None:
        match = _XML_ILLEGAL.search(text)
        if match:
            problem = f"the rendered question contains the character {match.group()!r}, which XML does not allow"
            raise RowProblem(self.source.location, problem)


def is_well_formed(text: str, root_name: str) -> str | None:
    """None when `text` is well-formed XML whose root element is `root_name` (any namespace),
    else the reason it is not."""
    try:
        root = ElementTree.fromstring(text.encode("utf-8"))
    except ElementTree.ParseError as exc:
        line, column = exc.position[0], exc.position[1] + 1  # expat counts columns from 0
        return f"not well-formed XML: {_parse_reason(exc)} (line {line}, column {column})"
    local = root.tag.rpartition("}")[2]
    return None if local == root_name else f"its root element is <{local}>, not <{root_name}>"


def _parse_reason(exc: ElementTree.ParseError) -> str:
    return str(exc).split(":")[0]


def _render_failure(exc: Exception) -> str:
    """One sentence for a template that failed on a row."""
    if isinstance(exc, jinja2.TemplateNotFound):
        return f"included template {exc.name} not found (include names are relative to the project folder)"
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return f"template syntax error in {exc.name}, line {exc.lineno}: {exc.message}"
    if isinstance(exc, jinja2.TemplateError):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


def _failing_line(exc: BaseException, template_name: str) -> int | None:
    """The line of the batch's own template Jinja2 was executing when `exc` was raised
    (for a failure inside an included template: the line of the include)."""
    if isinstance(exc, jinja2.TemplateSyntaxError) and exc.name == template_name:
        return exc.lineno
    line = None
    trace = exc.__traceback__
    while trace is not None:
        if trace.tb_frame.f_code.co_filename == template_name:
            line = trace.tb_lineno
        trace = trace.tb_next
    return line


def _template_location(source: QuestionSource, line: int | None) -> Location:
    """A template line as a location: in the template file, or inside the manifest node."""
    start = source.location
    if line is None or start.line is None:
        return start
    if source.format == "external_url":
        return Location(start.file, start.line + line - 1, start.column if line == 1 else 1)
    return Location(start.file, line, 1)


def template_name(files: ProjectFiles, path: Path) -> str:
    """The Jinja2 name of a template file: its path relative to the project folder."""
    return files.relative(path)
