"""Validate a request against botocore's own service model, the way the server would.

botocore checks only required members, types and `min` on the client side; `max`, `pattern`
and `enum` reach the server unchecked (a 65-character HITId, `MaxResults=500`, `Reward="$1"`).
This module checks everything the model states and reports every violation in one
`ParameterValidationError`, in the "1 validation error detected: Value … at … failed to satisfy
constraint: …" style of AWS services.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import botocore.loaders
from botocore.model import OperationModel, ServiceModel, Shape

from .errors import INVALID_PARAMETER, REQUEST_ERROR, MTurkError, parameter_error, request_error

MAX_REPORTED = 10
# Members whose refusal MTurk documents in its own words instead of the generic constraint text.
DOCUMENTED_REFUSALS = {("DeleteWorkerBlock", "WorkerId"): "WorkerId is invalid."}


@lru_cache(maxsize=1)
def service_model() -> ServiceModel:
    """botocore's MTurk Requester service model (2017-01-17).

    Read straight from botocore's data files, not through a botocore session: a session reads
    AWS_PROFILE, and a profile missing from ~/.aws/config must not stop the emulator, which
    needs no account at all.
    """
    loader = botocore.loaders.create_loader()
    return ServiceModel(loader.load_service_model("mturk", "service-2"), service_name="mturk")


@lru_cache(maxsize=64)
def operation_model(operation: str) -> OperationModel:
    """The model of one operation; a RequestError for a name MTurk does not have."""
    model = service_model()
    if operation not in model.operation_names:
        raise MTurkError(REQUEST_ERROR, f"Operation {operation} is not supported.", None)
    return model.operation_model(operation)


@lru_cache(maxsize=128)
def _pattern(text: str) -> re.Pattern[str]:
    return re.compile(text)


def validate_request(operation: str, params: Any) -> None:
    """Raise ParameterValidationError unless `params` fits the operation's input shape."""
    shape = operation_model(operation).input_shape
    _check_documented_refusals(operation, shape, params)
    problems: list[str] = []
    if shape is None:
        if params not in ({}, None):
            problems.append("Operation takes no input members")
    else:
        _check(shape, params, "", problems)
    if problems:
        count = len(problems)
        noun = "error" if count == 1 else "errors"
        detail = "; ".join(problems[:MAX_REPORTED])
        raise parameter_error(f"{count} validation {noun} detected: {detail}")


def _check_documented_refusals(operation: str, shape: Shape | None, params: Any) -> None:
    """A RequestError in MTurk's documented words for a missing or invalid member that has them."""
    if shape is None or not isinstance(params, dict):
        return
    for (name, member), message in DOCUMENTED_REFUSALS.items():
        if name != operation:
            continue
        problems: list[str] = []
        value = params.get(member)
        if value is not None:
            _check(shape.members[member], value, member, problems)
        if value is None or problems:
            raise request_error(message, INVALID_PARAMETER)


def _describe(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _check(shape: Shape, value: Any, path: str, problems: list[str]) -> None:
    kind = shape.type_name
    checker = _CHECKERS.get(kind)
    if checker is not None:
        checker(shape, value, path, problems)


def _check_structure(shape: Shape, value: Any, path: str, problems: list[str]) -> None:
    if not isinstance(value, dict):
        problems.append(f"Value at '{path or 'request'}' failed to satisfy constraint: "
                        "Member must be a structure")
        return
    members = shape.members
    for name in shape.required_members:
        if value.get(name) is None:
            problems.append(f"Value null at '{_join(path, name)}' failed to satisfy constraint: "
                            "Member must not be null")
    for name, member_value in value.items():
        member = members.get(name)
        if member is None:
            problems.append(f"Member '{_join(path, name)}' is not a member of {shape.name}")
        elif member_value is not None:
            _check(member, member_value, _join(path, name), problems)


def _check_list(shape: Shape, value: Any, path: str, problems: list[str]) -> None:
    if not isinstance(value, list):
        problems.append(f"Value '{_describe(value)}' at '{path}' failed to satisfy constraint: "
                        "Member must be a list")
        return
    _check_length(shape, value, len(value), path, problems)
    for index, item in enumerate(value, start=1):
        _check(shape.member, item, f"{path}.{index}.member", problems)


def _check_string(shape: Shape, value: Any, path: str, problems: list[str]) -> None:
    if not isinstance(value, str):
        problems.append(f"Value '{_describe(value)}' at '{path}' failed to satisfy constraint: "
                        "Member must be a string")
        return
    _check_length(shape, value, len(value), path, problems)
    metadata = shape.metadata
    if "pattern" in metadata and not _pattern(metadata["pattern"]).search(value):
        problems.append(f"Value '{_describe(value)}' at '{path}' failed to satisfy constraint: "
                        f"Member must satisfy regular expression pattern: {metadata['pattern']}")
    enum = shape.enum
    if enum and value not in enum:
        problems.append(f"Value '{_describe(value)}' at '{path}' failed to satisfy constraint: "
                        f"Member must satisfy enum value set: [{', '.join(enum)}]")


def _check_number(shape: Shape, value: Any, path: str, problems: list[str]) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        problems.append(f"Value '{_describe(value)}' at '{path}' failed to satisfy constraint: "
                        "Member must be an integer")
        return
    metadata = shape.metadata
    if "min" in metadata and value < metadata["min"]:
        problems.append(f"Value '{value}' at '{path}' failed to satisfy constraint: "
                        f"Member must have value greater than or equal to {metadata['min']}")
    if "max" in metadata and value > metadata["max"]:
        problems.append(f"Value '{value}' at '{path}' failed to satisfy constraint: "
                        f"Member must have value less than or equal to {metadata['max']}")


def _check_boolean(shape: Shape, value: Any, path: str, problems: list[str]) -> None:
    if not isinstance(value, bool):
        problems.append(f"Value '{_describe(value)}' at '{path}' failed to satisfy constraint: "
                        "Member must be a boolean")


def _check_timestamp(shape: Shape, value: Any, path: str, problems: list[str]) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        problems.append(f"Value '{_describe(value)}' at '{path}' failed to satisfy constraint: "
                        "Member must be a timestamp in epoch seconds")


def _check_length(shape: Shape, value: Any, length: int, path: str, problems: list[str]) -> None:
    metadata = shape.metadata
    if "min" in metadata and length < metadata["min"]:
        problems.append(f"Value '{_describe(value)}' at '{path}' failed to satisfy constraint: "
                        f"Member must have length greater than or equal to {metadata['min']}")
    if "max" in metadata and length > metadata["max"]:
        problems.append(f"Value '{_describe(value)}' at '{path}' failed to satisfy constraint: "
                        f"Member must have length less than or equal to {metadata['max']}")


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


_CHECKERS = {
    "structure": _check_structure,
    "list": _check_list,
    "string": _check_string,
    "integer": _check_number,
    "long": _check_number,
    "boolean": _check_boolean,
    "timestamp": _check_timestamp,
}
