"""The client factory: one boto3 MTurk client per run, shared by every thread.

`make_client` turns a target name (plus an optional endpoint override and AWS profile) into an
MTurkConnection. `local` answers in process from the project's emulator state file with dummy
credentials and never touches the network; `sandbox` and `production` use boto3's usual
credential chain and refuse to start, in one sentence, when it finds nothing. Retries use
botocore's `adaptive` mode: sharing the one client lets its rate limiter see all traffic.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import boto3
import botocore.session
from botocore.config import Config
from botocore.exceptions import BotoCoreError

from reconciler import __version__
from reconciler.errors import TargetError
from reconciler.mturk.failures import describe_failure, missing_credentials_sentence, remember_secrets
from reconciler.mturk.system_qualifications import SystemQualifications, system_qualifications
from reconciler.mturk.targets import Target, resolve_target

CONNECT_TIMEOUT = 10  # seconds; a dead endpoint should fail fast
READ_TIMEOUT = 60  # seconds; large ListHITs pages and creates can be slow on real MTurk
DEFAULT_MAX_ATTEMPTS = 5  # per call, first try included; apply re-queues throttled work itself


@dataclass(frozen=True)
class MTurkConnection:
    """A ready client plus what it talks to. Close it to release the local emulator's state file."""

    client: Any  # botocore.client.MTurk
    target: Target
    endpoint_url: str
    engine: Any = None  # reconciler.emulator.Engine for the in-process local target
    state_path: Path | None = None

    @property
    def system_qualifications(self) -> SystemQualifications:
        return system_qualifications(self.target)

    def now(self) -> datetime:
        """The target's current time, whole seconds: the emulator's clock in process (`reconciler
        emulator advance` moves it), else this machine's UTC time."""
        moment = self.engine.clock.now() if self.engine is not None else datetime.now(timezone.utc)
        return moment.astimezone(timezone.utc).replace(microsecond=0)

    def describe(self) -> str:
        """Where requests go, for the first line of a plan: "local (…/local.sqlite3)" or a URL."""
        where = str(self.state_path) if self.engine is not None else self.endpoint_url
        return f"{self.target.name} ({where})"

    def close(self) -> None:
        self.client.close()
        if self.engine is not None:
            self.engine.close()

    def __enter__(self) -> MTurkConnection:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def client_config(max_pool_connections: int = 16, max_attempts: int = DEFAULT_MAX_ATTEMPTS) -> Config:
    """botocore settings every target shares. `max_attempts` counts the first try too
    (botocore's own `max_attempts` key counts retries only, hence `total_max_attempts`)."""
    return Config(
        retries={"mode": "adaptive", "total_max_attempts": max_attempts},
        connect_timeout=CONNECT_TIMEOUT,
        read_timeout=READ_TIMEOUT,
        max_pool_connections=max_pool_connections,
        user_agent_extra=f"reconciler/{__version__}",
    )


def make_client(
    target: str,
    *,
    project_dir: Path,
    endpoint_url: str | None = None,
    profile: str | None = None,
    max_pool_connections: int = 16,
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
) -> MTurkConnection:
    """A connection to `target`; `endpoint_url` overrides where its requests go.

    Raises TargetError for an unknown target, a missing profile or missing credentials, before
    any request is sent.
    """
    resolved = resolve_target(target)
    if endpoint_url is not None:
        check_endpoint_url(endpoint_url)
    config = client_config(max_pool_connections, max_attempts)
    if resolved.local:
        return _local_connection(resolved, Path(project_dir), endpoint_url, config)
    url = endpoint_url or resolved.endpoint_url
    client = _new_client(_credentialed_session(resolved, profile), resolved, url, config)
    return MTurkConnection(client=client, target=resolved, endpoint_url=url)


def check_endpoint_url(url: str) -> None:
    """An http(s) URL with a host and a valid port, else the TargetError sentence botocore's
    own check would give (it lets `ftp://` and port 99999 through, to fail on the first call)."""
    try:
        parts = urlsplit(url)
        valid = parts.scheme in ("http", "https") and bool(parts.hostname) and (parts.port is None or parts.port > 0)
    except ValueError:  # a port that is not a number or out of range
        valid = False
    if not valid:
        raise TargetError(f"The endpoint URL {url!r} is not valid: use http(s)://host[:port].")
    if parts.username is not None or parts.password is not None:  # it would be echoed in plans and messages
        raise TargetError(
            "The endpoint URL must not carry a user name or password (MTurk signs requests with AWS credentials): "
            "use http(s)://host[:port]."
        )


def _new_client(session: boto3.Session, target: Target, url: str, config: Config, **credentials: str) -> Any:
    try:
        return session.client("mturk", region_name=target.region, endpoint_url=url, config=config, **credentials)
    except ValueError:  # botocore's "Invalid endpoint"
        raise TargetError(f"The endpoint URL {url!r} is not valid: use http(s)://host[:port].") from None
    except BotoCoreError as exc:
        raise TargetError(describe_failure(target, exc, url)) from exc


def _credentialed_session(target: Target, profile: str | None) -> boto3.Session:
    """A boto3 session whose credential chain found something, else a TargetError."""
    try:
        session = boto3.Session(profile_name=profile)
        credentials = session.get_credentials()
        if credentials is None:
            raise TargetError(missing_credentials_sentence(target))
        frozen = credentials.get_frozen_credentials()
    except BotoCoreError as exc:
        raise TargetError(describe_failure(target, exc)) from exc
    remember_secrets(frozen.access_key, frozen.secret_key, frozen.token)
    return session


def _isolated_session() -> boto3.Session:
    """A session that ignores AWS_PROFILE: the emulator needs no profile, and a missing one must not stop it."""
    return boto3.Session(botocore_session=botocore.session.Session(session_vars={"profile": (None, None, None, None)}))


def _local_connection(target: Target, project_dir: Path, endpoint_url: str | None, config: Config) -> MTurkConnection:
    """The emulator: in process on the state file, or over HTTP at `endpoint_url` (`emulator serve`)."""
    url = endpoint_url or target.endpoint_url
    dummy = {"aws_access_key_id": "local", "aws_secret_access_key": "local"}
    client = _new_client(_isolated_session(), target, url, config, **dummy)
    if endpoint_url is not None:
        return MTurkConnection(client=client, target=target, endpoint_url=url)
    from reconciler.emulator import Engine
    from reconciler.emulator.paths import state_path
    from reconciler.emulator.transport import attach

    path = state_path(project_dir)
    try:
        engine = Engine(path=str(path), sandbox=target.sandbox)
    except sqlite3.Error as exc:
        client.close()
        raise TargetError(
            f"Cannot open the local emulator state {path}: {exc}; move the file away to start with an empty emulated account."
        ) from None
    attach(client, engine)
    return MTurkConnection(client=client, target=target, endpoint_url=url, engine=engine, state_path=path)
