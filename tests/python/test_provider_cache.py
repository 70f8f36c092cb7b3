"""The per-provider cache: TTL, refresh, single flight, last-good fallback, pauses."""

import threading
import time

import pytest

from backend.helpers.common import ProviderError
from backend.provider_cache import BREAKER_FAILURES, MAX_PROBE_SECONDS, ProviderCache


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


class Loader:
    """Counts calls; returns successive values or raises queued errors."""

    def __init__(self, *outcomes):
        self.outcomes = list(outcomes)
        self.calls = 0

    def __call__(self):
        self.calls += 1
        outcome = self.outcomes.pop(0) if len(self.outcomes) > 1 else self.outcomes[0]
        if isinstance(outcome, Exception):
            raise outcome
        return outcome


class Blocking:
    """A loader that holds until released, counting its calls."""

    def __init__(self):
        self.release = threading.Event()
        self.calls = 0

    def __call__(self):
        self.calls += 1
        self.release.wait(5)
        return {"v": 1}


def failure(code="upstream_error", retry_after=None):
    return ProviderError(code, f"{code} happened", "p", retry_after)


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def cache(clock):
    return ProviderCache(ttl=60, wait_seconds=2, clock=clock)


def test_hit_within_ttl_and_reload_after(cache, clock):
    loader = Loader({"v": 1}, {"v": 2})
    assert cache.get("p", loader) == ({"v": 1}, None)
    clock.now += 59
    assert cache.get("p", loader) == ({"v": 1}, None)
    clock.now += 2
    assert cache.get("p", loader) == ({"v": 2}, None)
    assert loader.calls == 2


def test_refresh_bypasses_the_cache(cache):
    loader = Loader({"v": 1}, {"v": 2})
    cache.get("p", loader)
    assert cache.get("p", loader, refresh=True) == ({"v": 2}, None)
    assert loader.calls == 2


def test_providers_are_cached_separately(cache):
    a, b = Loader({"a": 1}), Loader({"b": 1})
    assert cache.get("a", a)[0] == {"a": 1}
    assert cache.get("b", b)[0] == {"b": 1}


def test_concurrent_misses_share_one_load(cache):
    slow = Blocking()
    results = []
    threads = [threading.Thread(target=lambda: results.append(cache.get("p", slow))) for _ in range(50)]
    for thread in threads:
        thread.start()
    time.sleep(0.2)
    slow.release.set()
    for thread in threads:
        thread.join()
    assert slow.calls == 1
    assert results == [({"v": 1}, None)] * 50


def test_failure_without_history_is_returned(cache):
    value, error = cache.get("p", Loader(failure()))
    assert value is None and error.code == "upstream_error"


def test_failure_after_success_serves_last_good_marked_stale(cache, clock):
    loader = Loader({"v": 1, "stale": False}, failure("upstream_timeout"))
    cache.get("p", loader)
    clock.now += 61
    value, error = cache.get("p", loader)
    assert value == {"v": 1, "stale": True}
    assert error.code == "upstream_timeout"


def test_rate_limit_pauses_calls_until_retry_after(cache, clock):
    loader = Loader(failure("rate_limited", retry_after=30), {"v": 1})
    assert cache.get("p", loader)[1].code == "rate_limited"
    clock.now += 10
    value, error = cache.get("p", loader, refresh=True)
    assert value is None and error.code == "rate_limited" and error.retry_after_seconds == 20
    assert loader.calls == 1
    clock.now += 21
    assert cache.get("p", loader) == ({"v": 1}, None)


def test_auth_failures_do_not_trip_the_breaker(cache):
    loader = Loader(failure("unauthorized"))
    for _ in range(BREAKER_FAILURES + 2):
        cache.get("p", loader)
    assert loader.calls == BREAKER_FAILURES + 2


def test_a_failing_provider_is_probed_less_often_but_at_least_every_15_seconds(cache, clock):
    loader = Loader(*([failure()] * 20), {"v": 1})
    for _ in range(BREAKER_FAILURES):
        cache.get("p", loader)
    value, error = cache.get("p", loader)
    assert loader.calls == BREAKER_FAILURES
    assert "asks again less often" in error.message and error.retry_after_seconds == 2
    waits = []
    for _ in range(8):  # each probe fails; the pause grows, then stays at 15 s
        waits.append(cache.get("p", loader)[1].retry_after_seconds)
        clock.now += waits[-1]
        cache.get("p", loader)
    assert waits[:4] == [2, 4, 8, 15] and max(waits) == MAX_PROBE_SECONDS


