//! `Pool.imap`, `Pool.imap_unordered` and `Pool.starmap`: results handed out as they complete.

use std::collections::{BTreeMap, VecDeque};
use std::sync::mpsc;

use anyhow::anyhow;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::{Done, Pool, Task, downcast};

impl Pool {
    /// `imap(task, items, chunksize)`: as [`Pool::map`], but an iterator that yields each
    /// result, in item order, as soon as it and those before it are done. All items are
    /// submitted at once, `chunk_size` to a job (Python's default is 1).
    pub fn imap<A, R>(
        &self,
        task: &Task<A, R>,
        items: impl IntoIterator<Item = A>,
        chunk_size: usize,
    ) -> anyhow::Result<IMap<R>>
    where
        A: Serialize + DeserializeOwned + Send + 'static,
        R: Serialize + DeserializeOwned + Send + 'static,
    {
        self.submit_chunks(task, items, chunk_size, true)
    }

    /// `imap_unordered(task, items, chunksize)`: as [`Pool::imap`], in the order the results
    /// complete.
    pub fn imap_unordered<A, R>(
        &self,
        task: &Task<A, R>,
        items: impl IntoIterator<Item = A>,
        chunk_size: usize,
    ) -> anyhow::Result<IMap<R>>
    where
        A: Serialize + DeserializeOwned + Send + 'static,
        R: Serialize + DeserializeOwned + Send + 'static,
    {
        self.submit_chunks(task, items, chunk_size, false)
    }

    /// `starmap(task, items)`: [`Pool::map`] over tuples. A task takes one argument, so a task
    /// of several takes a tuple (`|(a, b)| Ok(a * b)`), and that is all `starmap` adds in
    /// Python: unpacking each item into the function's arguments.
    pub fn starmap<A, R>(
        &self,
        task: &Task<A, R>,
        items: impl IntoIterator<Item = A>,
    ) -> anyhow::Result<Vec<R>>
    where
        A: Serialize + DeserializeOwned + Send + 'static,
        R: Serialize + DeserializeOwned + Send + 'static,
    {
        self.map(task, items)
    }

    fn submit_chunks<A, R>(
        &self,
        task: &Task<A, R>,
        items: impl IntoIterator<Item = A>,
        chunk_size: usize,
        ordered: bool,
    ) -> anyhow::Result<IMap<R>>
    where
        A: Serialize + DeserializeOwned + Send + 'static,
        R: Serialize + DeserializeOwned + Send + 'static,
    {
        anyhow::ensure!(chunk_size > 0, "the chunk size must be at least 1");
        let (sender, results) = mpsc::channel();
        let mut items = items.into_iter().peekable();
        let mut chunks = 0;
        while items.peek().is_some() {
            let chunk: Vec<A> = items.by_ref().take(chunk_size).collect();
            let sender = sender.clone();
            let index = chunks;
            let done: Done = Box::new(move |outcome| {
                // The iterator may have been dropped: nobody wants the result any more.
                let _ = sender.send((index, outcome.and_then(downcast::<R>)));
            });
            self.submit(task, chunk, done)?;
            chunks += 1;
        }
        Ok(IMap {
            results,
            ordered,
            chunks,
            handed_out: 0,
            early: BTreeMap::new(),
            ready: VecDeque::new(),
        })
    }
}

/// The results of [`Pool::imap`] or [`Pool::imap_unordered`]: `next()` waits for the next one.
/// A failed job yields one error, for its chunk, and the iteration goes on.
pub struct IMap<R> {
    results: mpsc::Receiver<(usize, anyhow::Result<Vec<R>>)>,
    ordered: bool,
    chunks: usize,
    /// Chunks handed out so far.
    handed_out: usize,
    /// Chunks that came before their turn (`imap` only).
    early: BTreeMap<usize, anyhow::Result<Vec<R>>>,
    /// The rest of the chunk being handed out.
    ready: VecDeque<R>,
}

impl<R> Iterator for IMap<R> {
    type Item = anyhow::Result<R>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(value) = self.ready.pop_front() {
                return Some(Ok(value));
            }
            if self.handed_out == self.chunks {
                return None;
            }
            let chunk = if self.ordered {
                self.early.remove(&self.handed_out).or_else(|| {
                    loop {
                        let (index, chunk) = self.results.recv().ok()?;
                        if index == self.handed_out {
                            break Some(chunk);
                        }
                        self.early.insert(index, chunk);
                    }
                })
            } else {
                self.results.recv().ok().map(|(_, chunk)| chunk)
            };
            self.handed_out += 1;
            match chunk {
                Some(Ok(values)) => self.ready.extend(values),
                Some(Err(error)) => return Some(Err(error)),
                None => {
                    // Every job's handle is gone without its result: the pool is gone.
                    self.handed_out = self.chunks;
                    return Some(Err(anyhow!("the pool stopped before every result came")));
                }
            }
        }
    }
}
