"""The tracker cache remembers a conversation only for the fingerprint it was given."""

import pytest
from rasa.shared.core.events import ActionExecuted, SessionStarted, UserUttered

from bot.runtime.tracker_cache import EMPTY, Fingerprint, TrackerCache, latest_session


def events(n, start=0.0):
    return [ActionExecuted("action_listen", timestamp=start + i) for i in range(n)]


def test_remembers_for_the_same_fingerprint_only():
    cache = TrackerCache(100)
    first = Fingerprint(2, 7, 10.0)
    cache.put("a", first, events(2))
    assert cache.get("a", first) == tuple(events(2))
    assert cache.get("a", Fingerprint(3, 8, 11.0)) is None
    # A mismatch forgets: the old fingerprint does not bring it back.
    assert cache.get("a", first) is None
    assert len(cache) == 0 and cache.events_held == 0


@pytest.mark.parametrize(
    "other",
    [Fingerprint(2, 8, 10.0), Fingerprint(3, 7, 10.0), Fingerprint(2, 7, 10.5), EMPTY],
)
def test_any_difference_in_the_fingerprint_is_a_miss(other):
    cache = TrackerCache(100)
    cache.put("a", Fingerprint(2, 7, 10.0), events(2))
    assert cache.get("a", other) is None


def test_least_recently_used_conversations_are_forgotten_first():
    cache = TrackerCache(max_events=5)
    cache.put("a", Fingerprint(2, 2, 1.0), events(2))
    cache.put("b", Fingerprint(2, 4, 2.0), events(2))
    assert cache.get("a", Fingerprint(2, 2, 1.0)) is not None  # "a" is now the most recent
    cache.put("c", Fingerprint(2, 6, 3.0), events(2))
    assert cache.get("b", Fingerprint(2, 4, 2.0)) is None
    assert cache.get("a", Fingerprint(2, 2, 1.0)) is not None
    assert cache.events_held == 4


def test_a_conversation_larger_than_the_whole_cache_is_not_kept():
    cache = TrackerCache(max_events=3)
    cache.put("a", Fingerprint(4, 4, 1.0), events(4))
    assert len(cache) == 0 and cache.events_held == 0


def test_an_empty_conversation_is_not_remembered():
    cache = TrackerCache(100)
    cache.put("a", EMPTY, [])
    assert cache.get("a", EMPTY) is None and len(cache) == 0


def test_no_memory_when_switched_off():
    cache = TrackerCache(max_events=0)
    cache.put("a", Fingerprint(1, 1, 1.0), events(1))
    assert cache.get("a", Fingerprint(1, 1, 1.0)) is None


def test_putting_again_replaces_and_keeps_the_count():
    cache = TrackerCache(100)
    cache.put("a", Fingerprint(2, 2, 1.0), events(2))
    cache.put("a", Fingerprint(3, 3, 2.0), events(3))
    assert cache.events_held == 3 and len(cache) == 1


def test_fingerprint_after_new_rows():
    before = Fingerprint(3, 10, 5.0)
    assert before.after([11, 12], [6.0, 7.0]) == Fingerprint(5, 12, 7.0)
    assert before.after([], []) == before
    assert EMPTY.after([1], [0.5]) == Fingerprint(1, 1, 0.5)


def test_latest_session_is_everything_without_a_session_start():
    evts = events(3)
    assert latest_session(evts) == tuple(evts)


def test_latest_session_starts_at_the_latest_session_start_by_timestamp():
    old = [ActionExecuted("action_session_start", timestamp=1.0), SessionStarted(timestamp=0.9)]
    old += [UserUttered("hi", timestamp=2.0), ActionExecuted("action_listen", timestamp=3.0)]
    # Rasa logs action_session_start after the session_started its action returned.
    new = [SessionStarted(timestamp=9.0), ActionExecuted("action_session_start", timestamp=9.5)]
    new += [UserUttered("again", timestamp=10.0)]
    assert latest_session(old + new) == tuple(new)
    # Events stamped at or after the session start are kept, in the order stored.
    assert latest_session(old) == tuple(old)
    early = [ActionExecuted("action_listen", timestamp=0.5), *old]
    assert latest_session(early) == tuple(old)
