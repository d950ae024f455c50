"""A local stand-in for NCBI E-utilities, the PMC ID converter and Crossref: a real HTTP server
(http.server, in a thread, on 127.0.0.1 and a free port) serving the recorded answers of
samples/lookup/, so that the product's own client (timeouts, retries, the rate limiter) runs
against it. The tests never call the outside web: tests/conftest.py points the services at a
closed port for every other test.

    def test_…(lookup_stub):
        lookup_stub.fail("/eutils/efetch.fcgi", Reply(503))   # the next answer of that path
        …
        lookup_stub.requests   # every request: (path, query, headers)
"""

import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

SAMPLES = Path(__file__).parent / "samples" / "lookup"
_ARTICLE = re.compile(r"<PubmedArticle>.*?</PubmedArticle>\s*", re.S)
_PMID = re.compile(r'<PMID Version="1">(\d+)</PMID>')
_EMPTY_SET = (
    '<?xml version="1.0" ?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, '
    '1st January 2025//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n'
    "<PubmedArticleSet></PubmedArticleSet>\n"
)


def sample(name):
    return (SAMPLES / name).read_text()


@dataclass
class Reply:
    status: int = 200
    body: str = ""
    headers: dict = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering (a timeout)
    content_type: str = "application/json"


class Recorded:
    """What the services answer, from the recordings: efetch gives the recorded articles of the
        PMIDs asked; esearch the PMID of the recorded DOI; the converter the recorded PMCID; Crossref
        its recorded work (by DOI, or a list by filter=doi:…), with the retraction a test records
    (retract). Tests may add articles and works."""

    def __init__(self):
        efetch = sample("efetch_pubmed.xml")
        self.articles = {_PMID.search(a).group(1): a for a in _ARTICLE.findall(efetch)}
        self.efetch_head = efetch[: efetch.index("<PubmedArticle>")]
        self.works = {"10.5555/synthetic.lookup.crossref": sample("crossref_work.json")}
        self.updated_by = {}  # DOI -> the "updated-by" Crossref now lists for its work

    def retract(self, doi):
        """Crossref now says a retraction updated this work (the recorded "updated-by": a
        retraction Retraction Watch recorded, and a correction)."""
        self.updated_by[doi] = json.loads(sample("crossref_retracted_work.json"))["updated-by"]

    def work(self, doi):
        """A recorded work's message, with its "updated-by" when it was retracted."""
        message = json.loads(self.works[doi])["message"]
        if doi in self.updated_by:
            message["updated-by"] = self.updated_by[doi]
        return message

    def answer(self, path, query):
        one = {name: values[0] for name, values in query.items()}
        if path == "/eutils/efetch.fcgi":
            wanted = one.get("id", "").split(",")
            found = "".join(self.articles[p] for p in wanted if p in self.articles)
            if not found:
                return Reply(body=_EMPTY_SET, content_type="text/xml")
            return Reply(
                body=f"{self.efetch_head}{found}</PubmedArticleSet>\n", content_type="text/xml"
            )
        if path == "/eutils/esearch.fcgi":
            if "10.5555/synthetic.lookup.1" in one.get("term", ""):
                return Reply(body=sample("esearch_doi.json"))
            return Reply(body=sample("esearch_none.json"))
        if path == "/idconv/":
            recorded = json.loads(sample("idconv.json"))
            ids = one.get("ids", "").split(",")
            records = [r for r in recorded["records"] if r["pmcid"] in ids]
            records += [
                {"requested-id": i, "status": "error", "errmsg": "Identifier not found in PMC"}
                for i in ids
                if i not in {r["pmcid"] for r in records}
            ]
            return Reply(body=json.dumps({**recorded, "records": records}))
        if path.startswith("/crossref/works/"):
            doi = unquote(path[len("/crossref/works/") :]).lower()
            if doi in self.works:
                return Reply(
                    body=json.dumps({**json.loads(self.works[doi]), "message": self.work(doi)})
                )
            return Reply(404, "Resource not found.", content_type="text/plain")
        if path == "/crossref/works":
            dois = [f.split(":", 1)[1] for f in one.get("filter", "").split(",") if ":" in f]
            listing = json.loads(sample("crossref_works.json"))
            items = [self.work(doi) for doi in dois if doi in self.works]
            listing["message"]["items"] = items
            listing["message"]["total-results"] = len(items)
            return Reply(body=json.dumps(listing))
        return Reply(404, "no such path in the stub", content_type="text/plain")


class StubServer:
    def __init__(self):
        self.recorded = Recorded()
        self.requests = []  # (path, query, headers)
        self.failures = {}  # path -> [Reply …] answered before the recorded ones
        self._lock = threading.Lock()
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                parts = urlsplit(self.path)
                query = parse_qs(parts.query)
                with stub._lock:
                    stub.requests.append((parts.path, query, dict(self.headers)))
                    queued = stub.failures.get(parts.path) or []
                    reply = queued.pop(0) if queued else None
                reply = reply or stub.recorded.answer(parts.path, query)
                if reply.delay:
                    time.sleep(reply.delay)
                body = reply.body.encode()
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", reply.content_type)
                    self.send_header("Content-Length", str(len(body)))
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout)
                    pass

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def fail(self, path, *replies):
        """The next answers of a path, before the recorded one."""
        with self._lock:
            self.failures.setdefault(path, []).extend(replies)

    def paths(self):
        return [path for path, _, _ in self.requests]

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
