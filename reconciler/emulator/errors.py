"""MTurk-shaped errors: the `__type`, `Message` and `TurkErrorCode` a real endpoint sends."""

from __future__ import annotations

import time

REQUEST_ERROR = "RequestError"
SERVICE_FAULT = "ServiceFault"
PARAMETER_VALIDATION = "ParameterValidationError"
THROTTLING = "ThrottlingException"

_STATUS = {REQUEST_ERROR: 400, SERVICE_FAULT: 500, PARAMETER_VALIDATION: 400, THROTTLING: 400}

# TurkErrorCode strings. The first group is documented or observed; the rest are the emulator's
# plausible choices where MTurk's code is unconfirmed (see docs/decisions.md, "The emulator engine").
HIT_DOES_NOT_EXIST = "AWS.MechanicalTurk.HITDoesNotExist"
HIT_ALREADY_EXISTS = "AWS.MechanicalTurk.HitAlreadyExists"
INVALID_MAX_ASSIGNMENTS_INCREASE = "AWS.MechanicalTurk.InvalidMaximumAssignmentsIncrease"
HIT_TOO_OLD_FOR_EXTENSION = "AWS.MechanicalTurk.HITTooOldForExtension"
INVALID_ASSIGNMENT_STATE = "AWS.MechanicalTurk.InvalidAssignmentState"
QUALIFICATION_DOES_NOT_EXIST = "AWS.MechanicalTurk.QualificationDoesNotExist"
QUALIFICATION_TYPE_ALREADY_EXISTS = "AWS.MechanicalTurk.QualificationTypeAlreadyExists"
XML_PARSE_ERROR = "AWS.MechanicalTurk.XMLParseError"
INVALID_HIT_STATE = "AWS.MechanicalTurk.InvalidHITState"
DUPLICATE_CALL = "AWS.MechanicalTurk.DuplicateCall"
HIT_TYPE_DOES_NOT_EXIST = "AWS.MechanicalTurk.HITTypeDoesNotExist"
ASSIGNMENT_DOES_NOT_EXIST = "AWS.MechanicalTurk.AssignmentDoesNotExist"
QUALIFICATION_TYPE_DOES_NOT_EXIST = "AWS.MechanicalTurk.QualificationTypeDoesNotExist"
QUALIFICATION_REQUEST_DOES_NOT_EXIST = "AWS.MechanicalTurk.QualificationRequestDoesNotExist"
NOT_OWNER = "AWS.MechanicalTurk.PermissionDenied"
INSUFFICIENT_FUNDS = "AWS.MechanicalTurk.InsufficientFunds"
INVALID_PARAMETER = "AWS.MechanicalTurk.InvalidParameterValue"
INVALID_NEXT_TOKEN = "AWS.MechanicalTurk.InvalidNextToken"
BLOCK_LIMIT = "AWS.MechanicalTurk.WorkerBlockLimitExceeded"
WORKER_ERROR = "AWS.MechanicalTurk.WorkerActionNotAllowed"
SERVICE_UNAVAILABLE = "AWS.ServiceUnavailable"


def stamp(message: str, unit: str = "") -> str:
    """Append MTurk's ` (<epoch-ms>)` suffix to a message (real wall-clock, as the service does).

    `unit=" s"` gives the ` (<epoch-ms> s)` variant MTurk's HIT-state errors end with.
    """
    return f"{message} ({int(time.time() * 1000)}{unit})"


class MTurkError(Exception):
    """An error the emulated service answers with; `to_wire()` gives the HTTP status and JSON body."""

    def __init__(
        self,
        error_type: str,
        message: str,
        turk_error_code: str | None = None,
        *,
        stamped: bool = False,
    ):
        self.error_type = error_type
        self.message = message if stamped else stamp(message)
        self.turk_error_code = turk_error_code
        self.http_status = _STATUS.get(error_type, 400)
        super().__init__(self.message)

    def to_wire(self) -> tuple[int, dict]:
        """The HTTP status and JSON 1.1 error body, as MTurk sends them."""
        body: dict = {"__type": self.error_type, "Message": self.message}
        if self.turk_error_code is not None:
            body["TurkErrorCode"] = self.turk_error_code
        return self.http_status, body

    def __repr__(self) -> str:
        return f"MTurkError({self.error_type!r}, {self.message!r}, {self.turk_error_code!r})"


def request_error(message: str, code: str | None) -> MTurkError:
    """A `RequestError` (HTTP 400) with a TurkErrorCode."""
    return MTurkError(REQUEST_ERROR, message, code)


def parameter_error(message: str) -> MTurkError:
    """A `ParameterValidationError` (HTTP 400): a value outside what the service accepts."""
    return MTurkError(PARAMETER_VALIDATION, message)


def range_error(name: str, value: object, low: int, high: int) -> MTurkError:
    """MTurk's range message: "The value N is invalid for P. Valid values range from A to B." """
    return parameter_error(
        f"The value {value} is invalid for {name}. Valid values range from {low} to {high}."
    )


def service_fault(message: str = "The service is temporarily unable to process your request. "
                  "Try your call again.") -> MTurkError:
    """A `ServiceFault` (HTTP 500), retried by botocore."""
    return MTurkError(SERVICE_FAULT, message, SERVICE_UNAVAILABLE)


def throttling(message: str = "Rate exceeded") -> MTurkError:
    """The throttling error botocore retries (`ThrottlingException`, HTTP 400)."""
    return MTurkError(THROTTLING, message, stamped=True)
