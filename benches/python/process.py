"""CPython's figures for the three things `process.rs` measures, on the same machine.

Run: python3 benches/python/process.py [--quick]

- spawn_join: Process(target=noop).start() then join(), with the fork and the spawn start
  methods (and forkserver, the default from Python 3.14 on Linux).
- queue_small_messages: a child puts ints on a multiprocessing.Queue; the parent gets them.
- pipe_round_trip: the parent sends an int through a Pipe and a child echoes it back.

Each figure is the median of seven batches, as criterion reports a median; see timing.py for
the output (--quick also makes each batch ten times smaller).
"""

import multiprocessing as mp
import sys

from timing import QUICK, median_seconds, print_results

BATCHES = 7


def noop():
    pass


def producer(requests, queue):
    while True:
        count = requests.get()
        if count is None:
            return
        for message in range(count):
            queue.put(message)


def echo(conn):
    # A forked child inherits the parent's end too, so it would never see EOF: stop on None.
    while (number := conn.recv()) is not None:
        conn.send(number)


def median_seconds_per_op(batch, ops):
    """Median over BATCHES of (time for one batch of `ops` operations) / ops."""
    return median_seconds(lambda: batch(ops), BATCHES, ops)


def spawn_join(method, ops):
    context = mp.get_context(method)

    def batch(n):
        for _ in range(n):
            process = context.Process(target=noop)
            process.start()
            process.join()

    return median_seconds_per_op(batch, ops)


def queue_small_messages(ops):
    context = mp.get_context("fork")
    requests, queue = context.Queue(), context.Queue()
    child = context.Process(target=producer, args=(requests, queue))
    child.start()

    def batch(n):
        requests.put(n)
        for _ in range(n):
            queue.get()

    result = median_seconds_per_op(batch, ops)
    requests.put(None)
    child.join()
    return result


def pipe_round_trip(ops):
    context = mp.get_context("fork")
    parent, child_end = context.Pipe()
    child = context.Process(target=echo, args=(child_end,))
    child.start()
    child_end.close()

    def batch(n):
        for number in range(n):
            parent.send(number)
            assert parent.recv() == number

    result = median_seconds_per_op(batch, ops)
    parent.send(None)
    child.join()
    return result


if __name__ == "__main__":
    scale = 10 if QUICK else 1
    results = {}
    for method, ops in (("fork", 200), ("forkserver", 100), ("spawn", 20)):
        seconds = spawn_join(method, max(ops // scale, 2))
        results[f"spawn_join/{method}"] = seconds
        print(f"spawn_join ({method}): {seconds * 1e3:.2f} ms", file=sys.stderr)
    per_message = queue_small_messages(50_000 // scale)
    results["queue_small_messages/recv"] = per_message
    print(
        f"queue_small_messages: {per_message * 1e6:.2f} µs per message"
        f" ({1 / per_message / 1e3:.0f}k messages/s)",
        file=sys.stderr,
    )
    results["pipe_round_trip"] = pipe_round_trip(20_000 // scale)
    print(f"pipe_round_trip: {results['pipe_round_trip'] * 1e6:.2f} µs", file=sys.stderr)
    print_results(results)
