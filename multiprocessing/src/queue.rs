//! `multiprocessing.Queue`: any process puts, the one holding the receiving end gets.

use std::time::Duration;

use anyhow::{Context as _, bail};
use ipc_channel::TryRecvError;
use ipc_channel::ipc::{self, IpcReceiver, IpcSender};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// Python's `multiprocessing.Queue`, over an ipc-channel: pass it to a child as an argument of
/// its [`crate::Target`], as Python pickles a queue into `args`.
///
/// `Queue::new()` returns the handle that can both `put` and `get`; each clone can `put` only,
/// one per producer. Moving the first handle into a child makes that child the consumer. Items
/// are serialised on the way, as Python pickles them, and come out in the order they were put
/// by each producer. (A queue that several processes `get` from is the manager's
/// [`crate::QueueProxy`].)
#[derive(Debug, Serialize, Deserialize)]
#[serde(bound = "")]
pub struct Queue<T> {
    sender: IpcSender<T>,
    receiver: Option<IpcReceiver<T>>,
}

impl<T: Serialize + DeserializeOwned> Queue<T> {
    /// `Queue()`: an empty queue, and the only handle that can `get` from it.
    pub fn new() -> anyhow::Result<Self> {
        let (sender, receiver) = ipc::channel().context("cannot create a queue's channel")?;
        Ok(Self {
            sender,
            receiver: Some(receiver),
        })
    }

    /// `put(item)`: never waits (the channel's buffer grows).
    pub fn put(&self, item: T) -> anyhow::Result<()> {
        self.sender
            .send(item)
            .context("the queue's reader has gone")
    }

    /// `get()`: waits for the next item.
    pub fn get(&self) -> anyhow::Result<T> {
        Ok(self.receiver()?.recv()?)
    }

    /// `get(timeout=…)`: `None` if nothing came in time (Python raises `queue.Empty`).
    pub fn get_timeout(&self, timeout: Duration) -> anyhow::Result<Option<T>> {
        match self.receiver()?.try_recv_timeout(timeout) {
            Ok(item) => Ok(Some(item)),
            Err(TryRecvError::Empty) => Ok(None),
            Err(TryRecvError::IpcError(error)) => Err(error.into()),
        }
    }

    fn receiver(&self) -> anyhow::Result<&IpcReceiver<T>> {
        match &self.receiver {
            Some(receiver) => Ok(receiver),
            None => bail!(
                "this Queue handle is a clone, which can only put: get from the handle \
                 Queue::new returned (move it to the process that reads)"
            ),
        }
    }
}

impl<T: Serialize> Clone for Queue<T> {
    /// A handle that can `put`, for one more producer.
    fn clone(&self) -> Self {
        Self {
            sender: self.sender.clone(),
            receiver: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_put_through_clones_come_out_of_the_first_handle() {
        let queue = Queue::new().unwrap();
        let producers = [queue.clone(), queue.clone()];
        producers[0].put(1).unwrap();
        producers[1].put(2).unwrap();
        queue.put(3).unwrap();
        let mut got = [
            queue.get().unwrap(),
            queue.get().unwrap(),
            queue.get().unwrap(),
        ];
        got.sort_unstable();
        assert_eq!(got, [1, 2, 3]);
        assert_eq!(queue.get_timeout(Duration::from_millis(10)).unwrap(), None);
        assert_eq!(
            producers[0].get().unwrap_err().to_string(),
            "this Queue handle is a clone, which can only put: get from the handle Queue::new \
             returned (move it to the process that reads)"
        );
    }
}
