"""Work split between a planning thread and this one, so that Python runs while the database
works: the plan (pure Python, no database) runs in a thread of its own and submits jobs (the
queries), which run here, in the order submitted, on this thread's connection and in its
transaction. A job's result comes back to the plan as a Future.

Used by the import (evidence.services.studies_import): while PostgreSQL stores a batch, the
next one is classified. Python still runs one thread at a time, but a thread waiting for the
database lets the other run.
"""

import queue
import sys
import threading
from concurrent.futures import Future

# Jobs submitted and not yet run, at most: the plan waits for room beyond it (memory stays flat).
DEPTH = 4
_POLL = 0.1  # seconds between looks at the stop flag while a thread waits
_DONE = object()
# The interpreter's time slice while a pipeline runs (seconds; Python's default is 0.005). The
# thread running the jobs wakes from each wait for the database wanting the interpreter back,
# and waits for the thread holding it to finish its slice: with 5 ms slices that was 3 s of a
# 100,000-record import that took 18 (docs/benchmarks.md, issue 10). The slice is the whole
# process's: a web worker's other threads, if it has any, get it too while an import runs.
SWITCH_INTERVAL = 0.0005


class Stopped(Exception):
    """Raised in the plan once run() is ending (a job or the plan failed, or the caller was
    interrupted): the plan ends quietly."""


class Pipeline:
    """`plan(pipeline)` runs in a thread and calls pipeline.submit(job) and pipeline.wait(future);
    run() runs the jobs on the thread that called it until the plan returns, and raises what a
    job or the plan raised, after the plan's thread has ended. `threaded=False` runs the plan on
    the calling thread too, and each job as it is submitted: where a thread would buy nothing
    (one batch; a database in this process)."""

    def __init__(self, plan, *, threaded=True, name="pipeline: planning"):
        self.plan = plan
        self.threaded = threaded
        self.name = name
        self.jobs = queue.Queue(maxsize=DEPTH)
        self.stopped = threading.Event()

    def submit(self, job):
        """Run job() on the thread that called run(), after those submitted before it: its
        Future."""
        future = Future()
        if not self.threaded:
            _run(job, future)
            future.result()  # raises what the job raised, here
            return future
        self._put((job, future))
        return future

    def wait(self, future):
        """The result of a submitted job, once it has run; Stopped if the pipeline stopped."""
        while True:
            try:
                return future.result(timeout=_POLL)
            except TimeoutError:
                if self.stopped.is_set():
                    raise Stopped from None

    def run(self):
        if not self.threaded:
            self.plan(self)
            return
        thread = threading.Thread(target=self._plan, name=self.name, daemon=True)
        thread.start()
        interval = sys.getswitchinterval()
        sys.setswitchinterval(min(interval, SWITCH_INTERVAL))
        try:
            while (item := self.jobs.get()) is not _DONE:
                if isinstance(item, BaseException):
                    raise item
                job, future = item
                _run(job, future)
                future.result()  # a job that failed stops the pipeline with its error
        finally:
            self.stopped.set()
            thread.join()
            # Back as it was, unless another pipeline changed it since. Two at once in a process
            # end with it as it was, but the second runs on with the first's restored slice.
            if sys.getswitchinterval() == min(interval, SWITCH_INTERVAL):
                sys.setswitchinterval(interval)

    def _plan(self):
        try:
            self.plan(self)
            self._put(_DONE)
        except Stopped:
            pass
        except BaseException as error:  # noqa: B036  (given to run(), which raises it)
            try:
                self._put(error)
            except Stopped:
                pass

    def _put(self, item):
        while True:
            if self.stopped.is_set():
                raise Stopped
            try:
                return self.jobs.put(item, timeout=_POLL)
            except queue.Full:
                continue


def _run(job, future):
    try:
        result = job()
    except BaseException as error:  # noqa: B036  (the Future carries it)
        future.set_exception(error)
    else:
        future.set_result(result)
