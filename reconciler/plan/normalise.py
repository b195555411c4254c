"""Question XML in the one form both sides are compared in.

MTurk stores the Question string it was given, but a template re-rendered from a manifest and the
string read back may differ in layout only: an XML declaration, indentation, line breaks between
elements. Those differences must never plan a replacement, so both sides pass through
`normalise_question` before they are compared. CDATA sections (the HTML of an HTMLQuestion) are
kept byte for byte: whitespace inside a page can matter to the worker who sees it.
"""

from __future__ import annotations

import re

# CDATA sections and comments are matched whole and put back as they are (group 1); any other
# whitespace run that touches a tag, or the ends of the text, is dropped. One C-level pass.
_LAYOUT = re.compile(r"(<!\[CDATA\[.*?\]\]>|<!--.*?-->)|(?<=>)\s+|\s+(?=<)|\A\s+|\s+\Z", re.S)
_DECLARATION = re.compile(r"\A\ufeff?\s*<\?xml\b[^<>]*\?>", re.S)


def normalise_question(xml: str) -> str:
    """The question with the XML declaration dropped, whitespace between tags removed and text
    nodes trimmed; CDATA content untouched. Idempotent and deterministic."""
    return _LAYOUT.sub(r"\1", _DECLARATION.sub("", xml, count=1))
