"""Two HITs this project does not own: one posted by hand, one by another project."""

from reconciler.identity import hit_annotation

FOREIGN = {
    "Title": "Someone else's task",
    "Description": "Posted outside this project.",
    "Reward": "0.50",
    "AssignmentDurationInSeconds": 600,
    "LifetimeInSeconds": 86_400,
    "MaxAssignments": 1,
    "Question": (
        '<ExternalQuestion xmlns="http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/2006-07-14/'
        'ExternalQuestion.xsd"><ExternalURL>https://elsewhere.example.org/</ExternalURL>'
        "<FrameHeight>0</FrameHeight></ExternalQuestion>"
    ),
}


def setup(client, engine):
    client.create_hit(**FOREIGN, RequesterAnnotation="posted by hand")
    client.create_hit(**FOREIGN, RequesterAnnotation=hit_annotation("another-project", "tweets", "t1", 0))
    client.create_hit(**FOREIGN)
