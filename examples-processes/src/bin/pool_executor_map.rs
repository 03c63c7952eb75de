//! A CPU task over two halves of a data set, in two styles: an executor's `map`, and
//! `apply_async` per half followed by `get`. Both give the results in data order.
//!
//! Tutorial: 《python多进程vs多线程》 (003), section python多进程
//! (`ProcessPoolExecutor(max_workers=4).map` over two slices of a DataFrame, then
//! `Pool(10).apply_async` and `get`).
//! Python API: `ProcessPoolExecutor.map`, `multiprocessing.Pool.apply_async`, `AsyncResult.get`.
//!
//! Run: `cargo run -p examples-processes --bin pool_executor_map`
//!
//! What to watch for: each style prints the size of each half as a worker receives it, then
//! the same summary; the example checks that both styles agree.
//!
//! Rust differences: the tutorial tags a DataFrame of text with a named-entity tagger; here a
//! stand-in tags generated sentences by looking words up in two small lists. The tutorial
//! passes the whole frame to both `apply_async` calls, tagging it twice; here each half goes to
//! one call, as in the `map` style.

use multiprocessing::{AsyncResult, Pool, Task, Workers, run_if_child};

const PEOPLE: [&str; 4] = ["Alice", "Bob", "Chen", "Dana"];
const PLACES: [&str; 4] = ["Paris", "Beijing", "Lima", "Oslo"];

/// One half of the rows in, one list of tagged entities per row out.
const NER_APPLY: Task<Vec<String>, Vec<Vec<String>>> = Task::new("ner_apply", ner_apply);
const WORKERS: Workers = Workers::new("pool_worker", &[&NER_APPLY]);

fn main() -> anyhow::Result<()> {
    run_if_child(&[&WORKERS]);
    shared::example::start();

    let unclear = sentences(1000);
    let halves = vec![unclear[..500].to_vec(), unclear[500..].to_vec()];

    println!("== concurrent.futures: ProcessPoolExecutor(max_workers=4).map");
    let mut executor = Pool::new(&WORKERS, 4)?;
    let by_map = executor.map(&NER_APPLY, halves.clone())?.concat();
    executor.close();
    executor.join()?;
    summarise(&by_map);

    println!("== multiprocessing: Pool(10).apply_async，然后 get");
    let mut pool = Pool::new(&WORKERS, 10)?;
    let mid_result = halves
        .into_iter()
        .map(|half| pool.apply_async(&NER_APPLY, half))
        .collect::<anyhow::Result<Vec<_>>>()?;
    pool.close();
    pool.join()?;
    let result = mid_result
        .into_iter()
        .map(AsyncResult::get)
        .collect::<anyhow::Result<Vec<_>>>()?
        .concat();
    summarise(&result);

    assert_eq!(by_map, result);
    println!("两种写法结果一致");
    Ok(())
}

/// Python's `ner_apply(df)`: prints the slice's shape, tags every row.
fn ner_apply(rows: Vec<String>) -> anyhow::Result<Vec<Vec<String>>> {
    println!("({}, 1)", rows.len());
    Ok(rows.iter().map(|row| ner(row)).collect())
}

/// The stand-in tagger: a word in one of the two lists is a person or a place.
fn ner(sentence: &str) -> Vec<String> {
    let words = sentence.split(|c: char| !c.is_alphanumeric());
    let lists = [(PEOPLE, "PER"), (PLACES, "LOC")];
    words
        .filter_map(|word| {
            let (_, tag) = lists.iter().find(|(list, _)| list.contains(&word))?;
            Some(format!("{word}/{tag}"))
        })
        .collect()
}

/// The stand-in rows: `Alice met someone in Paris, row 0.`
fn sentences(count: usize) -> Vec<String> {
    let row = |i: usize| {
        format!(
            "{} met someone in {}, row {i}.",
            PEOPLE[i % 4],
            PLACES[i / 4 % 4]
        )
    };
    (0..count).map(row).collect()
}

fn summarise(tagged: &[Vec<String>]) {
    let entities: usize = tagged.iter().map(Vec::len).sum();
    println!(
        "{} 行，{entities} 个实体；第 0 行：{:?}",
        tagged.len(),
        tagged[0]
    );
}
