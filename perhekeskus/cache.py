"""A Redis cache that degrades to "no caching" instead of failing the request when Redis is down.

Every operation that cannot reach Redis logs a warning (at most once a minute) and answers as an empty cache would:
``get`` returns the default, ``set``/``touch``/``delete`` report nothing stored, ``incr`` says the key is missing.
``add`` is the exception: it reports success (nothing is stored), because callers use it as a lock — allauth's rate
limiter takes ``add(lock_key)`` returning False as "busy" and answers 429 after a second, so an honest False would
lock everybody out of login and password reset for as long as Redis is down.

After a failure Redis is left alone for a few seconds, so a hung server costs one socket timeout, not one per cache
call. Settings switch to this backend when CACHE_URL is a redis:// address.

While Redis is down, everything counted in the cache is forgotten: allauth's rate limits (login attempts, password
reset mails) fail open until it is back.
"""

import functools
import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

REDIS_ERRORS = (RedisConnectionError, RedisTimeoutError, OSError)
# After a failure, calls skip Redis for this long (seconds).
RETRY_AFTER_FAILURE_SECONDS = 5
# At most one warning per this many seconds (per process).
WARNING_INTERVAL_SECONDS = 60


class _Outage:
    """Per-process memory of the last failure, shared by the threads of a process."""

    def __init__(self):
        self.lock = threading.Lock()
        self.down_until = 0.0
        self.last_warning = 0.0
        self.suppressed = 0

    def is_down(self) -> bool:
        return time.monotonic() < self.down_until

    def failed(self, operation: str, error: Exception):
        now = time.monotonic()
        with self.lock:
            self.down_until = now + RETRY_AFTER_FAILURE_SECONDS
            if now - self.last_warning < WARNING_INTERVAL_SECONDS and self.last_warning:
                self.suppressed += 1
                return
            suppressed, self.suppressed, self.last_warning = self.suppressed, 0, now
        logger.warning(
            "Cache unavailable, running without it (%s: %r; %d similar warnings suppressed)",
            operation,
            error,
            suppressed,
        )


def _degrading(fallback):
    """Wrap a cache method: on a Redis connection error (or during the pause after one) return *fallback(args)*."""

    def decorator(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            if self._outage.is_down():
                return fallback(*args, **kwargs)
            try:
                return method(self, *args, **kwargs)
            except REDIS_ERRORS as error:
                self._outage.failed(method.__name__, error)
                return fallback(*args, **kwargs)

        return wrapper

    return decorator


def _missing_key(key, *args, **kwargs):
    raise ValueError(f"Key '{key}' not found (cache unavailable)")


# Django makes one cache object per thread: the outage memory is per process and server, shared by those objects.
_OUTAGES: dict[str, _Outage] = {}
_OUTAGES_LOCK = threading.Lock()


def _outage_for(server) -> _Outage:
    with _OUTAGES_LOCK:
        return _OUTAGES.setdefault(str(server), _Outage())


class DegradingRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._outage = _outage_for(server)

    @_degrading(lambda *args, **kwargs: True)
    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return super().add(key, value, timeout, version)

    @_degrading(lambda key, default=None, version=None: default)
    def get(self, key, default=None, version=None):
        return super().get(key, default, version)

    @_degrading(lambda *args, **kwargs: None)
    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return super().set(key, value, timeout, version)

    @_degrading(lambda *args, **kwargs: False)
    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return super().touch(key, timeout, version)

    @_degrading(lambda *args, **kwargs: False)
    def delete(self, key, version=None):
        return super().delete(key, version)

    @_degrading(lambda *args, **kwargs: {})
    def get_many(self, keys, version=None):
        return super().get_many(keys, version)

    @_degrading(lambda *args, **kwargs: False)
    def has_key(self, key, version=None):
        return super().has_key(key, version)

    @_degrading(_missing_key)
    def incr(self, key, delta=1, version=None):
        return super().incr(key, delta, version)

    @_degrading(lambda data, *args, **kwargs: list(data))
    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return super().set_many(data, timeout, version)

    @_degrading(lambda *args, **kwargs: None)
    def delete_many(self, keys, version=None):
        return super().delete_many(keys, version)

    @_degrading(lambda *args, **kwargs: False)
    def clear(self):
        return super().clear()
