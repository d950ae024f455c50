"""A served process runs the collector's full pass after a response has gone out, not within
the request that happens to cross its threshold (config/memory.py). Each test runs in a process
of its own: the collector's settings are the whole process's."""

import json
import subprocess
import sys
from pathlib import Path

# Set up as config/wsgi.py does, then allocate as a request would (objects kept alive, so that
# the collector's younger generations run again and again) and note each collection's
# generation, before the response and after request_finished, which the server sends once the
# response's last byte is out.
PROBE = """
import gc, json, sys
import config.wsgi
from django.core.signals import request_finished

passes = []
gc.callbacks.append(lambda phase, info: phase == "start" and passes.append(info["generation"]))
kept = [[n] for n in range(int(sys.argv[1]))]
during = list(passes)
passes.clear()
request_finished.send(sender=None)
print(json.dumps({"during": during, "after": passes, "count": gc.get_count()}))
"""


def probe(allocations):
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(allocations)],
        cwd=Path(__file__).resolve().parent.parent,
        capture_output=True,
        text=True,
        timeout=120,
        env={"DEBUG": "true", "PATH": "/usr/bin:/bin", "REQUEST_LOG": "false"},
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_a_request_that_would_have_paid_a_full_pass_leaves_it_until_its_response_is_out():
    # 100,000 objects: about 140 collections of the youngest generation, 14 of the middle one,
    # enough for the collector's default threshold (10) to have started a full pass.
    seen = probe(100_000)
    assert seen["during"].count(1) > 10
    assert 2 not in seen["during"]
    assert seen["after"] == [2]
    assert seen["count"][2] == 0


def test_a_response_after_a_light_request_runs_no_full_pass():
    seen = probe(1_000)
    assert seen["after"] == []


def test_one_long_request_still_gets_a_full_pass_past_the_backstop():
    # 1,500,000 objects: about 200 collections of the middle generation, past the backstop
    # (100) that keeps a long export from holding its garbage to the end.
    seen = probe(1_500_000)
    assert 2 in seen["during"]
