//! What `multiprocessing`'s `Pool` and `Manager` cost, in release:
//! `cargo bench -p shared --bench pool`.
//!
//! - `pool_map/default_chunks` and `pool_map/chunk_size_1`: `map` of 10,000 trivial tasks
//!   (`x + 1`) on a pool of 2. Python: `Pool(2).map(f, range(10_000))`, with its default
//!   chunking and with `chunksize=1`.
//! - `manager_dict_set_get`: one `set` and one `get` on a manager dict, from the parent.
//!   Python: `d[1] = 1; d[1]` on a `Manager().dict()` proxy.
//!
//! `pool.py` beside this file measures the same in CPython. Medians are in
//! `target/criterion/<name>/new/estimates.json`. As for `process.rs`, every round trip wakes
//! another process or thread, which dominates on a virtual machine; `taskset -c 0` shows the
//! mechanism's own cost.

use std::time::Duration;

use criterion::Criterion;
use multiprocessing::{Manager, Pool, Task, Workers, run_if_child};

const ADD_ONE: Task<u64, u64> = Task::new("add_one", |x| Ok(x + 1));
const WORKERS: Workers = Workers::new("pool_worker", &[&ADD_ONE]);

fn main() {
    // Pool workers are this bench binary started again: they begin here.
    run_if_child(&[&WORKERS]);
    let mut criterion = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4))
        .configure_from_args();
    pool_map(&mut criterion);
    manager_dict_set_get(&mut criterion);
    criterion.final_summary();
}

fn pool_map(criterion: &mut Criterion) {
    let pool = Pool::new(&WORKERS, 2).expect("pool");
    let mut group = criterion.benchmark_group("pool_map");
    group.sample_size(20);
    group.bench_function("default_chunks", |bench| {
        bench.iter(|| pool.map(&ADD_ONE, 0..10_000).expect("map"));
    });
    group.bench_function("chunk_size_1", |bench| {
        bench.iter(|| {
            pool.map_async(&ADD_ONE, 0..10_000, Some(1))
                .expect("map_async")
                .get()
                .expect("get")
        });
    });
    group.finish();
}

fn manager_dict_set_get(criterion: &mut Criterion) {
    let manager = Manager::start().expect("manager");
    let dict = manager.dict::<u64, u64>().expect("dict");
    criterion.bench_function("manager_dict_set_get", |bench| {
        bench.iter(|| {
            dict.set(&1, &1).expect("set");
            dict.get(&1).expect("get")
        });
    });
}
