"""The served application (config/wsgi.py) freezes what its process loaded at startup, so that
the collector's full passes under load walk only what requests made (config/memory.py)."""

import subprocess
import sys
from pathlib import Path

PROBE = """
import gc, sys
import config.wsgi
frozen = gc.get_freeze_count()
print(frozen, len(gc.get_objects()), "claims.views" in sys.modules)
"""


def test_the_served_application_freezes_its_startup_objects_with_the_views_loaded():
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=Path(__file__).resolve().parent.parent,
        capture_output=True,
        text=True,
        timeout=120,
        env={"DEBUG": "true", "PATH": "/usr/bin:/bin", "REQUEST_LOG": "false"},
    )
    assert done.returncode == 0, done.stderr
    frozen, tracked, views_loaded = done.stdout.split()
    assert int(frozen) > 50_000  # Django, the apps and the views: about 140,000 objects
    assert int(tracked) < int(frozen) / 10  # what the collector still walks
    assert views_loaded == "True"
