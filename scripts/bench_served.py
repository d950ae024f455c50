"""make bench-served: the public pages' latency as a client sees it, through gunicorn.

    DATABASE_URL=postgres://... .venv/bin/python scripts/bench_served.py [--rounds N] [--think MS]

Starts gunicorn on config.wsgi (DEBUG off, one sync worker, as `make serve` runs each of its
workers) on a free loopback port, against the library DATABASE_URL holds, and requests every
public page of `make bench-pages` (scripts/bench_pages.py) in rounds, one request at a time with
a pause of --think milliseconds after each (a server busy but not saturated: with no pause, work
a worker does after a response delays the next request instead). It prints, over all requests
and per page, p50, p95, p99 and the longest time from sending a request to reading its last
byte. What `make bench-pages` cannot see in-process shows here: the server, the connection,
and work a served process does after a response has gone out. Not a test: it times.
"""

import argparse
import http.client
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def served(port):
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "bench-served-only-not-a-secret-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto",
        "REQUEST_LOG": "false",
        "API_THROTTLE_ANON": "1000000/minute",
    }
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--no-control-socket",
        ],
        cwd=ROOT,
        env=env,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(300):
        try:
            if get(port, "/healthz")[0] == 200:
                return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("gunicorn did not answer /healthz within 30 s")


def get(port, path):
    """(status, milliseconds from sending the request to reading the body's last byte)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    started = time.perf_counter()
    connection.request("GET", path, headers={"X-Forwarded-Proto": "https"})
    response = connection.getresponse()
    response.read()
    took = (time.perf_counter() - started) * 1000
    connection.close()
    return response.status, took


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20, help="Requests per page (20).")
    parser.add_argument("--think", type=float, default=50, help="Pause after each, ms (50).")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "scripts"))
    import bench_pages  # sets Django up, to find the library's pages

    pages = bench_pages.pages()
    port = free_port()
    server = served(port)
    times = {label: [] for label, _ in pages}
    try:
        for _label, url in pages:  # warm-up
            get(port, url)
        for _ in range(args.rounds):
            for label, url in pages:
                status, took = get(port, url)
                if status != 200:
                    raise SystemExit(f"{url}: {status}")
                times[label].append(took)
                time.sleep(args.think / 1000)
    finally:
        server.terminate()
        server.wait()
    every = [t for values in times.values() for t in values]
    print(f"{len(every)} requests, {args.rounds} a page, {args.think:g} ms between them\n")
    print("| page | p50 ms | p95 ms | p99 ms | max ms |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for label, values in [("every page", every), *times.items()]:
        print(
            f"| {label} | {statistics.median(values):.1f} | {percentile(values, 0.95):.1f} | "
            f"{percentile(values, 0.99):.1f} | {max(values):.1f} |"
        )


if __name__ == "__main__":
    main()
