"""CPython's figures for the three things `process.rs` measures, on the same machine.

Run: python3 shared/benches/process.py

- spawn_join: Process(target=noop).start() then join(), with the fork and the spawn start
  methods (and forkserver, the default from Python 3.14 on Linux).
- queue_small_messages: a child puts ints on a multiprocessing.Queue; the parent gets them.
- pipe_round_trip: the parent sends an int through a Pipe and a child echoes it back.

Each figure is the median of several batches, as criterion reports a median.
"""

import multiprocessing as mp
import statistics
import time

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
    times = []
    for _ in range(BATCHES):
        start = time.perf_counter()
        batch(ops)
        times.append((time.perf_counter() - start) / ops)
    return statistics.median(times)


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
    for method, ops in (("fork", 200), ("forkserver", 100), ("spawn", 20)):
        print(f"spawn_join ({method}): {spawn_join(method, ops) * 1e3:.2f} ms")
    per_message = queue_small_messages(50_000)
    print(
        f"queue_small_messages: {per_message * 1e6:.2f} µs per message"
        f" ({1 / per_message / 1e3:.0f}k messages/s)"
    )
    print(f"pipe_round_trip: {pipe_round_trip(20_000) * 1e6:.2f} µs")
