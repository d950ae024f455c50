"""config.pipeline: a plan in a thread of its own, its jobs run in order on the caller's thread."""

import sys
import threading

import pytest

from config.pipeline import SWITCH_INTERVAL, Pipeline


def test_jobs_run_on_the_callers_thread_in_the_order_submitted_and_their_results_reach_the_plan():
    ran, seen = [], []

    def job(n):
        ran.append((n, threading.current_thread()))
        return n * 10

    def plan(pipeline):
        first = pipeline.submit(lambda: job(1))
        second = pipeline.submit(lambda: job(2))
        seen.append(threading.current_thread())
        seen.append((pipeline.wait(second), pipeline.wait(first)))
        pipeline.submit(lambda: job(3))

    Pipeline(plan).run()
    caller = threading.current_thread()
    assert ran == [(1, caller), (2, caller), (3, caller)]
    assert seen[0] is not caller
    assert seen[1] == (20, 10)


def test_a_job_that_fails_raises_its_error_and_ends_the_plans_thread():
    threads = threading.active_count()

    def plan(pipeline):
        while True:  # would run forever if the failure did not stop it
            pipeline.wait(pipeline.submit(lambda: 1 / 0))

    with pytest.raises(ZeroDivisionError):
        Pipeline(plan).run()
    assert threading.active_count() == threads


def test_a_plan_that_fails_raises_its_error_after_the_jobs_it_submitted():
    ran = []

    def plan(pipeline):
        pipeline.submit(lambda: ran.append("before"))
        raise ValueError("synthetic failure of a plan")

    with pytest.raises(ValueError, match="synthetic failure of a plan"):
        Pipeline(plan).run()
    assert ran == ["before"]


def test_unthreaded_it_runs_each_job_as_it_is_submitted():
    ran = []

    def plan(pipeline):
        future = pipeline.submit(lambda: ran.append(threading.current_thread()) or "done")
        ran.append(pipeline.wait(future))

    Pipeline(plan, threaded=False).run()
    assert ran == [threading.current_thread(), "done"]


def test_it_shortens_the_interpreters_time_slice_while_it_runs_and_restores_it():
    before = sys.getswitchinterval()
    during = []
    Pipeline(lambda pipeline: pipeline.submit(lambda: during.append(sys.getswitchinterval()))).run()
    assert during == [pytest.approx(min(before, SWITCH_INTERVAL))]
    assert sys.getswitchinterval() == before
