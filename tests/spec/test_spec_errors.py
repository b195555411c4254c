"""Every bad input the manifest language must reject: one located sentence each, exit 1,
driven through `reconciler validate`."""

from __future__ import annotations

import pytest

from spec_samples import BATCH, PROJECT, TYPES


def test_yaml_syntax_error_names_line_and_column(validate_errors):
    errors = validate_errors({"types.yaml": TYPES.replace("title: Rate a sentence", "title: [Rate a sentence")})
    assert len(errors) == 1
    assert errors[0].startswith("types.yaml:4:12: YAML syntax error: ")


def test_syntax_error_does_not_also_report_missing_project_or_references(validate_errors):
    errors = validate_errors({"project.yaml": "kind: Project\nname: [demo\n"})
    assert len(errors) == 1 and errors[0].startswith("project.yaml:")


def test_unknown_kind_suggests_the_close_one(validate_errors):
    errors = validate_errors({"types.yaml": TYPES.replace("kind: HITType", "kind: HitType")})
    assert errors == [
        "types.yaml:1:7: unknown kind `HitType` (did you mean `HITType`?); "
        "the kinds are Project, QualificationType, HITType, HITBatch, WorkerBlock"
    ]


def test_unknown_field_is_located_at_its_key_with_a_suggestion(validate_errors):
    errors = validate_errors({"types.yaml": TYPES.replace("reward:", "rewrad:")})
    assert "types.yaml:5:1: unknown field `rewrad` in a HITType (did you mean `reward`?)" in errors
    assert "types.yaml:1:1: HITType is missing the required field `reward`" in errors


def test_unknown_nested_field(validate_errors):
    batch = BATCH.replace("frame_height: 400", "frame_hieght: 400")
    errors = validate_errors({"batch.yaml": batch})
    assert errors == ["batch.yaml:4:39: unknown field `frame_hieght` in `question` (did you mean `frame_height`?)"]


def test_wrong_type(validate_errors):
    errors = validate_errors({"batch.yaml": BATCH.replace("assignments: 3", "assignments: three")})
    assert errors == ['batch.yaml:7:14: `assignments` must be a whole number; got "three"']


def test_wrong_type_of_a_string_field_says_to_quote(validate_errors):
    errors = validate_errors({"types.yaml": TYPES.replace("title: Rate a sentence", "title: 42")})
    assert errors == ['types.yaml:3:8: `title` must be a string; got the number 42 (quote it: "42")']


@pytest.mark.parametrize("reward", ['"0.005"', '"$1"', '"1,00"', "0.05", '"-1"'])
def test_bad_rewards(validate_errors, reward):
    errors = validate_errors({"types.yaml": TYPES.replace('reward: "0.05"', f"reward: {reward}")})
    shown = reward if reward.startswith('"') else f"the number {reward}"
    assert errors == [
        "types.yaml:5:9: `reward` must be a dollar amount written as a quoted string with at most two "
        f'decimals, e.g. "0.05"; got {shown}'
    ]


@pytest.mark.parametrize(("duration", "shown"), [("-5m", '"-5m"'), ("600", "the number 600"), ('"10 m"', '"10 m"')])
def test_negative_or_unitless_durations(validate_errors, duration, shown):
    errors = validate_errors({"types.yaml": TYPES.replace("assignment_duration: 10m", f"assignment_duration: {duration}")})
    assert errors == [
        "types.yaml:6:22: `assignment_duration` must be a duration: a whole number followed by s, m, h or d, "
        f"e.g. 90s, 10m, 3d; got {shown}"
    ]


def test_duration_bounds_come_from_the_schema(validate_errors):
    types = TYPES.replace("assignment_duration: 10m", "assignment_duration: 10s")
    types = types.replace("auto_approval_delay: 3d", "auto_approval_delay: 31d")
    errors = validate_errors({"types.yaml": types})
    assert errors == [
        "types.yaml:6:22: `assignment_duration` is 10s; the least allowed is 30s",
        "types.yaml:7:22: `auto_approval_delay` is 31d; the most allowed is 30d",
    ]


def test_title_too_long(validate_errors):
    errors = validate_errors({"types.yaml": TYPES.replace("title: Rate a sentence", "title: " + "x" * 129)})
    assert errors == ["types.yaml:3:8: `title` is 129 characters long; at most 128 are allowed"]


def test_keywords_too_long_together(validate_errors):
    keywords = ", ".join(["k" * 99] * 11)
    errors = validate_errors({"types.yaml": TYPES + f"keywords: [{keywords}]\n"})
    assert errors == ["types.yaml:11:11: `keywords` are 1109 characters together; MTurk allows at most 1000"]


def test_name_with_space_or_colon(validate_errors):
    errors = validate_errors({"project.yaml": "kind: Project\nname: 'my project:1'\n"})
    assert errors[0].startswith("project.yaml:2:7: `name` must be lower-case letters, digits")


def test_duplicate_names(validate_errors):
    errors = validate_errors({"types2.yaml": TYPES})
    assert errors == ["types2.yaml:2:7: duplicate HITType name `sentiment` (first defined at types.yaml:2:7)"]


