"""CPython's figures for what `pool.rs` measures, on the same machine.

Run: python3 shared/benches/pool.py

- pool_map: Pool(2).map(f, range(10_000)) with the default chunksize and with chunksize=1.
- manager_dict_set_get: d[1] = 1; d[1] on a Manager().dict() proxy, from the parent.

Each figure is the median of several batches, as criterion reports a median.
"""

import multiprocessing as mp
import statistics
import time


def add_one(x):
    return x + 1


def median_seconds(run, batches, ops=1):
    times = []
    for _ in range(batches):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) / ops)
    return statistics.median(times)


if __name__ == "__main__":
    with mp.get_context("fork").Pool(2) as pool:
        items = range(10_000)
        pool.map(add_one, items)  # warm up
        default = median_seconds(lambda: pool.map(add_one, items), 20)
        print(f"pool_map/default_chunks: {default * 1e3:.2f} ms")
        one = median_seconds(lambda: pool.map(add_one, items, chunksize=1), 7)
        print(f"pool_map/chunk_size_1: {one * 1e3:.2f} ms")

    with mp.Manager() as manager:
        d = manager.dict()
        ops = 2_000

        def set_get():
            for _ in range(ops):
                d[1] = 1
                d[1]

        set_get()  # warm up
        print(f"manager_dict_set_get: {median_seconds(set_get, 7, ops) * 1e6:.1f} µs")
