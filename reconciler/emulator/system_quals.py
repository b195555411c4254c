"""MTurk's system qualification types: same IDs in sandbox and production, except Masters."""

from __future__ import annotations

from .context import Context

MASTERS_PRODUCTION = "2F1QJWKUDD8XADTFD2Q0G6UTO95ALH"
MASTERS_SANDBOX = "2ARFPLSP75KLA8M8DH1HTEQVJT3SY6"
NUMBER_HITS_APPROVED = "00000000000000000040"
LOCALE_ID = "00000000000000000071"
PERCENT_APPROVED = "000000000000000000L0"
ADULT = "00000000000000000060"

# (id, realm, name, description); realm says which endpoint knows the type.
SYSTEM_TYPES = (
    (MASTERS_PRODUCTION, "production", "Masters",
     "Workers who have demonstrated excellence across a wide range of HITs."),
    (MASTERS_SANDBOX, "sandbox", "Masters",
     "Workers who have demonstrated excellence across a wide range of HITs."),
    (NUMBER_HITS_APPROVED, "system", "Worker_NumberHITsApproved",
     "The number of HITs the worker has had approved."),
    (LOCALE_ID, "system", "Worker_Locale", "The location of the worker, as in their address."),
    (PERCENT_APPROVED, "system", "Worker_PercentAssignmentsApproved",
     "The percentage of the worker's submitted assignments that were approved."),
    (ADULT, "system", "Worker_Adult", "The worker agreed to see adult content."),
)

# What every emulated worker has for the system types (the emulator has no worker profiles).
WORKER_PROFILE = {
    NUMBER_HITS_APPROVED: 5000,
    PERCENT_APPROVED: 99,
    ADULT: 1,
    MASTERS_PRODUCTION: 1,
    MASTERS_SANDBOX: 1,
}
WORKER_LOCALE = {"Country": "US", "Subdivision": "WA"}


def realm_of(sandbox: bool) -> str:
    """The realm name of an endpoint."""
    return "sandbox" if sandbox else "production"


def system_type_ids(sandbox: bool) -> frozenset[str]:
    """The system qualification type IDs an endpoint knows."""
    realm = realm_of(sandbox)
    return frozenset(t[0] for t in SYSTEM_TYPES if t[1] in ("system", realm))


def is_masters(type_id: str) -> bool:
    """Whether a requirement on this type carries the Masters fee."""
    return type_id in (MASTERS_PRODUCTION, MASTERS_SANDBOX)


def seed_system_types(ctx: Context) -> None:
    """Insert the system types once (they list before any type of the requester)."""
    ctx.conn.executemany(
        "INSERT OR IGNORE INTO qual_types (id, realm, name, description, keywords, status,"
        " created) VALUES (?, ?, ?, ?, '', 'Active', 0)",
        SYSTEM_TYPES,
    )
