"""How fast the emulator answers a real boto3 client, in process and over HTTP.

    python bench/emulator.py [--hits 2000] [--page-rounds 5] [--memory]

Prints calls per second for CreateHITWithHITType and ListHITs pages (100 HITs a page, over an
account of --hits HITs), for the in-process transport (the `local` target) and for the HTTP
server on a loopback port (`reconciler emulator serve`), and the ratio between the two. Each
transport gets its own fresh account, stored in a temporary SQLite file like the local target's
(or in memory with --memory). Not a test: the numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import boto3
from botocore.config import Config

from reconciler.emulator import Engine
from reconciler.emulator.server import serve
from reconciler.emulator.transport import local_client

QUESTION = (
    '<HTMLQuestion xmlns="http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/2011-11-11/HTMLQuestion.xsd">'
    "<HTMLContent><![CDATA[<!DOCTYPE html><html><body><form><input name=\"answer\"/></form></body></html>]]>"
    "</HTMLContent><FrameHeight>400</FrameHeight></HTMLQuestion>"
)
HIT_TYPE = {"Title": "Benchmark", "Description": "A HIT for the benchmark.", "Reward": "0.05", "AssignmentDurationInSeconds": 600}


def create_hits(client, count: int) -> float:
    """Create `count` HITs one after another; calls per second."""
    type_id = client.create_hit_type(**HIT_TYPE)["HITTypeId"]
    started = time.perf_counter()
    for n in range(count):
        client.create_hit_with_hit_type(
            HITTypeId=type_id, LifetimeInSeconds=86400, Question=QUESTION,
            RequesterAnnotation=f"reconciler/1 bench rows 0 row-{n}", UniqueRequestToken=f"bench-{n}",
        )
    return count / (time.perf_counter() - started)


def list_pages(client, rounds: int, expected: int) -> float:
    """Read the whole account `rounds` times in pages of 100; pages per second."""
    pages = 0
    started = time.perf_counter()
    for _ in range(rounds):
        seen = 0
        for page in client.get_paginator("list_hits").paginate(PaginationConfig={"PageSize": 100}):
            pages += 1
            seen += len(page["HITs"])
        if seen != expected:
            raise SystemExit(f"ListHITs returned {seen} HITs, expected {expected}")
    return pages / (time.perf_counter() - started)


def http_client(url: str):
    session = boto3.session.Session(aws_access_key_id="bench", aws_secret_access_key="bench", region_name="us-east-1")
    return session.client("mturk", endpoint_url=url, config=Config(retries={"mode": "standard", "max_attempts": 1}))


def run(transport: str, state: str, hits: int, rounds: int) -> tuple[float, float]:
    engine = Engine(state)
    try:
        if transport == "in-process":
            client = local_client(engine, max_attempts=1)
            return create_hits(client, hits), list_pages(client, rounds, hits)
        with serve(engine, port=0) as server:
            client = http_client(server.url)
            return create_hits(client, hits), list_pages(client, rounds, hits)
    finally:
        engine.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hits", type=int, default=2000, help="HITs to create (and then list)")
    parser.add_argument("--page-rounds", type=int, default=5, help="times to list the whole account")
    parser.add_argument("--memory", action="store_true", help="keep the state in memory, not in a file")
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        for transport in ("in-process", "HTTP"):
            state = ":memory:" if args.memory else str(Path(folder) / f"{transport}.sqlite3")
            results[transport] = run(transport, state, args.hits, args.page_rounds)
    storage = "memory" if args.memory else "SQLite file"
    print(f"Emulator benchmark: {args.hits} HITs, {args.page_rounds} full listings, state in {storage}")
    print(f"{'':34}{'in-process':>12}{'over HTTP':>12}{'HTTP/in-process':>17}")
    for index, label in enumerate(("CreateHITWithHITType calls/s", "ListHITs pages (100 HITs)/s")):
        local, remote = results["in-process"][index], results["HTTP"][index]
        print(f"{label:34}{local:12.1f}{remote:12.1f}{remote / local:17.2f}")


if __name__ == "__main__":
    main()
