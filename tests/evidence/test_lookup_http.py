"""The look-ups' one HTTP client (evidence.lookup.http), against the local stub: retries with
backoff on 429 and 5xx (Retry-After honoured), timeouts, the User-Agent and contact both
services ask for, and NCBI's rate limit, checked with an injected clock."""

import pytest

from evidence.lookup import http
from evidence.lookup.http import Client, FetchError, RateLimiter
from tests.evidence.lookup_stub import Reply

EFETCH = "/eutils/efetch.fcgi"


def efetch(stub, client, pmid="99999301"):
    return client.get(f"{stub.url}{EFETCH}", http.ncbi_params(db="pubmed", id=pmid))


def test_a_503_then_a_200_is_tried_again_after_a_backoff_and_answers(lookup_stub, waits):
    lookup_stub.fail(EFETCH, Reply(503, "busy"))
    answer = efetch(lookup_stub, Client())
    assert answer.status == 200
    assert "99999301" in answer.text()
    assert lookup_stub.paths() == [EFETCH, EFETCH]
    assert waits == [http.BACKOFF_SECONDS]


def test_the_backoff_doubles_and_a_retry_after_is_honoured(lookup_stub, waits):
    lookup_stub.fail(EFETCH, Reply(500), Reply(429, headers={"Retry-After": "7"}), Reply(502))
    answer = efetch(lookup_stub, Client(retries=3))
    assert answer.status == 200
    assert waits == [1.0, 7.0, 4.0]  # 1 s, then Retry-After, then 4 s


def test_it_gives_up_after_its_retries_saying_why(lookup_stub, waits):
    lookup_stub.fail(EFETCH, *[Reply(503)] * 3)
    with pytest.raises(FetchError, match=r"127\.0\.0\.1 did not answer after 3 tries \(HTTP 503\)"):
        efetch(lookup_stub, Client(retries=2))
    assert len(lookup_stub.requests) == 3


def test_a_read_timeout_is_tried_again_and_then_given_up(lookup_stub, waits):
    lookup_stub.fail(EFETCH, Reply(delay=1.5), Reply(delay=1.5))
    with pytest.raises(FetchError, match="did not answer after 2 tries.*ReadTimeoutError"):
        efetch(lookup_stub, Client(retries=1, timeout=0.3))


def test_a_timeout_then_an_answer_answers(lookup_stub, waits):
    lookup_stub.fail(EFETCH, Reply(delay=1.5))
    assert efetch(lookup_stub, Client(retries=1, timeout=0.3)).status == 200


def test_a_refused_connection_is_an_error_naming_it(settings, waits):
    with pytest.raises(FetchError, match="did not answer after 2 tries"):
        Client(retries=1).get("http://127.0.0.1:9/eutils/efetch.fcgi")
    assert waits == [1.0]


def test_a_404_is_an_answer_the_caller_reads(lookup_stub):
    assert Client().get(f"{lookup_stub.url}/crossref/works/10.5555%2Fnone").status == 404


def test_another_client_error_is_not_tried_again(lookup_stub, waits):
    lookup_stub.fail(EFETCH, Reply(400, "bad request"))
    with pytest.raises(FetchError, match="answered HTTP 400"):
        efetch(lookup_stub, Client())
    assert waits == []


def test_every_request_names_the_product_and_its_contact(lookup_stub, settings):
    settings.NCBI_API_KEY = "synthetic-key"
    efetch(lookup_stub, Client())
    _, query, headers = lookup_stub.requests[0]
    assert (
        headers["User-Agent"]
        == "EvidenceTracker/1.0 (evidence-tracker; mailto:lookup-tests@example.org)"
    )
    assert (query["tool"], query["email"], query["api_key"]) == (
        ["evidence-tracker"],
        ["lookup-tests@example.org"],
        ["synthetic-key"],
    )
    assert http.crossref_params() == {"mailto": "lookup-tests@example.org"}


def test_without_a_contact_none_is_sent(settings):
    settings.LOOKUP_MAILTO = ""
    assert http.user_agent() == "EvidenceTracker/1.0 (evidence-tracker)"
    assert "email" not in http.ncbi_params()
    assert http.crossref_params() == {}


class FakeClock:
    def __init__(self):
        self.now = 100.0
        self.slept = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.slept.append(round(seconds, 6))
        self.now += seconds


def test_the_rate_limiter_spaces_requests_a_third_of_a_second_apart_at_ncbis_rate():
    clock = FakeClock()
    limiter = RateLimiter(3, clock=clock, sleep=clock.sleep)
    at = []
    for _ in range(4):
        limiter.wait()
        at.append(round(clock.now - 100.0, 6))
    assert at == [0.0, 0.333333, 0.666667, 1.0]


def test_the_rate_limiter_does_not_wait_when_requests_are_already_far_apart():
    clock = FakeClock()
    limiter = RateLimiter(10, clock=clock, sleep=clock.sleep)
    limiter.wait()
    clock.now += 0.5
    limiter.wait()
    clock.now += 0.05
    limiter.wait()
    assert clock.slept == [0.05]


def test_ncbis_rate_is_ten_a_second_with_an_api_key(settings):
    settings.NCBI_API_KEY = ""
    assert http.ncbi_client().limiter.interval == pytest.approx(1 / 3)
    settings.NCBI_API_KEY = "synthetic-key"
    assert http.ncbi_client().limiter.interval == pytest.approx(1 / 10)


def test_retries_wait_their_turn_at_the_rate_limiter_too(lookup_stub):
    clock = FakeClock()
    limiter = RateLimiter(3, clock=clock, sleep=clock.sleep)
    lookup_stub.fail(EFETCH, Reply(503))
    efetch(lookup_stub, Client(limiter=limiter, sleep=clock.sleep))
    # the backoff (1 s) already spaced the retry past a third of a second: no wait of its own
    assert clock.slept == [1.0]
    efetch(lookup_stub, Client(limiter=limiter, sleep=clock.sleep))
    assert clock.slept == [1.0, 0.333333]
