"""Question normalisation: layout never matters, CDATA content always does."""

from __future__ import annotations

import pytest

from reconciler.plan.normalise import normalise_question

COMPACT = '<ExternalQuestion xmlns="x"><ExternalURL>https://example.com/task?id=1</ExternalURL><FrameHeight>0</FrameHeight></ExternalQuestion>'
PRETTY = """<?xml version="1.0" encoding="UTF-8"?>
<ExternalQuestion xmlns="x">
  <ExternalURL>
    https://example.com/task?id=1
  </ExternalURL>
  <FrameHeight>0</FrameHeight>
</ExternalQuestion>
"""
HTML = '<HTMLQuestion><HTMLContent><![CDATA[\n<p>  keep   this  </p>\n]]></HTMLContent>\n  <FrameHeight>450</FrameHeight></HTMLQuestion>'


def test_declaration_and_whitespace_between_tags_do_not_matter() -> None:
    assert normalise_question(PRETTY) == COMPACT


def test_cdata_content_is_kept_byte_for_byte() -> None:
    assert "<![CDATA[\n<p>  keep   this  </p>\n]]>" in normalise_question(HTML)
    assert normalise_question(HTML.replace("keep   this", "keep this")) != normalise_question(HTML)


@pytest.mark.parametrize("text", [COMPACT, PRETTY, HTML, "a < b <unclosed", "", "plain text"])
def test_normalising_twice_changes_nothing(text: str) -> None:
    once = normalise_question(text)
    assert normalise_question(once) == once


def test_no_character_of_malformed_input_is_dropped() -> None:
    assert normalise_question("a < b") == "a< b"
    assert normalise_question("a < b") != normalise_question("a < c")
