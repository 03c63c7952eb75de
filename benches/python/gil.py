"""CPython's GIL on the tutorial's decrement, on the same machine: the row that `gil.rs`, the
simulated GIL in Rust, is compared with.

Run: python3 benches/python/gil.py [--quick]

The tutorial's GIL例子 (000): decrement(100000000) on one thread, against two threads of
decrement(50000000). Only the thread holding the GIL runs bytecode; a waiting thread asks the
holder to let go after the switch interval (sys.getswitchinterval(), 5 ms by default).
- gil/one_thread: decrement(COUNT) on the main thread.
- gil/two_threads: two threading.Thread of decrement(COUNT // 2), started then joined.

Each figure is the median of three batches; see timing.py for the output.
"""

from timing import in_two_threads, measure, print_results

COUNT = 100_000_000


def decrement(n):
    while n > 0:
        n -= 1


if __name__ == "__main__":
    results = {}
    measure(results, "gil/one_thread", lambda: decrement(COUNT), 3)
    measure(results, "gil/two_threads", lambda: in_two_threads(decrement, COUNT // 2), 3)
    print_results(results)
