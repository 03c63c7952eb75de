"""CPython Celery's figures for what `task_queue.rs` measures, on the same machine and Redis.

Run: python3 benches/python/celery_queue.py redis://127.0.0.1:PORT [--quick]
(needs `pip install "celery[redis]"`; without it, it says so and prints no figures)

- task_queue/redis/10k: group(add_one.s(x) for x in range(10_000)).apply_async().get(), on a
  `celery worker --concurrency 2` (prefork) started by this script.
- task_queue/redis/one: add_one.delay(1).get() on the idle worker.

Redis is both broker and result backend, as apalis' one store is. Celery keeps its defaults
(each worker process prefetches 4 tasks); the Rust side fetches one at a time.
"""

import os
import subprocess
import sys
import time

from timing import measure, print_results

URL = os.environ.get("CELERY_QUEUE_URL", "")
TASKS = 10_000

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
        [sys.executable, "-m", "celery", "-A", "celery_queue", "worker", "--concurrency", "2",
         "--pool", "prefork", "--loglevel", "WARNING", "--without-gossip", "--without-mingle"],
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
    finally:
        stop(worker)
    print_results(results)
