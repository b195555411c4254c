"""The terminal plan: target first, glyphs, groups, hidden fields, summary line, marks."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from render_samples import account_changes, create, document, expire, plan_of, refused, replace, retype
from reconciler.plan.serialize import plan_document
from reconciler.render.text import render_text


def test_first_line_states_the_target() -> None:
    text = render_text(document(plan_of(create("1"), endpoint="https://mturk.example")), color=False, verbose=False)
    assert text.splitlines()[0] == "Target: sandbox at https://mturk.example (project acme)"


def test_empty_plan_says_so() -> None:
    text = render_text(document(plan_of()), color=False, verbose=False)
    assert text.splitlines() == ["Target: sandbox (project acme)", "", "No changes. The account matches the manifests."]


def test_summary_line_counts_actions_and_states_cost_against_balance() -> None:
    changes = [create(str(n), cost="0.50") for n in range(20)]
    changes += [retype(str(n), cost="0.80") for n in range(20, 23)]
    changes += [expire("1"), expire("2")]
    text = render_text(document(plan_of(*changes)), color=False, verbose=False)
    assert "Plan: 20 to create, 3 to retype, 2 to expire. Cost: $12.40 of $10,000.00 available." in text.splitlines()


def test_glyphs_and_groups() -> None:
    text = render_text(document(plan_of(*account_changes(), create("1"), retype("2"), expire("9"), replace("3"))),
                       color=False, verbose=False)
    lines = text.splitlines()
    for expected in (
        "  + qualification_type.english will be created",
        "  + qualification_type.english.grant[A1] will be granted",
        "  - block[A2] will be unblocked",
        "  + batch.tweets.hit[1] will be created, cost $0.18",
        "  ~ batch.tweets.hit[2] will be retyped, cost $0.06",
        "  ± batch.tweets.hit[3] will be replaced, cost $0.18 (destructive)",
        "  - batch.old.hit[9] will be expired",
    ):
        assert expected in lines
    headings = [line for line in lines if line.endswith(":") and not line.startswith(" ")]
    assert headings == ["Qualification types:", "Grants:", "Worker blocks:", "Batch tweets:", "Batch old:"]


def test_changed_fields_shown_and_unchanged_ones_counted() -> None:
    text = render_text(document(plan_of(retype("2"))), color=False, verbose=False)
    assert '      hit_type.reward: "0.05" -> "0.07"' in text
    assert "      (12 unchanged fields hidden)" in text


def test_a_batch_of_5000_creates_is_one_group_line_unless_verbose() -> None:
    plan = plan_of(*(create(str(n)) for n in range(5000)))
    text = render_text(document(plan), color=False, verbose=False)
    assert "  + 5,000 to create, cost $900.00" in text
    assert "      hit[0], hit[1], hit[2] and 4,997 more (--verbose lists every one)" in text
    assert len(text.splitlines()) < 30  # bounded: one group line, examples, one example's fields
    verbose = render_text(plan_document(plan), color=False, verbose=True)
    assert all(f"  + batch.tweets.hit[{n}] will be created, cost $0.18" in verbose for n in (0, 2500, 4999))


def test_plan_errors_come_first_and_are_counted() -> None:
    text = render_text(document(plan_of(create("1"), refused("2"))), color=False, verbose=False)
    lines = text.splitlines()
    errors_at = lines.index("Plan errors (1): apply is refused until they are fixed.")
    assert lines[errors_at + 1] == "  ! batch.tweets.hit[2] cannot add assignments"
    assert lines[errors_at + 2] == "      MTurk cannot raise a HIT from 9 to 10 assignments."
    assert errors_at < lines.index("Batch tweets: (1 error above)")
    assert "Plan: 1 to create. 1 error. Cost: $0.18 of $10,000.00 available." in lines
    assert "! Apply is refused until every plan error is fixed." in lines


def test_over_budget_and_destructive_changes_are_marked() -> None:
    text = render_text(document(plan_of(replace("1"), budget="0.10")), color=False, verbose=False)
    assert "! The plan costs $0.18, more than the project's budget of $0.10." in text
    assert "! 1 destructive change (marked ±, or - for deletions)." in text


def test_no_balance_means_cost_alone() -> None:
    text = render_text(document(plan_of(create("1"), balance=None)), color=False, verbose=False)
    assert "Plan: 1 to create. Cost: $0.18." in text


def test_colour_only_when_asked() -> None:
    doc = document(plan_of(create("1"), expire("2")))
    assert "\033[" not in render_text(doc, color=False, verbose=False)
    coloured = render_text(doc, color=True, verbose=False)
    assert "\033[32m  + batch.tweets.hit[1] will be created, cost $0.18\033[0m" in coloured
    assert "\033[31m  - batch.old.hit[2] will be expired\033[0m" in coloured


def test_the_document_and_the_saved_json_render_the_same() -> None:
    plan = plan_of(*account_changes(), create("1"), retype("2"), refused("3"), replace("4"))
    assert render_text(plan_document(plan), color=False, verbose=True) == render_text(document(plan), color=False, verbose=True)
    assert plan.total_cost == Decimal("0.42")


def test_a_changed_question_is_shown_around_its_first_difference() -> None:
    change = replace("3")
    reworded = dataclasses.replace(change.after, question=change.before.question.replace("row 3", "row three, reworded"))
    text = render_text(document(plan_of(dataclasses.replace(change, after=reworded))), color=False, verbose=False)
    assert 'question: "…ontent><![CDATA[row 3]]></HTMLContent></HTMLQuestion>" -> "…ontent><![CDATA[row three, reworded]]>' in text


def test_a_new_hit_shows_its_external_url_and_requirements_in_words() -> None:
    from reconciler.model import Requirement
    from render_samples import hit

    external = (
        '<ExternalQuestion xmlns="http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/2006-07-14/'
        'ExternalQuestion.xsd"><ExternalURL>https://tasks.example.org/rate?id=7&amp;lang=en</ExternalURL>'
        "<FrameHeight>0</FrameHeight></ExternalQuestion>"
    )
    new = hit("7")
    hit_type = dataclasses.replace(new.hit_type, requirements=(
        Requirement("english", "GreaterThanOrEqualTo", integer_values=(80,)),
        Requirement("Masters", "Exists", system=True, actions_guarded="DiscoverPreviewAndAccept"),
    ))
    change = dataclasses.replace(create("7"), after=dataclasses.replace(new, question=external, hit_type=hit_type))
    for plan in (plan_of(change), plan_of(*(dataclasses.replace(change, address=f"batch.tweets.hit[{n}]") for n in range(9)))):
        text = render_text(document(plan), color=False, verbose=False)
        assert "question: ExternalQuestion https://tasks.example.org/rate?id=7&lang=en (frame height 0)" in text
        assert "hit_type.requirements: Masters exists (guards DiscoverPreviewAndAccept); english >= 80" in text