def test_dangling_hit_type_reference(validate_errors):
    errors = validate_errors({"batch.yaml": BATCH.replace("hit_type: sentiment", "hit_type: sentimnt")})
    assert errors == [
        "batch.yaml:3:11: HITBatch `tweets` refers to HITType `sentimnt`, which is not defined (did you mean `sentiment`?)"
    ]


def test_dangling_qualification_reference(validate_errors):
    errors = validate_errors({"types.yaml": TYPES.replace("qualification: english", "qualification: englsh")})
    assert errors == [
        "types.yaml:9:21: requirement refers to QualificationType `englsh`, which is not defined (did you mean `english`?)"
    ]


def test_missing_key_column(validate_errors):
    errors = validate_errors({"data/rows.csv": "tweet,text\nt1,Good\n"})
    assert errors == ["data/rows.csv:1:1: the header has no key column `id`; its columns are: tweet, text"]


def test_missing_key_in_an_inline_row(validate_errors):
    batch = BATCH.replace("data: data/rows.csv", "rows:\n  - {id: a, text: x}\n  - {text: y}")
    errors = validate_errors({"batch.yaml": batch})
    assert errors == ["batch.yaml:7:5: row has no key column `id` (inline `rows`)"]


def test_duplicate_key_values(validate_errors):
    errors = validate_errors({"data/rows.csv": "id,text\nt1,a\nt2,b\nt1,c\n"})
    assert errors == ["data/rows.csv:4:1: duplicate key `t1` (first at data/rows.csv:2:1)"]


def test_template_using_an_undefined_variable_names_batch_row_and_line(validate_errors):
    errors = validate_errors({"templates/q.html.j2": "<p>{{ text }}</p>\n<p>{{ author }}</p>\n"})
    assert errors == ["templates/q.html.j2:2:1: batch `tweets`, rows `t1`, `t2`: 'author' is undefined"]


def test_template_syntax_error(validate_errors):
    errors = validate_errors({"templates/q.html.j2": "<p>\n{{ text }\n</p>\n"})
    assert len(errors) == 1
    assert errors[0].startswith("templates/q.html.j2:2:1: template syntax error: ")


@pytest.mark.parametrize(
    ("url", "shown"),
    [("http://example.org/t?id={{ id }}", "'http://example.org/t?id=t1'"), ("{{ text }}", "'Good day'")],
)
def test_external_url_must_be_https(validate_errors, url, shown):
    batch = BATCH.replace("{html: templates/q.html.j2, frame_height: 400}", f'{{external_url: "{url}"}}')
    errors = validate_errors({"batch.yaml": batch})
    assert errors == [
        "batch.yaml:4:26: batch `tweets`, rows `t1`, `t2`: external_url must render an https URL "
        f"(MTurk only shows https pages); it rendered {shown} (shown for row `t1`)"
    ]


def test_missing_data_file(validate_errors):
    errors = validate_errors({"data/rows.csv": None})
    assert errors == ["batch.yaml:5:7: data file data/rows.csv does not exist"]


def test_empty_data_file(validate_errors):
    errors = validate_errors({"data/rows.csv": ""})
    assert errors == ["batch.yaml:5:7: data file data/rows.csv is empty"]


def test_data_file_with_a_header_only_has_no_rows(validate_errors):
    errors = validate_errors({"data/rows.csv": "id,text\n"})
    assert errors == ["batch.yaml:5:7: data file data/rows.csv has no rows"]


def test_data_file_not_utf8_points_at_the_byte(validate_errors):
    errors = validate_errors({"data/rows.csv": b"id,text\nt1,caf\xe9\n"})
    assert errors == ["data/rows.csv:2:7: data file is not valid UTF-8 (byte 0xe9); save it as UTF-8"]


def test_two_project_documents(validate_errors):
    errors = validate_errors({"zz.yaml": "# another\n" + PROJECT})
    assert errors == [
        "zz.yaml:2:1: a second Project document (the first is at project.yaml:1:1); a project folder has exactly one"
    ]


def test_no_project_document(validate_errors):
    errors = validate_errors({"project.yaml": None})
    assert errors == [".: no `kind: Project` document: a project folder needs exactly one (it names the project)"]


def test_empty_folder(validate_errors):
    errors = validate_errors({}, base=False)
    assert errors == [".: no manifests in .: a project is a folder of *.yaml files, one of them `kind: Project`"]


def test_missing_folder(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from reconciler.cli import app

    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["validate", "nowhere"])
    assert result.exit_code == 1
    assert "nowhere: project folder nowhere does not exist" in result.output


def test_document_that_is_a_list(validate_errors):
    errors = validate_errors({"extra.yaml": "- kind: HITType\n- name: x\n"})
    assert errors == ["extra.yaml:1:1: a manifest document must be a mapping with `kind` and `name`, not a list"]


def test_document_without_kind(validate_errors):
    errors = validate_errors({"extra.yaml": "name: x\n"})
    assert errors == [
        "extra.yaml:1:1: document has no `kind`; use one of Project, QualificationType, HITType, HITBatch, WorkerBlock"
    ]


