"""The feed, its seen pointers, activity and feedback through the SDK over real HTTP."""

from __future__ import annotations

import pytest

from methodic import Chronicle, errors
from tests.helpers import CONFIG


def test_the_feed_pages_counts_unseen_and_acknowledges(client: Chronicle) -> None:
    exp = client.experiments.create(hypothesis_summary="h", config_yaml=CONFIG)
    exp.commit()
    client.experiments.record_finding(exp.id, status="working", summary="s", evidence_variation=0)
    page = client.feed.list(limit=2)
    assert [e.kind for e in page.results] == ["finding.recorded", "experiment.committed"]
    assert page.unseen_count == 3 and page.next_page_token == str(page.results[-1].seq)
    everything = list(client.feed.iter(limit=2))
    assert [e.kind for e in everything] == ["finding.recorded", "experiment.committed", "experiment.created"]

    client.feed.seen(section="passive", through_seq=everything[1].seq)
    assert client.feed.list().unseen_count == 1
    assert client.feed.list(after_seq=everything[1].seq).results[0].seq == everything[0].seq
    assert [
        e.kind for e in client.feed.list(category=["activity", "new_report"], kind="experiment.created").results
    ] == ["experiment.created"]
    with pytest.raises(errors.BadRequestError):
        client.feed.seen(section="inbox", through_seq=1)


def test_activity_walks_every_page(client: Chronicle) -> None:
    for _ in range(3):
        client.experiments.create(hypothesis_summary="h", config_yaml=CONFIG)
    first = client.activity.list(limit=2)
    assert len(first.results) == 2 and first.next_page_token is not None
    actions = [item.action for item in client.activity.iter(limit=2)]
    assert actions == ["experiment.create"] * 3
    assert client.activity.list(before=first.next_page_token).next_page_token is None


def test_feedback_and_error_reports(client: Chronicle) -> None:
    feedback_id = client.feedback.submit("the SDK can't express X", category="gap", context={"sdk_method": "feed.list"})
    assert isinstance(feedback_id, str) and feedback_id
    with pytest.raises(ValueError, match="category"):
        client.feedback.submit("x", category="bug")
    assert client.feedback.report_error("ServerError", "boom", stack="File a.py:3\n", response_status=500) is None
    with pytest.raises(errors.BadRequestError):
        client.feedback.report_error("", "no type")
