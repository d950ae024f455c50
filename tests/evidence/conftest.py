import pytest

from evidence.lookup import http
from tests.evidence.lookup_stub import StubServer


@pytest.fixture
def waits(monkeypatch):
    """The client's waits (backoff, the rate limiter), recorded instead of slept."""
    slept = []
    monkeypatch.setattr(http, "_sleep", slept.append)
    return slept


@pytest.fixture
def lookup_stub(settings, waits):
    """NCBI and Crossref as a local HTTP server serving recorded answers (lookup_stub.py)."""
    with StubServer() as stub:
        settings.LOOKUP_ENABLED = True
        settings.NCBI_EUTILS_URL = f"{stub.url}/eutils/"
        settings.NCBI_IDCONV_URL = f"{stub.url}/idconv/"
        settings.CROSSREF_API_URL = f"{stub.url}/crossref/"
        settings.LOOKUP_MAILTO = "lookup-tests@example.org"
        settings.NCBI_API_KEY = ""
        settings.LOOKUP_RETRIES = 2
        settings.LOOKUP_TIMEOUT_SECONDS = 5
        yield stub
