from bot.runtime.rate_limit import RateLimiter


def test_a_conversation_over_its_limit_is_refused_until_the_window_moves_on():
    limiter = RateLimiter(limit=3, window_seconds=60)
    assert [limiter.allow("c", now=t) for t in (0, 1, 2, 3)] == [True, True, True, False]
    assert limiter.allow("other", now=3) is True  # per conversation
    assert limiter.allow("c", now=61.5) is True  # the first two have left the window


def test_idle_conversations_are_forgotten():
    limiter = RateLimiter(limit=3, window_seconds=10, max_conversations=2)
    for n in range(3):
        limiter.allow(f"c{n}", now=n)
    limiter.allow("late", now=100)
    assert set(limiter._seen) == {"late"}
