"""Making plan outputs comparable between runs, without hiding what a reviewer reads.

One `Scrubber` is applied alike to plan.json, plan.txt and plan.md of a case (in that order), so an
ID gets the same placeholder in all three. What varies legitimately and is replaced:
- the plan's own stamp: `plan_id`, `tool_version`, `manifest_digest` (the manifests hold dates
  relative to the day of the run), and the values of `fingerprints` (their keys stay);
- server-assigned IDs (HIT, HIT type, qualification type: 30 upper-case letters and digits), each
  distinct ID by `<ID-n>` in order of first appearance; system qualification IDs (20 digits) and
  worker IDs stay;
- timestamps: a manifest date (`<DAY+N>`, see golden_cases) is shown as its label again, also when
  a live expiry drifted from it by the second or two a create takes; any other time (a HIT's
  `created_at`, the plan's `created_at`) is `<time>`.
Everything else (addresses, actions, reasons, field values, costs, errors) is kept byte for byte.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

# A live expiry is "now + LifetimeInSeconds" on the emulator's clock: within a minute of the
# manifest's date, the same tolerance the plan itself allows before it calls it a change.
DATE_TOLERANCE = timedelta(seconds=60)

_STAMP = re.compile(r'"(plan_id|tool_version|manifest_digest)": "[^"]*"')
_FINGERPRINTS = re.compile(r'"fingerprints": \{[^{}]*\}')
_FINGERPRINT_VALUE = re.compile(r'": "[0-9a-f]+"')
_SERVER_ID = re.compile(r"(?<![A-Za-z0-9])[A-Z0-9]{30}(?![A-Za-z0-9])")
_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})")


def iso(moment: datetime) -> str:
    """How the manifests and the plan write a time: whole seconds, UTC, with Z."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(timezone.utc)


class Scrubber:
    """Replaces what varies between runs; keeps its ID numbering across the documents it scrubs."""

    def __init__(self, dates: dict[str, datetime]):
        self.dates = dates  # label (e.g. "<DAY+30>") -> the instant it stood for in this run
        self.ids: dict[str, str] = {}

    def scrub(self, text: str) -> str:
        text = _STAMP.sub(lambda m: f'"{m.group(1)}": "<{m.group(1)}>"', text)
        text = _FINGERPRINTS.sub(lambda m: _FINGERPRINT_VALUE.sub('": "<fingerprint>"', m.group(0)), text)
        text = _SERVER_ID.sub(lambda m: self._id(m.group(0)), text)
        return _TIMESTAMP.sub(lambda m: self._time(m.group(0)), text)

    def _id(self, server_id: str) -> str:
        if server_id not in self.ids:
            self.ids[server_id] = f"<ID-{len(self.ids) + 1}>"
        return self.ids[server_id]

    def _time(self, text: str) -> str:
        moment = parse_iso(text)
        for label, date in self.dates.items():
            if abs(moment - date) <= DATE_TOLERANCE:
                return label
        return "<time>"
