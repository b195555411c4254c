"""The MTurk client factory: targets, endpoints, credentials, retry settings, system qualification IDs."""

from __future__ import annotations

from reconciler.mturk.calls import CallCounter, count_calls
from reconciler.mturk.client import MTurkConnection, client_config, make_client
from reconciler.mturk.failures import describe_failure, error_code, translate_failures
from reconciler.mturk.system_qualifications import SystemQualifications, system_qualifications
from reconciler.mturk.targets import TARGETS, Target, resolve_target

__all__ = [
    "TARGETS",
    "CallCounter",
    "MTurkConnection",
    "SystemQualifications",
    "Target",
    "client_config",
    "count_calls",
    "describe_failure",
    "error_code",
    "make_client",
    "resolve_target",
    "system_qualifications",
    "translate_failures",
]
