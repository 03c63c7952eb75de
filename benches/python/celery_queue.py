"""CPython Celery's figures for what `task_queue.rs` measures, on the same machine and Redis.

Run: python3 benches/python/celery_queue.py redis://127.0.0.1:PORT [--quick]
(needs `pip install "celery[redis]"`; without it, it says so and prints no figures)

- task_queue/redis/10k: group(add_one.s(x) for x in range(10_000)).apply_async().get(), on a
  `celery worker --concurrency 2` (prefork) started by this script.
- task_queue/redis/one: add_one.delay(1).get() on the idle worker.
- task_queue/redis/idle_worker: the worker's processes' CPU time over 10 s with nothing to do,
  per pool process, as a share of a core (Linux' /proc; left out elsewhere); idle_submitter:
  this script's own, waiting.

Redis is both broker and result backend, as apalis' one store is. Celery keeps its defaults
(each worker process prefetches 4 tasks); the Rust side fetches 4 at a time too.
"""

import os
import subprocess
import sys
import time

from timing import QUICK, measure, print_results

URL = os.environ.get("CELERY_QUEUE_URL", "")
TASKS = 10_000
WORKERS = 2

try:
    from celery import Celery, group
except ImportError:
    Celery = None

if Celery is not None:
    app = Celery("celery_queue", broker=URL, backend=URL)
    app.conf.update(worker_hijack_root_logger=False, result_expires=600)

    @app.task
    def add_one(x):
        return x + 1


def start_worker():
    """`celery worker` with two processes, started from this folder; ready once it answers."""
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "celery_queue", "worker",
         "--concurrency", str(WORKERS), "--pool", "prefork", "--loglevel", "WARNING",
         "--without-gossip", "--without-mingle"],
        cwd=os.path.dirname(os.path.abspath(__file__)),
        env={**os.environ, "CELERY_QUEUE_URL": URL},
        stdout=sys.stderr,  # its banner: stdout carries only the figures
    )
    deadline = time.monotonic() + 60
    try:
        while not app.control.ping(timeout=0.5):
            if worker.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"celery worker did not start (exit status {worker.poll()})")
    except BaseException:
        stop(worker)
        raise
    return worker


def stop(worker):
    """SIGTERM: Celery's warm shutdown (the tasks in hand finish), then SIGKILL if need be."""
    worker.terminate()
    try:
        worker.wait(timeout=30)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()


def cpu_seconds(pids):
    """The CPU time the processes `pids` have used so far, all their threads together."""
    total = 0
    for pid in pids:
        for thread in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{thread}/schedstat") as stat:
                total += int(stat.read().split()[0])
    return total / 1e9


def with_children(pid):
    """`pid` and its child processes: the worker and its pool."""
    children = []
    for thread in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{thread}/children") as listed:
            children += [int(child) for child in listed.read().split()]
    return [pid] + children


def idle(results, worker, seconds):
    """The idle CPU figures, measured while nothing is queued."""
    if not os.path.exists(f"/proc/{worker.pid}/task"):
        return
    pids = with_children(worker.pid)
    before, me_before = cpu_seconds(pids), cpu_seconds([os.getpid()])
    time.sleep(seconds)
    after, me_after = cpu_seconds(pids), cpu_seconds([os.getpid()])
    results["task_queue/redis/idle_worker"] = (after - before) / seconds / WORKERS
    results["task_queue/redis/idle_submitter"] = (me_after - me_before) / seconds


def run_all(count):
    results = group(add_one.s(x) for x in range(count)).apply_async().get(timeout=600)
    assert sum(results) == count * (count + 1) // 2, "every result arrives once"


if __name__ == "__main__":
    if Celery is None:
        print('celery_queue.py: celery is not installed here (pip install "celery[redis]"); '
              'no Celery figures', file=sys.stderr)
        print_results({})
        raise SystemExit(0)
    if len(sys.argv) < 2 or not sys.argv[1].startswith("redis"):
        raise SystemExit("usage: celery_queue.py redis://HOST:PORT [--quick]")
    URL = sys.argv[1]
    app.conf.update(broker_url=URL, result_backend=URL)
    worker = start_worker()
    try:
        results = {}
        run_all(100)  # warm up: both worker processes are serving
        measure(results, "task_queue/redis/10k", lambda: run_all(TASKS), 3)
        measure(results, "task_queue/redis/one", lambda: add_one.delay(1).get(timeout=60), 30)
        idle(results, worker, 2 if QUICK else 10)
    finally:
        stop(worker)
    print_results(results)
