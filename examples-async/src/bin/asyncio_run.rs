//! The two ways the tutorial starts an event loop, in tokio: `#[tokio::main]`, and by hand.
//!
//! Tutorial: 《python中多进程、多线程以及GIL记录》 (002), section asyncio中创建任务的语法有好几种
//! (the two recipes after it, "3.5-3.6麻烦一点，3.7最简单").
//! Python API: `asyncio.run(main())` (3.7+); `asyncio.get_event_loop()`,
//! `loop.run_until_complete(main())`, `loop.close()` (3.5 and 3.6).
//!
//! Run: `cargo run -p examples-async --bin asyncio_run`
//!
//! What to watch for: the same `main()` runs twice, once per recipe, each time on a fresh event
//! loop that ends with it. Each run says which Python form it mirrors.
//!
//! Rust differences: `#[tokio::main]` rewrites the `async fn` it marks into a plain function
//! that builds a runtime and `block_on`s the body: `asyncio.run`, written by a macro, and it
//! may mark any function, not only `main`. Built by hand, the runtime is the loop object:
//! `block_on` is `run_until_complete`, and dropping it is `loop.close()`. asyncio's loop has
//! one thread; `flavor = "current_thread"` and `new_current_thread` ask for the same.

/// The coroutine both recipes run: it awaits a sleep, then returns a value to its caller.
async fn main_coroutine(recipe: &str) -> u64 {
    println!("{recipe}：main() 开始");
    shared::pace::tokio_sleep_secs(1.0).await;
    println!("{recipe}：main() 结束");
    42
}

/// Python 3.7+: `asyncio.run(main())`.
#[tokio::main(flavor = "current_thread")]
async fn asyncio_run() -> u64 {
    main_coroutine("asyncio.run(main())").await
}

fn main() -> anyhow::Result<()> {
    shared::example::start();

    let value = asyncio_run();
    println!("#[tokio::main] 返回了 {value}");

    // Python 3.5 and 3.6: the loop is an object you make, run, and close.
    let event_loop = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()?;
    let value = event_loop.block_on(main_coroutine("loop.run_until_complete(main())"));
    drop(event_loop); // loop.close(): the runtime's timers and tasks go with it
    println!("Runtime::block_on 返回了 {value}");
    Ok(())
}
