"""The desired state load_project builds: exactly what the planner depends on."""

from __future__ import annotations

import shutil
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

import pytest

from spec_samples import BATCH, QUALIFICATIONS, TYPES
from reconciler import identity
from reconciler.errors import SpecErrors
from reconciler.model import Lifecycle, Locale, Requirement, WorkerBlock
from reconciler.spec import load_project, summary

SPECS = Path(__file__).resolve().parents[2] / "specs"


@pytest.fixture(scope="module")
def example():
    return load_project(SPECS)


def test_example_project(example):
    assert example.project.name == "acme-sentiment"
    assert example.project.target == "local"
    assert example.project.budget == Decimal("25.00")


def test_example_qualification_type(example):
    (english,) = example.qualification_types
    assert english.name == "english"
    assert english.qualification_name == "ACME English check"
    assert english.keywords == ("english", "reading")  # no project tag: the live layer adds it
    assert english.retry_delay == 86_400
    assert english.test_duration == 600
    assert english.test.startswith("<QuestionForm") and english.test.endswith("</QuestionForm>")
    assert english.answer_key.startswith("<AnswerKey")
    assert english.grants_mode == "additive"
    assert english.lifecycle == Lifecycle()
    assert [(g.qualification, g.worker_id, g.value) for g in example.grants] == [
        ("english", "A1EXAMPLE0001", 100),
        ("english", "A1EXAMPLE0002", 90),
    ]


def test_example_hit_type_and_requirements(example):
    ((name, sentiment),) = example.hit_types
    assert name == "sentiment"
    assert sentiment.reward == Decimal("0.05")
    assert (sentiment.assignment_duration, sentiment.auto_approval_delay) == (600, 259_200)
    assert sentiment.requirements == (
        Requirement("Locale", "In", system=True, locale_values=(Locale("CA"), Locale("GB"), Locale("US"))),
        Requirement("PercentAssignmentsApproved", "GreaterThanOrEqualTo", system=True, integer_values=(95,)),
        Requirement("english", "GreaterThanOrEqualTo", integer_values=(80,)),
    )


def test_example_batches_and_hits(example):
    tweets, reviews = example.batches
    assert (tweets.name, tweets.hit_type_name, tweets.assignments, tweets.state) == ("tweets-2026-12", "sentiment", 3, "active")
    assert tweets.expires_at == datetime(2027, 6, 30, tzinfo=timezone.utc)
    assert tweets.hit_type is dict(example.hit_types)["sentiment"]
    assert reviews.lifecycle.ignore_changes == ("question",)
    assert tweets.keys[:2] == ("t0001", "t0002") and len(tweets.keys) == 20
    assert reviews.keys == ("r-1001", "r-1002", "r-1003", "r-1004", "r-1005")
    assert [hit.key for hit in example.hits] == list(tweets.keys + reviews.keys)
    first = example.hits[0]
    assert (first.batch, first.generation, first.max_assignments) == ("tweets-2026-12", 0, 3)
    assert first.expires_at == tweets.expires_at and first.hit_type is tweets.hit_type
    assert "<blockquote>Finally got my ACME kettle, boils in a minute. Love it!</blockquote>" in first.question
    assert example.hits[-1].max_assignments == 2


def test_summary_line(example):
    assert summary(example) == (
        "Project acme-sentiment (target local): 1 qualification type, 1 HIT type, 2 batches, 25 HITs, "
        "2 grants, 0 worker blocks. Manifests are valid."
    )


def test_rendering_is_deterministic(example):
    again = load_project(SPECS)
    assert [hit.question for hit in again.hits] == [hit.question for hit in example.hits]
    assert again.digest == example.digest and len(example.digest) == 64


@pytest.mark.parametrize(
    "edited",
    ["data/tweets.csv", "templates/sentiment.html.j2", "qualification-test/english-test.xml", "hit-types.yaml"],
)
def test_any_edit_changes_the_digest(tmp_path, example, edited):
    copy = tmp_path / "specs"
    shutil.copytree(SPECS, copy)
    with (copy / edited).open("a", encoding="utf-8") as handle:
        handle.write("\n" if edited.endswith(".csv") else "\n<!-- edit -->\n" if edited.endswith((".j2", ".xml")) else "# edit\n")
    assert load_project(copy).digest != example.digest


def test_identical_hit_types_are_one_value(make_project):
    other = TYPES.replace("name: sentiment", "name: sentiment-copy")
    second = BATCH.replace("name: tweets", "name: tweets-b").replace("hit_type: sentiment", "hit_type: sentiment-copy")
    desired = load_project(make_project({"types2.yaml": other, "batch2.yaml": second}))
    types = dict(desired.hit_types)
    assert types["sentiment"] == types["sentiment-copy"]
    assert len({batch.hit_type for batch in desired.batches}) == 1


def test_csv_with_byte_order_mark(make_project):
    desired = load_project(make_project({"data/rows.csv": "\ufeffid,text\nt1,Good\n".encode("utf-8")}))
    assert desired.batches[0].keys == ("t1",)
    assert "<p>Good</p>" in desired.hits[0].question