def test_a_recovered_provider_shows_fresh_numbers_within_one_probe_interval(cache, clock):
    loader = Loader(*([failure()] * 10), {"v": "fresh"})
    for _ in range(10):  # a long outage: the pause is at its longest
        cache.get("p", loader)
        clock.now += 16
    assert loader.calls == 10
    clock.now += MAX_PROBE_SECONDS  # the upstream is healthy again: the next probe is at most this far away
    assert cache.get("p", loader) == ({"v": "fresh"}, None)


def test_hanging_load_gives_a_timeout_and_later_callers_join_it():
    cache = ProviderCache(ttl=60, wait_seconds=0.2)
    hang = Blocking()
    started = time.monotonic()
    value, error = cache.get("p", hang)
    assert time.monotonic() - started < 1.0
    assert value is None and error.code == "upstream_timeout"
    assert cache.get("p", hang)[1].code == "upstream_timeout"
    hang.release.set()
    time.sleep(0.1)
    assert cache.get("p", hang) == ({"v": 1}, None)
    assert hang.calls == 1


def test_an_unexpected_exception_is_an_internal_error_not_the_providers_fault(cache):
    value, error = cache.get("p", Loader(KeyError("boom")))
    assert value is None and error.code == "internal_error" and error.status == 500


def test_without_a_value_in_memory_the_saved_last_good_is_served_stale(clock):
    saved = {"p": {"v": "from disk", "stale": False}}
    cache = ProviderCache(ttl=60, wait_seconds=2, clock=clock, fallback=saved.get)
    value, error = cache.get("p", Loader(failure("upstream_timeout")))
    assert value == {"v": "from disk", "stale": True} and error.code == "upstream_timeout"
    assert cache.get("q", Loader(failure()))[0] is None


def test_a_saved_value_is_never_taken_as_fresh(clock):
    cache = ProviderCache(ttl=60, wait_seconds=2, clock=clock, fallback=lambda key: {"v": "old"})
    cache.get("p", Loader(failure()))
    assert cache.get("p", Loader({"v": "new"})) == ({"v": "new"}, None)


def test_paused_provider_still_serves_the_saved_value(clock):
    cache = ProviderCache(ttl=60, wait_seconds=2, clock=clock, fallback=lambda key: {"v": "old"})
    cache.get("p", Loader(failure("rate_limited", retry_after=30)))
    value, error = cache.get("p", Loader({"v": "new"}))
    assert value == {"v": "old", "stale": True} and error.code == "rate_limited"


def test_start_loads_in_the_background_and_a_later_get_joins_it():
    cache = ProviderCache(ttl=60, wait_seconds=2)
    slow = Blocking()
    started = time.monotonic()
    cache.start("p", slow)
    assert time.monotonic() - started < 0.1  # never waits
    cache.start("p", slow)  # already loading: no second call
    slow.release.set()
    assert cache.get("p", slow) == ({"v": 1}, None)
    cache.start("p", slow)  # fresh: nothing to do
    assert slow.calls == 1


def test_a_forced_refresh_may_probe_a_paused_provider_but_never_one_that_asked_to_wait(cache, clock):
    loader = Loader(*([failure()] * BREAKER_FAILURES), {"v": "back"})
    for _ in range(BREAKER_FAILURES):
        cache.get("p", loader)
    assert cache.get("p", loader)[1].retry_after_seconds == 2  # paused
    assert cache.get("p", loader, refresh=True) == ({"v": "back"}, None)  # Retry: one probe, and it is back
    limited = Loader(failure("rate_limited", retry_after=30), {"v": "never"})
    cache.get("q", limited)
    assert cache.get("q", limited, refresh=True)[1].code == "rate_limited" and limited.calls == 1


def test_a_stored_value_is_encoded_once_and_a_new_one_again(cache, clock):
    encodings = []

    def encode(value):
        encodings.append(value)
        return repr(value).encode()

    loader = Loader({"v": 1}, {"v": 2})
    first, _ = cache.get("p", loader)
    assert cache.encoded("p", first, encode) == cache.encoded("p", first, encode) == b"{'v': 1}"
    assert len(encodings) == 1
    clock.now += 61
    second, _ = cache.get("p", loader)
    assert cache.encoded("p", second, encode) == b"{'v': 2}" and len(encodings) == 2


def test_a_value_that_is_not_the_stored_one_is_encoded_every_time(cache, clock):
    encodings = []
    cache.get("p", Loader({"v": 1}))
    copy = {"v": 1, "stale": True}  # e.g. a stale copy: never remembered in place of the stored value
    for _ in range(2):
        assert cache.encoded("p", copy, lambda value: encodings.append(value) or b"x") == b"x"
    assert len(encodings) == 2
