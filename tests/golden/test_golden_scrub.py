"""The golden scrubber replaces only what varies per run, the same way in every document."""

from __future__ import annotations

from datetime import datetime, timezone

from golden_scrub import Scrubber

DAY_30 = datetime(2027, 1, 3, tzinfo=timezone.utc)


def test_server_ids_are_numbered_by_first_appearance_across_documents():
    scrubber = Scrubber({})
    first = scrubber.scrub('"hit_id": "PZJ011KGYTBV743F4WPWUCNLM6KCJP", "hit_type_id": "2N80BR6M3RMYLLQ3FBRNU5LFQ2S5H8"')
    second = scrubber.scrub("hit 2N80BR6M3RMYLLQ3FBRNU5LFQ2S5H8 then PZJ011KGYTBV743F4WPWUCNLM6KCJP")
    assert first == '"hit_id": "<ID-1>", "hit_type_id": "<ID-2>"'
    assert second == "hit <ID-2> then <ID-1>"


def test_what_reviewers_read_is_kept():
    text = 'worker A1GOLDEN0001, Locale 00000000000000000071, cost "0.36", block[A2YUCJ28XANFOX]'
    assert Scrubber({}).scrub(text) == text


def test_manifest_dates_keep_their_label_within_a_minute_and_other_times_are_hidden():
    scrubber = Scrubber({"<DAY+30>": DAY_30})
    assert scrubber.scrub("2027-01-03T00:00:00Z -> 2027-01-03T00:00:01Z") == "<DAY+30> -> <DAY+30>"
    assert scrubber.scrub('"created_at": "2026-12-04T16:26:19Z"') == '"created_at": "<time>"'


def test_plan_stamp_and_fingerprint_values_are_replaced_but_fingerprint_keys_stay():
    text = (
        '"fingerprints": {\n    "account": "dee18fab9cf636d9",\n    "batch.b.hit[t1]": "6fbef7ffd81ab810"\n  },\n'
        '  "plan_id": "147677f87ea94173ae05f57d5d5951c9",\n  "tool_version": "0.1.0"'
    )
    assert Scrubber({}).scrub(text) == (
        '"fingerprints": {\n    "account": "<fingerprint>",\n    "batch.b.hit[t1]": "<fingerprint>"\n  },\n'
        '  "plan_id": "<plan_id>",\n  "tool_version": "<tool_version>"'
    )