def test_jsonl_json_and_inline_rows(make_project):
    files = {
        "batch.yaml": BATCH.replace("data/rows.csv", "data/rows.jsonl"),
        "data/rows.jsonl": '{"id": 7, "text": "a"}\n\n{"id": "x", "text": "b"}\n',
        "b2.yaml": BATCH.replace("name: tweets", "name: b2").replace("data/rows.csv", "data/rows.json"),
        "data/rows.json": '[\n  {"id": "j1", "text": "c"},\n  {"id": "j2", "text": "d"}\n]\n',
        "b3.yaml": BATCH.replace("name: tweets", "name: b3").replace("data: data/rows.csv", "rows:\n  - {id: i1, text: e}"),
    }
    desired = load_project(make_project(files))
    assert {batch.name: batch.keys for batch in desired.batches} == {
        "b2": ("j1", "j2"),
        "b3": ("i1",),
        "tweets": ("7", "x"),
    }


def test_long_keys_are_hashed_in_the_key_ref(make_project):
    long_key = "k" * 300
    desired = load_project(make_project({"data/rows.csv": f"id,text\n{long_key},a\n"}))
    assert desired.hits[0].key == identity.key_ref("demo", "tweets", long_key)
    assert desired.hits[0].key.startswith(identity.HASHED_KEY_PREFIX)


def test_expired_batch_keeps_its_rows(make_project):
    desired = load_project(make_project({"batch.yaml": BATCH + "state: expired\nlifecycle: {prevent_destroy: true}\n"}))
    (batch,) = desired.batches
    assert batch.state == "expired" and batch.lifecycle.prevent_destroy
    assert len(desired.hits) == 2


def test_expiry_bound_uses_the_given_now(make_project):
    root = make_project()
    with pytest.raises(SpecErrors) as caught:
        load_project(root, now=datetime(2026, 6, 1, tzinfo=timezone.utc))
    assert "more than one year ahead" in caught.value.errors[0].message
    assert load_project(root, now=datetime(2026, 7, 1, tzinfo=timezone.utc)).batches


def test_timestamps_with_offsets_become_utc(make_project):
    desired = load_project(make_project({"batch.yaml": BATCH.replace("2027-06-30T00:00:00Z", "2027-06-30T02:00:00+02:00")}))
    assert desired.batches[0].expires_at == datetime(2027, 6, 30, tzinfo=timezone.utc)


def test_worker_blocks(make_project):
    blocks = "kind: WorkerBlock\nname: spam\nreason: Copy-pasted answers\nworkers:\n  - {worker: A1BAD}\n  - {worker: A2BAD, reason: Bot}\n"
    desired = load_project(make_project({"blocks.yaml": blocks}))
    assert desired.blocks == (WorkerBlock("A1BAD", "Copy-pasted answers"), WorkerBlock("A2BAD", "Bot"))


def test_worker_block_problems(make_project):
    blocks = "kind: WorkerBlock\nname: spam\nworkers:\n  - {worker: A1BAD}\n  - {worker: A2BAD, reason: x}\n  - {worker: A2BAD, reason: y}\n"
    with pytest.raises(SpecErrors) as caught:
        make_project({"blocks.yaml": blocks})
        load_project(Path("."))
    assert [str(error) for error in caught.value.errors] == [
        "blocks.yaml:4:14: worker A1BAD has no `reason`; give one here or a `reason` for the whole document",
        "blocks.yaml:6:14: worker A2BAD is blocked twice (first at blocks.yaml:5:14)",
    ]


def test_qualification_test_problems(make_project):
    qualification = QUALIFICATIONS + "auto_granted: true\ntest: {question_form: test.xml, duration: 5m}\n"
    with pytest.raises(SpecErrors) as caught:
        make_project({"qualifications.yaml": qualification, "test.xml": "<NotAForm/>"})
        load_project(Path("."))
    assert [str(error) for error in caught.value.errors] == [
        "qualifications.yaml:7:15: a qualification type with a test cannot be auto-granted",
        "test.xml:1:1: the qualification test is not a valid QuestionForm: its root element is <NotAForm>, not <QuestionForm>",
    ]


def test_duplicate_grant(make_project):
    qualification = QUALIFICATIONS + "    - {worker: A1EXAMPLE0001, value: 10}\n"
    with pytest.raises(SpecErrors) as caught:
        make_project({"qualifications.yaml": qualification})
        load_project(Path("."))
    assert str(caught.value.errors[0]) == "qualifications.yaml:7:16: worker A1EXAMPLE0001 is granted twice (first on line 6)"


def test_yaml_12_booleans_and_merge_keys(make_project):
    types = TYPES.replace("locales: [US, CA]", "locales: [US, NO]") + "keywords: [yes, on]\n"
    merged = (
        "kind: HITBatch\nname: merged\n<<: {hit_type: sentiment, key: id, expires_at: 2027-06-30T00:00:00Z}\n"
        "question: {html: templates/q.html.j2}\ndata: data/rows.csv\n"
    )
    desired = load_project(make_project({"types.yaml": types, "merged.yaml": merged}))
    ((_, sentiment),) = desired.hit_types
    assert Locale("NO") in sentiment.requirements[0].locale_values
    assert sentiment.keywords == ("on", "yes")
    assert {batch.name for batch in desired.batches} == {"tweets", "merged"}
