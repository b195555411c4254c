"""The small valid project the spec tests vary, as file contents."""

from __future__ import annotations

PROJECT = "kind: Project\nname: demo\n"
TYPES = """\
kind: HITType
name: sentiment
title: Rate a sentence
description: Pick positive, neutral or negative.
reward: "0.05"
assignment_duration: 10m
auto_approval_delay: 3d
qualifications:
  - {qualification: english, comparator: GreaterThanOrEqualTo, value: 80}
  - {system: Locale, comparator: In, locales: [US, CA]}
"""
QUALIFICATIONS = """\
kind: QualificationType
name: english
description: Reads English well.
grants:
  workers:
    - {worker: A1EXAMPLE0001, value: 90}
"""
BATCH = """\
kind: HITBatch
name: tweets
hit_type: sentiment
question: {html: templates/q.html.j2, frame_height: 400}
data: data/rows.csv
key: id
assignments: 3
expires_at: 2027-06-30T00:00:00Z
"""
TEMPLATE = "<p>{{ text }}</p>\n"
ROWS = "id,text\nt1,Good day\nt2,Bad day\n"

BASE_FILES = {
    "project.yaml": PROJECT,
    "types.yaml": TYPES,
    "qualifications.yaml": QUALIFICATIONS,
    "batch.yaml": BATCH,
    "templates/q.html.j2": TEMPLATE,
    "data/rows.csv": ROWS,
}
