"""Question XML in the one form both sides are compared in.

MTurk stores the Question string it was given, but a template re-rendered from a manifest and the
string read back may differ in layout only: an XML declaration, indentation, line breaks between
elements. Those differences must never plan a replacement, so both sides pass through
`normalise_question` before they are compared. CDATA sections (the HTML of an HTMLQuestion) are
kept byte for byte: whitespace inside a page can matter to the worker who sees it.
"""

from __future__ import annotations

import re

# CDATA sections and comments first, so a '<' or '>' inside them never splits a token; then tags;
# then text; then a lone '<' that starts no tag (malformed input keeps every character).
_TOKEN = re.compile(r"<!\[CDATA\[.*?\]\]>|<!--.*?-->|<[^<>]*>|[^<]+|<", re.S)
_DECLARATION = re.compile(r"\A\ufeff?\s*<\?xml\b[^<>]*\?>", re.S)


def normalise_question(xml: str) -> str:
    """The question with the XML declaration dropped, whitespace-only text between tags removed
    and text nodes trimmed; CDATA content untouched. Idempotent and deterministic."""
    text = _DECLARATION.sub("", xml, count=1)
    parts: list[str] = []
    for match in _TOKEN.finditer(text):
        token = match.group(0)
        if token.startswith("<") and len(token) > 1:
            parts.append(token)
            continue
        trimmed = token.strip()
        if trimmed:
            parts.append(trimmed)
    return "".join(parts)
