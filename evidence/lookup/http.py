"""The one HTTP client of the look-ups (NCBI E-utilities, the PMC ID converter, Crossref):
urllib3 with a connect and a read timeout, a few tries with exponential backoff on 429, 5xx, a
connection error or a timeout (Retry-After honoured), a rate limiter per service, and the
User-Agent both services ask for. Nothing here knows what the answers mean (evidence.lookup.
sources does).

Every request waits its turn at its service's RateLimiter, first tries and retries alike: NCBI
allows 3 requests a second from an address, 10 with an API key (NCBI_API_KEY, sent as
api_key). The limiter is one per process: the web server's workers and the task worker each
keep their own, so a site with several of them looking up at once should set an API key.
"""

import email.utils
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlencode

import urllib3
from django.conf import settings

PRODUCT = "EvidenceTracker/1.0"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
BACKOFF_SECONDS = 1.0  # the first wait before a retry; then 2, 4 …
BACKOFF_MAX_SECONDS = 60.0  # no wait longer, whatever Retry-After asks
NCBI_RATE = 3  # requests a second without an API key
NCBI_RATE_WITH_KEY = 10
CROSSREF_RATE = 5  # Crossref's public pool (its polite pool, with mailto, allows more)


def _sleep(seconds):
    time.sleep(seconds)


class FetchError(Exception):
    """A service did not answer (after every try), or answered what is not an answer."""


class RateLimiter:
    """Spaces requests at least 1/per_second apart. `clock` and `sleep` are injected in tests
    (a fake clock advanced by the fake sleep), so the spacing is checked without waiting."""

    def __init__(self, per_second, *, clock=time.monotonic, sleep=None):
        self.interval = 1.0 / per_second
        self.clock = clock
        self.sleep = sleep
        self._next = None
        self._lock = threading.Lock()

    def wait(self):
        with self._lock:
            now = self.clock()
            at = now if self._next is None else max(now, self._next)
            self._next = at + self.interval
        if at > now:
            (self.sleep or _sleep)(at - now)


_limiters = {}
_limiters_lock = threading.Lock()


def limiter(name, per_second):
    """The process's limiter of a service at a rate (one per name and rate)."""
    with _limiters_lock:
        key = (name, per_second)
        if key not in _limiters:
            _limiters[key] = RateLimiter(per_second)
        return _limiters[key]


def user_agent():
    """'EvidenceTracker/1.0 (evidence-tracker; mailto:someone@example.org)', as Crossref asks."""
    contact = f"; mailto:{settings.LOOKUP_MAILTO}" if settings.LOOKUP_MAILTO else ""
    return f"{PRODUCT} (evidence-tracker{contact})"


@dataclass
class Answer:
    status: int
    data: bytes
    headers: dict

    def text(self):
        return self.data.decode("utf-8", errors="replace")


def _retry_after(value):
    """Retry-After's seconds: a number, or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


class Client:
    """GETs of one service: `Client(limiter=…).get(url, params)` returns the Answer of a 2xx or
    a 404 (the caller decides what a 404 means); FetchError once every try failed."""

    def __init__(self, *, limiter=None, retries=None, timeout=None, sleep=None, pool=None):
        self.limiter = limiter
        self.retries = settings.LOOKUP_RETRIES if retries is None else retries
        seconds = settings.LOOKUP_TIMEOUT_SECONDS if timeout is None else timeout
        self.timeout = urllib3.Timeout(connect=seconds, read=seconds)
        self.sleep = sleep
        self.pool = pool or _pool()

    def get(self, url, params=None):
        address = f"{url}?{urlencode(params, safe=',')}" if params else url
        problem = None
        for attempt in range(self.retries + 1):
            if attempt:
                (self.sleep or _sleep)(self._backoff(attempt, problem))
            if self.limiter is not None:
                self.limiter.wait()
            try:
                response = self.pool.request(
                    "GET",
                    address,
                    headers={"User-Agent": user_agent(), "Accept-Encoding": "gzip"},
                    timeout=self.timeout,
                    retries=False,
                    preload_content=True,
                )
            except urllib3.exceptions.HTTPError as error:  # timeouts, refused, reset …
                problem = _Problem(f"{type(error).__name__}: {error}", None)
                continue
            if response.status in RETRY_STATUSES:
                problem = _Problem(
                    f"HTTP {response.status}", _retry_after(response.headers.get("Retry-After"))
                )
                continue
            if response.status == 404 or 200 <= response.status < 300:
                return Answer(response.status, response.data, dict(response.headers))
            raise FetchError(f"{_host(url)} answered HTTP {response.status}")
        tries = self.retries + 1
        raise FetchError(
            f"{_host(url)} did not answer after {tries} tr{'ies' if tries > 1 else 'y'} "
            f"({problem.reason})"
        )

    @staticmethod
    def _backoff(attempt, problem):
        wait = BACKOFF_SECONDS * 2 ** (attempt - 1)
        if problem is not None and problem.retry_after is not None:
            wait = problem.retry_after
        return min(wait, BACKOFF_MAX_SECONDS)


@dataclass
class _Problem:
    reason: str
    retry_after: float | None


def _host(url):
    return urllib3.util.parse_url(url).host or url


_shared_pool = None


def _pool():
    global _shared_pool
    if _shared_pool is None:
        _shared_pool = urllib3.PoolManager(num_pools=4, maxsize=2)
    return _shared_pool


def ncbi_client(**kwargs):
    """A client of NCBI's services at NCBI's rate (10 a second with NCBI_API_KEY, else 3)."""
    rate = NCBI_RATE_WITH_KEY if settings.NCBI_API_KEY else NCBI_RATE
    return Client(limiter=limiter("ncbi", rate), **kwargs)


def ncbi_params(**params):
    """NCBI's parameters with the tool, the contact and the API key it asks for."""
    params["tool"] = "evidence-tracker"
    if settings.LOOKUP_MAILTO:
        params["email"] = settings.LOOKUP_MAILTO
    if settings.NCBI_API_KEY:
        params["api_key"] = settings.NCBI_API_KEY
    return params


def crossref_client(**kwargs):
    return Client(limiter=limiter("crossref", CROSSREF_RATE), **kwargs)


def crossref_params(**params):
    if settings.LOOKUP_MAILTO:
        params["mailto"] = settings.LOOKUP_MAILTO
    return params
