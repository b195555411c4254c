"""Expand a HITBatch document into its Batch and one desired HIT per row.

Row problems are grouped: a template that fails the same way on 10,000 rows is one error that
names the first rows, not 10,000 lines. Data-file problems are capped per batch likewise.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from reconciler import identity
from reconciler.errors import Location, SpecError
from reconciler.model import HIT, Batch, HITType
from reconciler.spec.documents import Document
from reconciler.spec.kinds import BuildContext, lifecycle
from reconciler.spec.questions import QuestionRenderer, QuestionSource, RowProblem, TemplateSet, template_name
from reconciler.spec.rows import Row, read_rows
from reconciler.spec.values import parse_timestamp

LONGEST_LIFETIME = timedelta(seconds=31_536_000)  # MTurk's longest HIT lifetime: one year
ROW_ERROR_LIMIT = 20
KEYS_NAMED = 3
QUESTION_FORMATS = ("html", "external_url", "question_form")


def expand_batch(
    doc: Document, ctx: BuildContext, hit_type: HITType | None, templates: TemplateSet, now: datetime
) -> tuple[Batch | None, list[HIT]]:
    """The batch and its HITs (in row order), or (None, []) after recording its errors."""
    data = doc.data
    before = len(ctx.errors)
    expires_at = _expiry(doc, now, ctx.errors)
    renderer = _renderer(doc, ctx, templates)
    rows = _rows(doc, ctx)
    questions = _render_all(doc, renderer, rows, ctx.errors) if renderer and rows else []
    if len(ctx.errors) > before or hit_type is None or expires_at is None:
        return None, []
    name, project = data["name"], ctx.project_name
    keys = tuple(identity.key_ref(project, name, row.key) for row in rows)
    batch = Batch(
        name=name,
        hit_type_name=data["hit_type"],
        hit_type=hit_type,
        assignments=int(data.get("assignments", 1)),
        expires_at=expires_at,
        state=data.get("state", "active"),
        lifecycle=lifecycle(data),
        keys=keys,
    )
    hits = [
        HIT(batch=name, key=key, hit_type=hit_type, question=question, max_assignments=batch.assignments, expires_at=expires_at)
        for key, question in zip(keys, questions)
    ]
    return batch, hits


def _expiry(doc: Document, now: datetime, errors: list[SpecError]) -> datetime | None:
    text = doc.data["expires_at"]
    try:
        expires_at = parse_timestamp(text)
    except ValueError as exc:
        errors.append(doc.error(("expires_at",), f"`expires_at` {text!r} is not a valid time: {exc}"))
        return None
    latest = now + LONGEST_LIFETIME
    if expires_at > latest:
        message = (
            f"`expires_at` {text} is more than one year ahead (MTurk's longest HIT lifetime); "
            f"the latest allowed now is {latest.strftime('%Y-%m-%dT%H:%M:%SZ')}"
        )
        errors.append(doc.error(("expires_at",), message))
        return None
    return expires_at


def _renderer(doc: Document, ctx: BuildContext, templates: TemplateSet) -> QuestionRenderer | None:
    question = doc.data["question"]
    given = [fmt for fmt in QUESTION_FORMATS if fmt in question]
    if len(given) != 1:
        found = f"; it has {', '.join(given)}" if given else ""
        ctx.errors.append(doc.error(("question",), f"`question` needs exactly one of html, external_url or question_form{found}"))
        return None
    fmt = given[0]
    height = int(question.get("frame_height", 0))
    if fmt == "external_url":
        where = doc.at(("question", fmt))
        name = f"{doc.file}#{doc.data['name']}.external_url"
        source = QuestionSource(fmt, name, question[fmt], where, height)
    else:
        path = ctx.base(doc) / question[fmt]
        try:
            text = ctx.files.read_text(path, doc.at(("question", fmt)), "template")
        except SpecError as error:
            ctx.errors.append(error)
            return None
        source = QuestionSource(fmt, template_name(ctx.files, path), text, Location(ctx.files.display(path), 1, 1), height)
    try:
        return templates.renderer(source)
    except SpecError as error:
        ctx.errors.append(error)
        return None


def _rows(doc: Document, ctx: BuildContext) -> list[Row]:
    if ("data" in doc.data) == ("rows" in doc.data):
        ctx.errors.append(doc.error((), f"HITBatch `{doc.data['name']}` needs exactly one of `data` (a file) or `rows` (inline)"))
        return []
    rows, errors = read_rows(ctx.files, doc, ctx.base(doc))
    ctx.errors.extend(errors[:ROW_ERROR_LIMIT])
    if len(errors) > ROW_ERROR_LIMIT:
        more = len(errors) - ROW_ERROR_LIMIT
        ctx.errors.append(doc.error(("data",), f"batch `{doc.data['name']}`: {more} more row errors not shown"))
    return rows


def _render_all(doc: Document, renderer: QuestionRenderer, rows: list[Row], errors: list[SpecError]) -> list[str]:
    questions: list[str] = []
    failures: dict[tuple[Location, str], list[tuple[str, RowProblem]]] = {}
    for row in rows:
        try:
            questions.append(renderer.render(row))
        except RowProblem as problem:
            failures.setdefault((problem.location, problem.group), []).append((row.key, problem))
    batch = doc.data["name"]
    for (location, _), failed in failures.items():
        keys = [key for key, _ in failed]
        first_key, first = failed[0]
        shown = f" (shown for row `{first_key}`)" if len(keys) > 1 and first.group != first.problem else ""
        errors.append(SpecError(location, f"batch `{batch}`, {_rows_named(keys)}: {first.problem}{shown}"))
    return questions


def _rows_named(keys: list[str]) -> str:
    if len(keys) == 1:
        return f"row `{keys[0]}`"
    named = ", ".join(f"`{key}`" for key in keys[:KEYS_NAMED])
    more = len(keys) - KEYS_NAMED
    return f"rows {named}" + (f" and {more:,} more" if more > 0 else "")