def test_python_tag_is_reported_and_never_executed(validate_errors, tmp_path):
    marker = tmp_path / "executed"
    payload = f'x: !!python/object/apply:os.system ["touch {marker}"]\n'
    errors = validate_errors({"extra.yaml": payload})
    assert errors == [
        "extra.yaml:1:4: the YAML tag `!!python/object/apply:os.system` is not allowed: manifests hold plain "
        "data (strings, numbers, true/false, lists and mappings) and nothing in them is executed"
    ]
    assert not marker.exists()


def test_alias_bomb_is_refused(validate_errors):
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in "bcdefghi":
        previous = chr(ord(level) - 1)
        lines.append(f"{level}: &{level} [" + ",".join([f"*{previous}"] * 9) + "]")
    errors = validate_errors({"bomb.yaml": "\n".join(lines) + "\n"})
    assert len(errors) == 1
    assert errors == ["bomb.yaml:1:1: YAML aliases expand this document to 490,329,064 nodes from 28: refused as an alias bomb"]


def test_recursive_alias_is_refused(validate_errors):
    errors = validate_errors({"loop.yaml": "a: &a [1, *a]\n"})
    assert errors == ["loop.yaml:1:4: recursive YAML alias: a node contains itself"]


def test_duplicate_yaml_key(validate_errors):
    errors = validate_errors({"types.yaml": TYPES + 'reward: "0.10"\n'})
    assert errors == ["types.yaml:11:1: duplicate key `reward` (first written on line 5)"]


def test_expiry_more_than_a_year_ahead(validate_errors):
    errors = validate_errors({"batch.yaml": BATCH.replace("2027-06-30T00:00:00Z", "2099-01-01T00:00:00Z")})
    assert len(errors) == 1
    assert errors[0].startswith(
        "batch.yaml:8:13: `expires_at` 2099-01-01T00:00:00Z is more than one year ahead (MTurk's longest HIT lifetime)"
    )


def test_expiry_without_time_zone(validate_errors):
    errors = validate_errors({"batch.yaml": BATCH.replace("2027-06-30T00:00:00Z", "2027-06-30T00:00:00")})
    assert errors == [
        "batch.yaml:8:13: `expires_at` must be an ISO-8601 time with a time zone, e.g. 2027-06-30T00:00:00Z; "
        'got "2027-06-30T00:00:00"'
    ]


def test_question_needs_exactly_one_format(validate_errors):
    batch = BATCH.replace("{html: templates/q.html.j2, frame_height: 400}", '{html: templates/q.html.j2, external_url: "https://x.org"}')
    errors = validate_errors({"batch.yaml": batch})
    assert errors == ["batch.yaml:4:11: `question` needs exactly one of html, external_url or question_form; it has html, external_url"]


def test_data_and_rows_together(validate_errors):
    errors = validate_errors({"batch.yaml": BATCH + "rows: [{id: x}]\n"})
    assert errors == ["batch.yaml:1:1: HITBatch `tweets` needs exactly one of `data` (a file) or `rows` (inline)"]


@pytest.mark.parametrize(
    ("requirement", "message"),
    [
        ("{system: Locale, comparator: GreaterThan, value: 3}", "the Locale qualification compares with `locales` (e.g. [US, CA]), not integers"),
        ("{system: Locale, comparator: EqualTo, locales: [US, CA]}", "EqualTo compares with exactly one locale"),
        ("{system: Masters, comparator: EqualTo, value: 1}", "Masters takes the comparator Exists or DoesNotExist, not EqualTo"),
        ("{system: Adult, comparator: Exists, value: 1}", "Exists takes no values; remove `value`"),
        ("{system: Adult, comparator: EqualTo}", "EqualTo needs exactly one of `value`"),
        ("{system: PercentAssignmentsApproved, comparator: In, values: [50, 101]}", "PercentAssignmentsApproved values are 0 to 100; got 101"),
        ("{qualification: english, comparator: In, value: 3}", "In compares with a list `values`, not one `value`"),
        ("{qualification: english, comparator: LessThan, locales: [US]}", "`locales` is only for the Locale system qualification"),
    ],
)
def test_comparator_rules(validate_errors, requirement, message):
    types = TYPES.replace("{system: Locale, comparator: In, locales: [US, CA]}", requirement)
    errors = validate_errors({"types.yaml": types})
    assert len(errors) == 1
    assert errors[0].startswith("types.yaml:10:") and errors[0].endswith(message)


def test_requirement_with_both_qualification_and_system(validate_errors):
    types = TYPES.replace("{system: Locale,", "{qualification: english, system: Locale,")
    errors = validate_errors({"types.yaml": types})
    assert errors == ["types.yaml:10:5: a requirement names exactly one of `qualification` (a project QualificationType) or `system`"]


def test_every_error_is_reported_not_just_the_first(validate_errors):
    errors = validate_errors(
        {
            "types.yaml": TYPES.replace('reward: "0.05"', 'reward: "$1"'),
            "data/rows.csv": "id,text\nt1,a\nt1,b\n",
            "extra.yaml": "kind: Nope\nname: x\n",
        }
    )
    assert [error.split(":")[0] for error in errors] == ["data/rows.csv", "extra.yaml", "types.yaml"]
