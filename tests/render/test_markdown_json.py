"""The pull-request comment (summary table, errors and destruction first, details per batch,
split when long) and the JSON format."""

from __future__ import annotations

import json

from render_samples import account_changes, create, document, expire, plan_of, refused, replace, retype
from reconciler.plan.serialize import plan_document, plan_to_json
from reconciler.render.json import render_json
from reconciler.render.markdown import LIMIT, render_markdown


def test_small_plan_is_one_comment_with_a_summary_table() -> None:
    (body,) = render_markdown(document(plan_of(*account_changes(), create("1"), retype("2"), expire("3"))))
    assert body.startswith("## Reconciler plan for <code>acme</code> on <code>sandbox</code>")
    assert "**Plan: 2 to create, 1 to retype, 1 to expire, 1 to grant, 1 to unblock. Cost: $0.24 of $10,000.00 available.**" in body
    assert "| `+` | create | 2 | $0.18 |" in body
    assert "| | **Total** | **6** | **$0.24** |" in body
    assert "part 1 of" not in body


def test_errors_and_destructive_changes_come_before_the_batches() -> None:
    (body,) = render_markdown(document(plan_of(create("1"), replace("2"), refused("3"))))
    errors = body.index("### Plan errors (1)")
    destructive = body.index("### Destructive changes (1)")
    details = body.index("<details><summary><b>Batch tweets</b>")
    assert errors < destructive < details
    assert "- `!` <code>batch.tweets.hit[3]</code> (add_assignments): MTurk cannot raise" in body
    assert "- `±` <code>batch.tweets.hit[2]</code> replace: its question changed" in body


def test_one_collapsible_block_per_batch() -> None:
    (body,) = render_markdown(document(plan_of(*account_changes(), create("1"), expire("2"), expire("3", batch="older"))))
    summaries = [line for line in body.splitlines() if line.startswith("<details>")]
    assert [s.split("</b>")[0].split("<b>")[1] for s in summaries] == [
        "Qualification types", "Grants", "Worker blocks", "Batch tweets", "Batch old", "Batch older",
    ]
    assert body.count("</details>") == 6
    assert "+ batch.tweets.hit[1]  create  ($0.18)" in body


def test_a_long_plan_is_split_into_numbered_comments_without_losing_a_line() -> None:
    plan = plan_of(*(create(str(n)) for n in range(5000)), *(replace(str(n)) for n in range(5000, 5030)), refused("x"))
    bodies = render_markdown(document(plan))
    assert len(bodies) > 1
    assert all(len(body) <= LIMIT for body in bodies)
    for k, body in enumerate(bodies, start=1):
        assert f"part {k} of {len(bodies)}" in body.splitlines()[0]
    joined = "\n".join(bodies)
    assert all(f"+ batch.tweets.hit[{n}]  create  ($0.18)\n" in joined for n in range(5000))
    assert joined.count("<details>") == joined.count("</details>")
    assert "(continued)" in joined
    assert "30 in Batch tweets to replace" in bodies[0]


def test_splitting_respects_a_smaller_limit_too() -> None:
    bodies = render_markdown(document(plan_of(*(create(str(n)) for n in range(300)))), limit=4000)
    assert len(bodies) > 3 and all(len(b) <= 4000 for b in bodies)


def test_empty_plan_comment() -> None:
    (body,) = render_markdown(document(plan_of()))
    assert "No changes. The account matches the manifests." in body


def test_json_format_is_the_saved_plan() -> None:
    plan = plan_of(*account_changes(), retype("2"), refused("3"))
    text = render_json(plan_document(plan))
    assert text == plan_to_json(plan)
    assert json.loads(text)["summary"]["errors"] == 1


def test_a_batch_of_new_hits_shows_what_they_look_like() -> None:
    (comment,) = render_markdown(document(plan_of(create("1"), create("2"))))
    example = comment.split("<details><summary><b>Batch tweets</b>", 1)[1].split("```diff", 1)[0]
    assert "New HITs, for example <code>batch.tweets.hit[1]</code>: **" in example
    assert "reward $0.05, 3 assignment(s) each" in example
    assert "- question: HTMLQuestion," in example
