"""A local MTurk Requester API (2017-01-17): engine, SQLite store, clock, workers, transports.

`Engine(path)` answers any of the 39 operations through `Engine.call`; `transport.local_client`
gives a real boto3 client answered in-process; `workers` plays the worker side.
"""

from __future__ import annotations

from .clock import Clock, ManualClock
from .engine import Engine
from .errors import MTurkError
from .paths import state_path

__all__ = ["Clock", "Engine", "ManualClock", "MTurkError", "state_path"]
