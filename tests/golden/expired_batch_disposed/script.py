"""Time passes until 121 days after the batch expired: MTurk has disposed of its HITs."""

DAY = 86_400


def setup(client, engine):
    latest = max(hit["Expiration"] for hit in client.list_hits()["HITs"])
    engine.advance((latest - engine.clock.now()).total_seconds() + 121 * DAY)
    assert client.list_hits()["HITs"] == [], "the expired HITs should be disposed of by now"
