"""CPython's figures for what `countdown.rs` measures, on the same machine.

Run: python3 benches/python/countdown.py [--quick]

The tutorial's countdown (002, single_threaded.py / multi_threaded.py and the Pool version):
- countdown/one_thread: countdown(COUNT) on the main thread.
- countdown/two_threads: two threading.Thread, COUNT // 2 each, started then joined.
- countdown/two_processes: apply_async(countdown, [COUNT // 2]) twice on a Pool(2) created
  before the clock starts, then get() both.

Each figure is the median of five batches; see timing.py for the output.
"""

import multiprocessing as mp

from timing import in_two_threads, measure, print_results

COUNT = 50_000_000


def countdown(n):
    while n > 0:
        n -= 1


if __name__ == "__main__":
    results = {}
    measure(results, "countdown/one_thread", lambda: countdown(COUNT), 5)
    measure(results, "countdown/two_threads", lambda: in_two_threads(countdown, COUNT // 2), 5)
    with mp.Pool(processes=2) as pool:

        def two_processes():
            first = pool.apply_async(countdown, [COUNT // 2])
            second = pool.apply_async(countdown, [COUNT // 2])
            first.get()
            second.get()

        measure(results, "countdown/two_processes", two_processes, 5)
    print_results(results)
