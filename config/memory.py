"""The garbage collector of a serving process.

A page leaves some of its model instances in reference cycles (a row and its related rows'
caches), which only the collector's full pass frees; that pass also walks every object the
process loaded at startup (Django, the apps, their modules: about 140,000), so one request in
tens paid it (median 290 ms on the loaded machine, docs/benchmarks.md). Moving what exists once
the process has started into the collector's permanent generation (`gc.freeze()`) leaves the
full pass the objects made since: median 26-92 ms, p99 of a page's CPU time 120-148 to 53-65 ms.

What is left of the full pass (21-30 ms at a million studies, about one request in 65) still
fell inside whichever request happened to cross the collector's threshold. A served process
runs it after a response is sent instead (`collect_after_responses`): the collector's own
threshold for a full pass is raised tenfold, as a backstop for one long request (an export),
and once a response has gone out the full pass runs if the usual threshold is passed. The
person who made the request no longer waits for it; a request queued behind it on the same
worker still does, as it would have waited for the request that paid it before.
"""

import gc

from django.core.signals import request_finished

# The collector's usual threshold for a full pass (CPython's default, gc.get_threshold()[2]):
# after this many collections of the middle generation, once a response has gone out.
FULL_PASS_AFTER = 10
# Within a request, a full pass only after ten times that many (a long export's backstop).
FULL_PASS_BACKSTOP = 10 * FULL_PASS_AFTER


def settle_startup_objects():
    """Load the URLconf (and so every view's module), collect, and freeze what is left: call it
    once a serving process has set Django up (config/wsgi.py), before its first request."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (importing the views is the point)
    gc.collect()
    gc.freeze()


def collect_after_responses():
    """Move the collector's full pass from within requests to after their responses: raise its
    own threshold to the backstop, and run it when due once each response has been sent (the
    WSGI server closes the response after its last byte, which sends request_finished)."""
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, FULL_PASS_BACKSTOP)
    request_finished.connect(full_pass_if_due, dispatch_uid="config.memory.full_pass_if_due")


def full_pass_if_due(**kwargs):
    """The collector's full pass, if as many collections of the middle generation have run
    since the last one as would have started it in a process left to its defaults."""
    if gc.get_count()[2] > FULL_PASS_AFTER:
        gc.collect()
