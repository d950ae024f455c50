"""The garbage collector of a serving process.

A page leaves some of its model instances in reference cycles (a row and its related rows'
caches), which only the collector's full pass frees; that pass also walks every object the
process loaded at startup (Django, the apps, their modules: about 140,000), so one request in
tens paid it (median 290 ms on the loaded machine, docs/benchmarks.md). Moving what exists once
the process has started into the collector's permanent generation (`gc.freeze()`) leaves the
full pass the objects made since: median 26-92 ms, p99 of a page's CPU time 120-148 to 53-65 ms.
"""

import gc


def settle_startup_objects():
    """Load the URLconf (and so every view's module), collect, and freeze what is left: call it
    once a serving process has set Django up (config/wsgi.py), before its first request."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (importing the views is the point)
    gc.collect()
    gc.freeze()
