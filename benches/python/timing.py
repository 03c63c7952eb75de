"""What the scripts in this folder share: medians of timed batches, --quick, and the results.

Every script prints its progress on stderr and, last on stdout, one JSON object mapping each
benchmark id (criterion's, such as "countdown/one_thread") to a median time in seconds: the
line `cargo run --release -p benches --bin report` reads. With --quick, every figure is one
batch, for a smoke test.
"""

import json
import statistics
import sys
import threading
import time

QUICK = "--quick" in sys.argv[1:]


def median_seconds(run, batches, ops=1):
    """The median over `batches` calls of run() (one with --quick) of its time / ops."""
    times = []
    for _ in range(1 if QUICK else batches):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) / ops)
    return statistics.median(times)


def measure(results, name, run, batches, ops=1):
    """Stores median_seconds(run, batches, ops) in results[name] and shows it on stderr."""
    seconds = median_seconds(run, batches, ops)
    results[name] = seconds
    if seconds >= 0.1:
        shown = f"{seconds:.3f} s"
    elif seconds >= 1e-3:
        shown = f"{seconds * 1e3:.2f} ms"
    else:
        shown = f"{seconds * 1e6:.1f} µs"
    print(f"{name}: {shown}", file=sys.stderr)


def in_two_threads(function, n):
    """function(n) on two threads at once; returns when both have finished."""
    threads = [threading.Thread(target=function, args=(n,)) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def print_results(results):
    print(json.dumps(results))
