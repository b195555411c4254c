"""The places a project can be planned and applied against: `local`, `sandbox`, `production`.

A target is a name plus where its requests go. `local` is the built-in emulator, answered in
process from the project's state file; the other two are MTurk's real endpoints. Only us-east-1
is a real MTurk region, so every target signs for it.
"""

from __future__ import annotations

from dataclasses import dataclass

from reconciler.errors import TargetError

REGION = "us-east-1"
SANDBOX_ENDPOINT = "https://mturk-requester-sandbox.us-east-1.amazonaws.com"
PRODUCTION_ENDPOINT = "https://mturk-requester.us-east-1.amazonaws.com"
# The in-process emulator answers before anything is sent; `.invalid` can never resolve, so a
# request that escaped the emulator would fail instead of reaching a real host.
LOCAL_ENDPOINT = "https://mturk-requester.local.invalid"


@dataclass(frozen=True)
class Target:
    """Where a plan or apply goes. `sandbox`: MTurk's sandbox realm (its own Masters ID, fake money);
    `production`: real money. `local` is neither: the emulator, in production's realm."""

    name: str
    endpoint_url: str
    region: str = REGION
    sandbox: bool = False
    production: bool = False

    @property
    def local(self) -> bool:
        return self.name == "local"

    @property
    def needs_credentials(self) -> bool:
        """Real MTurk needs real AWS credentials; the emulator accepts anything."""
        return not self.local


TARGETS: dict[str, Target] = {
    # The emulator's realm defaults to production's (its Masters ID included); no real money moves.
    "local": Target("local", LOCAL_ENDPOINT),
    "sandbox": Target("sandbox", SANDBOX_ENDPOINT, sandbox=True),
    "production": Target("production", PRODUCTION_ENDPOINT, production=True),
}


def resolve_target(name: str) -> Target:
    """The Target called `name`, or a TargetError that lists the known ones."""
    try:
        return TARGETS[name]
    except KeyError:
        known = ", ".join(TARGETS)
        raise TargetError(f"Unknown target {name!r}: use one of {known}.") from None


def choose_target(explicit: str | None, default: str) -> str:
    """The target to use: `--target` when given, else the project's (or saved plan's) own.

    Production is never reached by default: a project or plan whose target is production still
    needs `--target production` on the command line, so real money is never touched by accident.
    """
    chosen = explicit or default
    if resolve_target(chosen).production and explicit != "production":
        raise TargetError(
            "This project's target is production, which is never used by default: "
            "pass --target production to plan or apply against it."
        )
    return chosen
