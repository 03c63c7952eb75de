"""CPython's figures for what `pool.rs` measures, on the same machine.

Run: python3 benches/python/pool.py [--quick]

- pool_map: Pool(2).map(f, range(10_000)) with the default chunksize and with chunksize=1.
- manager_dict_set_get: d[1] = 1; d[1] on a Manager().dict() proxy, from the parent.

Each figure is the median of several batches, as criterion reports a median; see timing.py
for the output.
"""

import multiprocessing as mp

from timing import measure, print_results


def add_one(x):
    return x + 1


if __name__ == "__main__":
    results = {}
    with mp.get_context("fork").Pool(2) as pool:
        items = range(10_000)
        pool.map(add_one, items)  # warm up
        measure(results, "pool_map/default_chunks", lambda: pool.map(add_one, items), 20)
        measure(
            results,
            "pool_map/chunk_size_1",
            lambda: pool.map(add_one, items, chunksize=1),
            7,
        )

    with mp.Manager() as manager:
        d = manager.dict()
        ops = 2_000

        def set_get():
            for _ in range(ops):
                d[1] = 1
                d[1]

        set_get()  # warm up
        measure(results, "manager_dict_set_get", set_get, 7, ops)
    print_results(results)
