"""Forked jobs: results in order, a child's failure reported as the parent's would be,
and the cores this process may really use."""

from __future__ import annotations

import os
import subprocess
import sys
from functools import partial

import pytest

from deckprint.errors import UserError
from deckprint.processes import Feed, Forked, can_fork, usable_cores

pytestmark = pytest.mark.skipif(not can_fork(), reason="jobs are forked")


def pid_and(value):
    return lambda: (os.getpid(), value)


def run_forked(*jobs) -> list:
    with Forked() as children:
        for job in jobs:
            children.start(job)
        return children.results()


def test_results_come_in_the_order_the_jobs_were_started_each_from_its_own_child() -> None:
    results = run_forked(*(pid_and(n) for n in range(4)))
    assert [value for _, value in results] == [0, 1, 2, 3]
    assert len({pid for pid, _ in results} | {os.getpid()}) == 5


def user_error():
    raise UserError("deck.yaml:3:1: deck.title: a problem the user can fix")


def bug():
    raise KeyError("a bug in deckprint")


def test_a_childs_user_error_is_a_user_error_here() -> None:
    with pytest.raises(UserError, match=r"^deck\.yaml:3:1: deck\.title: a problem the user can fix$"):
        run_forked(pid_and(0), user_error)


def test_a_childs_bug_comes_back_with_its_traceback() -> None:
    with pytest.raises(RuntimeError) as caught:
        run_forked(pid_and(0), bug)
    assert "Traceback" in str(caught.value) and "a bug in deckprint" in str(caught.value)
    assert not isinstance(caught.value, UserError)


def test_a_child_that_dies_is_a_failure_not_a_hang() -> None:
    with pytest.raises(RuntimeError, match="died"):
        run_forked(lambda: os._exit(9))


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity"), reason="no CPU affinity here")
def test_usable_cores_are_the_ones_this_process_may_run_on() -> None:
    code = "import os; os.sched_setaffinity(0, {min(os.sched_getaffinity(0))}); " \
           "from deckprint.processes import usable_cores; print(usable_cores())"
    one = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert one.stdout.strip() == "1"  # taskset -c 0: no point forking
    assert usable_cores() == len(os.sched_getaffinity(0))


def test_a_feed_streams_items_in_order_to_each_reader_as_they_are_made() -> None:
    feed = Feed(60, chunk=7)
    with Forked() as children:
        children.start(partial(read_feed, feed, feed.connect(), slice(None)))  # everything
        children.start(partial(read_feed, feed, feed.connect(), slice(50, 53)))  # a part, the rest skipped
        children.start(partial(read_feed, feed, feed.connect(), slice(0, 3)))  # stops early: no stall
        feed.produce(bytes([n]) * 50_000 for n in range(60))  # 3 MB: more than a pipe holds
        everything, part, first = children.results()
    assert everything == list(range(60))
    assert (part, first) == ([50, 51, 52], [0, 1, 2])


def read_feed(feed: Feed, end, which: slice) -> list[int]:
    feed.attach(end)
    return [item[0] for item in feed[which]]


def test_a_feed_is_read_forward_only() -> None:
    feed = Feed(20, chunk=5)
    end = feed.connect()
    with Forked() as children:
        children.start(partial(read_back, feed, end))
        feed.produce(range(20))
        with pytest.raises(RuntimeError, match="forward only"):
            children.results()


def read_back(feed: Feed, end) -> int:
    feed.attach(end)
    return feed[12] + feed[3]  # chunk 0 is gone once chunk 2 is read
