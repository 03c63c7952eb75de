//! Shared objects for processes that share no memory: Python's `multiprocessing.Manager`.
//!
//! A [`Manager`] is a thread of the parent that owns every dict, list and queue it creates.
//! The [`Dict`], [`List`] and [`Queue`] handles are proxies: each operation is a request to that
//! thread and a reply back, over ipc-channel. A proxy can be cloned and sent to a child process
//! or a pool worker inside its arguments; every copy reaches the same object. One copy serves
//! one call at a time, its request and reply, so a thread waiting in a queue's `get` holds its
//! copy until an item comes: give each thread its own `clone()`, or a `put` on the same copy
//! from another thread waits behind that `get` for ever.
//!
//! Why a thread and not a process, as in Python: Python's manager is a server process that
//! any process can dial by address, which `fork` and `spawn` children both can do. Here a proxy
//! carries its channel to the manager, so the manager needs no address and no process of its
//! own: a thread saves a process start, and it ends with the parent, which already owns every
//! child.
//!
//! Values cross the boundary serialised (with postcard, as ipc-channel's messages are), so a
//! proxy is typed, `DictProxy<K, V>`, and the manager stores bytes. Dict keys are compared by their
//! serialised bytes and keep their insertion order, as a Python dict does.
//!
//! Once the manager has shut down (its handle was dropped, or `shutdown` was called), every
//! operation on its proxies fails with "the manager has shut down".
//!
//! A process that dies does not hurt the others: each proxy copy registers a liveness channel whose
//! only sender it keeps. A second thread watches those channels, so the manager hears of a copy's
//! end (its process died, or it was dropped) and forgets it, while its own loop stays a plain
//! `recv` of one request at a time. An item put while a dead client was waiting in `get` goes to
//! the next live getter, or stays in the queue.

use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::marker::PhantomData;
use std::sync::{Mutex, PoisonError};
use std::thread::{self, JoinHandle};

use anyhow::{Context as _, anyhow, bail};
use indexmap::IndexMap;
use ipc_channel::ipc::{self, IpcReceiver, IpcReceiverSet, IpcSelectionResult, IpcSender};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

type Bytes = Vec<u8>;

#[derive(Serialize, Deserialize)]
enum Request {
    /// A proxy's first request in a process: where its replies go, and a channel whose only
    /// sender the proxy keeps, closed when the proxy (or its process) is gone.
    Register {
        replies: IpcSender<Reply>,
        alive: IpcReceiver<()>,
    },
    Call {
        client: u64,
        object: u64,
        call: Call,
    },
    Create {
        client: u64,
        kind: Kind,
        items: Vec<Bytes>,
    },
    /// From the watcher thread: this client's liveness channel has closed.
    Gone(u64),
    Shutdown,
}

#[derive(Serialize, Deserialize)]
enum Call {
    DictSet(Bytes, Bytes),
    DictGet(Bytes),
    DictItems,
    ListAppend(Bytes),
    ListItems,
    QueuePut(Bytes),
    QueueGet,
    Len,
}

#[derive(Serialize, Deserialize)]
enum Reply {
    Registered(u64),
    Created(u64),
    Done,
    Value(Option<Bytes>),
    Values(Vec<Bytes>),
    Pairs(Vec<(Bytes, Bytes)>),
    Len(usize),
    Error(String),
}

#[derive(Serialize, Deserialize)]
enum Kind {
    Dict,
    List,
    Queue,
}

/// What the manager thread keeps, per object.
enum Object {
    Dict(IndexMap<Bytes, Bytes>),
    List(Vec<Bytes>),
    Queue(VecDeque<Bytes>),
}

const GONE: &str = "the manager has shut down";

/// Python's `Manager()`: a thread owning shared dicts, lists and queues. Dropping it (or
/// [`Manager::shutdown`]) ends the thread; the proxies then fail.
pub struct Manager {
    client: Client,
    /// The manager thread, then the thread watching its clients' liveness channels.
    threads: Vec<JoinHandle<()>>,
}

impl Manager {
    /// Starts the manager thread (`Manager().start()`, or entering `with Manager()`).
    pub fn start() -> anyhow::Result<Self> {
        let (requests, inbox) = ipc::channel::<Request>().context("cannot create a channel")?;
        let (watch, watched) = ipc::channel().context("cannot create a channel")?;
        let cannot_start = |error: std::io::Error| {
            anyhow!(
                "cannot start the manager: {error}{}",
                crate::plumbing::limits::suffix(&error)
            )
        };
        let watcher = {
            let requests = requests.clone();
            thread::Builder::new()
                .name("manager-watch".into())
                .spawn(move || watch_clients(watched, &requests))
                .map_err(cannot_start)?
        };
        let server = Server {
            watch,
            clients: HashMap::new(),
            next_client: 0,
            objects: Vec::new(),
            waiting: HashMap::new(),
        };
        let manager = thread::Builder::new()
            .name("manager".into())
            .spawn(move || server.serve(&inbox))
            .map_err(cannot_start)?;
        Ok(Self {
            client: Client::new(requests),
            threads: vec![manager, watcher],
        })
    }

    /// `manager.dict()`: an empty shared dict.
    pub fn dict<K, V>(&self) -> anyhow::Result<DictProxy<K, V>> {
        Ok(DictProxy(self.create(Kind::Dict, Vec::new())?, PhantomData))
    }

    /// `manager.list(items)`: a shared list holding `items`.
    pub fn list<T: Serialize>(
        &self,
        items: impl IntoIterator<Item = T>,
    ) -> anyhow::Result<ListProxy<T>> {
        let items = items
            .into_iter()
            .map(|item| encode(&item))
            .collect::<anyhow::Result<_>>()?;
        Ok(ListProxy(self.create(Kind::List, items)?, PhantomData))
    }

    /// `manager.Queue()`: an empty shared FIFO queue.
    pub fn queue<T>(&self) -> anyhow::Result<QueueProxy<T>> {
        Ok(QueueProxy(
            self.create(Kind::Queue, Vec::new())?,
            PhantomData,
        ))
    }

    fn create(&self, kind: Kind, items: Vec<Bytes>) -> anyhow::Result<Client> {
        let request = |client| Request::Create {
            client,
            kind,
            items,
        };
        let id = self.client.call_with(request, |reply| match reply {
            Reply::Created(id) => Ok(id),
            other => Err(unexpected(&other)),
        })?;
        Ok(Client::for_object(self.client.requests.clone(), id))
    }

    /// Ends the manager thread now; its objects are gone, and their proxies fail from here on.
    pub fn shutdown(mut self) -> anyhow::Result<()> {
        self.stop()
    }

    fn stop(&mut self) -> anyhow::Result<()> {
        if self.threads.is_empty() {
            return Ok(());
        }
        self.client
            .requests
            .send(Request::Shutdown)
            .context("cannot reach the manager thread")?;
        // The watcher ends once the manager has: its channel from the manager closes.
        for thread in self.threads.drain(..) {
            thread
                .join()
                .map_err(|_| anyhow!("a manager thread panicked"))?;
        }
        Ok(())
    }
}

impl Drop for Manager {
    fn drop(&mut self) {
        let _ = self.stop();
    }
}

impl fmt::Debug for Manager {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Manager")
    }
}

/// The manager thread's state: one request at a time, so every operation is atomic, as in
/// Python.
struct Server {
    /// Where each new client's liveness channel goes, to the watcher thread.
    watch: IpcSender<(u64, IpcReceiver<()>)>,
    clients: HashMap<u64, IpcSender<Reply>>,
    next_client: u64,
    objects: Vec<Object>,
    /// Clients blocked in `Queue::get`, per queue, in arrival order.
    waiting: HashMap<u64, VecDeque<u64>>,
}

impl Server {
    fn serve(mut self, inbox: &IpcReceiver<Request>) {
        while let Ok(request) = inbox.recv() {
            match request {
                Request::Shutdown => return,
                Request::Register { replies, alive } => {
                    let client = self.next_client;
                    self.next_client += 1;
                    let _ = self.watch.send((client, alive));
                    self.clients.insert(client, replies);
                    self.reply(client, Reply::Registered(client));
                }
                Request::Gone(client) => self.forget(client),
                request => self.handle(request),
            }
        }
    }

    fn handle(&mut self, request: Request) {
        let (client, reply) = match request {
            Request::Register { .. } | Request::Gone(_) | Request::Shutdown => return,
            Request::Create {
                client,
                kind,
                items,
            } => {
                self.objects.push(match kind {
                    Kind::Dict => Object::Dict(IndexMap::new()),
                    Kind::List => Object::List(items),
                    Kind::Queue => Object::Queue(items.into()),
                });
                (client, Reply::Created(self.objects.len() as u64 - 1))
            }
            Request::Call {
                client,
                object,
                call,
            } => {
                let Some(target) = usize::try_from(object)
                    .ok()
                    .and_then(|i| self.objects.get_mut(i))
                else {
                    let error = Reply::Error(format!("no object {object} in this manager"));
                    self.reply(client, error);
                    return;
                };
                match (target, call) {
                    (Object::Queue(items), Call::QueueGet) => match items.pop_front() {
                        Some(item) => (client, Reply::Value(Some(item))),
                        None => {
                            self.waiting.entry(object).or_default().push_back(client);
                            return; // answered by a later put
                        }
                    },
                    (Object::Queue(_), Call::QueuePut(item)) => {
                        self.put(object, item);
                        (client, Reply::Done)
                    }
                    (target, call) => (client, apply(target, call)),
                }
            }
        };
        self.reply(client, reply);
    }

    /// Hands `item` to the first live getter waiting on queue `object`, or queues it.
    fn put(&mut self, object: u64, item: Bytes) {
        while let Some(getter) = self.waiting.get_mut(&object).and_then(VecDeque::pop_front) {
            if self.reply(getter, Reply::Value(Some(item.clone()))) {
                return;
            }
            // That getter's process died while it waited: the item goes to the next one.
        }
        if let Some(Object::Queue(items)) = usize::try_from(object)
            .ok()
            .and_then(|i| self.objects.get_mut(i))
        {
            items.push_back(item);
        }
    }

    /// Sends `reply` to `client`; a client that can no longer be reached is forgotten.
    fn reply(&mut self, client: u64, reply: Reply) -> bool {
        let sent = self
            .clients
            .get(&client)
            .is_some_and(|replies| replies.send(reply).is_ok());
        if !sent {
            self.forget(client);
        }
        sent
    }

    fn forget(&mut self, client: u64) {
        self.clients.remove(&client);
        for getters in self.waiting.values_mut() {
            getters.retain(|&getter| getter != client);
        }
    }
}

/// The watcher thread: waits on every client's liveness channel, and tells the manager of each
/// one that closes. Ends when the manager does, as `watched` then closes.
fn watch_clients(watched: IpcReceiver<(u64, IpcReceiver<()>)>, requests: &IpcSender<Request>) {
    let Ok(mut receivers) = IpcReceiverSet::new() else {
        return;
    };
    let Ok(new_clients) = receivers.add(watched) else {
        return;
    };
    let mut clients = HashMap::new();
    while let Ok(events) = receivers.select() {
        for event in events {
            match event {
                IpcSelectionResult::MessageReceived(id, message) if id == new_clients => {
                    if let Ok((client, alive)) = message.to::<(u64, IpcReceiver<()>)>()
                        && let Ok(watch) = receivers.add(alive)
                    {
                        clients.insert(watch, client);
                    }
                }
                IpcSelectionResult::ChannelClosed(id) if id == new_clients => return,
                IpcSelectionResult::ChannelClosed(id) => {
                    let gone = clients.remove(&id).map(Request::Gone);
                    if gone.is_some_and(|gone| requests.send(gone).is_err()) {
                        return;
                    }
                }
                IpcSelectionResult::MessageReceived(..) => {} // liveness channels stay silent
            }
        }
    }
}

fn apply(object: &mut Object, call: Call) -> Reply {
    match (object, call) {
        (Object::Dict(pairs), Call::DictSet(key, value)) => {
            pairs.insert(key, value); // an existing key keeps its place, as in Python
            Reply::Done
        }
        (Object::Dict(pairs), Call::DictGet(key)) => Reply::Value(pairs.get(&key).cloned()),
        (Object::Dict(pairs), Call::DictItems) => Reply::Pairs(
            pairs
                .iter()
                .map(|(key, value)| (key.clone(), value.clone()))
                .collect(),
        ),
        (Object::List(items), Call::ListAppend(item)) => {
            items.push(item);
            Reply::Done
        }
        (Object::List(items), Call::ListItems) => Reply::Values(items.clone()),
        (Object::Dict(pairs), Call::Len) => Reply::Len(pairs.len()),
        (Object::List(items), Call::Len) => Reply::Len(items.len()),
        (Object::Queue(items), Call::Len) => Reply::Len(items.len()),
        _ => Reply::Error("this operation does not apply to this object".into()),
    }
}

fn encode<T: Serialize>(value: &T) -> anyhow::Result<Bytes> {
    postcard::to_stdvec(value).context("cannot serialise a value for the manager")
}

fn decode<T: DeserializeOwned>(bytes: &[u8]) -> anyhow::Result<T> {
    postcard::from_bytes(bytes).context("a manager value does not have the proxy's type")
}

fn unexpected(reply: &Reply) -> anyhow::Error {
    match reply {
        Reply::Error(error) => anyhow!("the manager refused: {error}"),
        _ => anyhow!("the manager sent an unexpected reply"),
    }
}

/// One proxy's link to the manager: the shared request channel, the object, and, once used in
/// this process, its own reply channel.
#[derive(Serialize, Deserialize)]
struct Client {
    requests: IpcSender<Request>,
    object: u64,
    /// Not sent along: each process (each copy) registers its own reply channel on first use.
    #[serde(skip)]
    link: Mutex<Option<Link>>,
}

/// One proxy copy's registration with the manager.
struct Link {
    client: u64,
    replies: IpcReceiver<Reply>,
    /// Never used: its closing tells the manager that this copy is gone.
    _alive: IpcSender<()>,
}

impl Client {
    fn new(requests: IpcSender<Request>) -> Self {
        Self::for_object(requests, u64::MAX)
    }

    fn for_object(requests: IpcSender<Request>, object: u64) -> Self {
        Self {
            requests,
            object,
            link: Mutex::new(None),
        }
    }

    fn call<T>(
        &self,
        call: Call,
        read: impl FnOnce(Reply) -> anyhow::Result<T>,
    ) -> anyhow::Result<T> {
        let object = self.object;
        self.call_with(
            |client| Request::Call {
                client,
                object,
                call,
            },
            read,
        )
    }

    /// Sends one request and waits for its reply. The lock makes request and reply one step,
    /// so threads sharing a proxy never read each other's replies.
    fn call_with<T>(
        &self,
        request: impl FnOnce(u64) -> Request,
        read: impl FnOnce(Reply) -> anyhow::Result<T>,
    ) -> anyhow::Result<T> {
        let mut link = self.link.lock().unwrap_or_else(PoisonError::into_inner);
        if link.is_none() {
            let (replies, inbox) = ipc::channel::<Reply>().context("cannot create a channel")?;
            let (alive_sender, alive) = ipc::channel::<()>().context("cannot create a channel")?;
            self.requests
                .send(Request::Register { replies, alive })
                .map_err(|_| anyhow!(GONE))?;
            let Reply::Registered(client) = inbox.recv().map_err(|_| anyhow!(GONE))? else {
                bail!("the manager sent an unexpected reply");
            };
            *link = Some(Link {
                client,
                replies: inbox,
                _alive: alive_sender,
            });
        }
        let Some(link) = link.as_ref() else {
            bail!("no link to the manager");
        };
        self.requests
            .send(request(link.client))
            .map_err(|_| anyhow!(GONE))?;
        read(link.replies.recv().map_err(|_| anyhow!(GONE))?)
    }
}

impl Clone for Client {
    fn clone(&self) -> Self {
        Self::for_object(self.requests.clone(), self.object)
    }
}

/// A proxy for a shared dict (`manager.dict()`), keys in insertion order.
#[derive(Serialize, Deserialize)]
#[serde(bound = "")]
pub struct DictProxy<K, V>(Client, PhantomData<fn() -> (K, V)>);

impl<K: Serialize + DeserializeOwned, V: Serialize + DeserializeOwned> DictProxy<K, V> {
    /// `d[key] = value`.
    pub fn set(&self, key: &K, value: &V) -> anyhow::Result<()> {
        let call = Call::DictSet(encode(key)?, encode(value)?);
        self.0.call(call, done)
    }

    /// `d.get(key)`.
    pub fn get(&self, key: &K) -> anyhow::Result<Option<V>> {
        self.0
            .call(Call::DictGet(encode(key)?), |reply| match reply {
                Reply::Value(value) => value.as_deref().map(decode).transpose(),
                other => Err(unexpected(&other)),
            })
    }

    /// `list(d.items())`, in insertion order.
    pub fn items(&self) -> anyhow::Result<Vec<(K, V)>> {
        self.0.call(Call::DictItems, |reply| match reply {
            Reply::Pairs(pairs) => pairs
                .iter()
                .map(|(key, value)| Ok((decode(key)?, decode(value)?)))
                .collect(),
            other => Err(unexpected(&other)),
        })
    }

    /// `len(d)`.
    pub fn len(&self) -> anyhow::Result<usize> {
        self.0.call(Call::Len, length)
    }

    /// `not d`.
    pub fn is_empty(&self) -> anyhow::Result<bool> {
        Ok(self.len()? == 0)
    }
}

/// A proxy for a shared list (`manager.list()`).
#[derive(Serialize, Deserialize)]
#[serde(bound = "")]
pub struct ListProxy<T>(Client, PhantomData<fn() -> T>);

impl<T: Serialize + DeserializeOwned> ListProxy<T> {
    /// `l.append(item)`.
    pub fn append(&self, item: &T) -> anyhow::Result<()> {
        self.0.call(Call::ListAppend(encode(item)?), done)
    }

    /// `list(l)`: a copy of the items.
    pub fn items(&self) -> anyhow::Result<Vec<T>> {
        self.0.call(Call::ListItems, |reply| match reply {
            Reply::Values(items) => items.iter().map(|item| decode(item)).collect(),
            other => Err(unexpected(&other)),
        })
    }

    /// `len(l)`.
    pub fn len(&self) -> anyhow::Result<usize> {
        self.0.call(Call::Len, length)
    }

    /// `not l`.
    pub fn is_empty(&self) -> anyhow::Result<bool> {
        Ok(self.len()? == 0)
    }
}

/// A proxy for a shared FIFO queue (`manager.Queue()`).
#[derive(Serialize, Deserialize)]
#[serde(bound = "")]
pub struct QueueProxy<T>(Client, PhantomData<fn() -> T>);

impl<T: Serialize + DeserializeOwned> QueueProxy<T> {
    /// `q.put(item)`.
    pub fn put(&self, item: &T) -> anyhow::Result<()> {
        self.0.call(Call::QueuePut(encode(item)?), done)
    }

    /// `q.get()`: waits for an item.
    pub fn get(&self) -> anyhow::Result<T> {
        self.0.call(Call::QueueGet, |reply| match reply {
            Reply::Value(Some(item)) => decode(&item),
            other => Err(unexpected(&other)),
        })
    }

    /// `q.qsize()`.
    pub fn qsize(&self) -> anyhow::Result<usize> {
        self.0.call(Call::Len, length)
    }
}

macro_rules! proxy_clone {
    ($($proxy:ident<$($param:ident),+>),+) => {$(
        /// A new handle on the same shared object.
        impl<$($param),+> Clone for $proxy<$($param),+> {
            fn clone(&self) -> Self {
                Self(self.0.clone(), PhantomData)
            }
        }
    )+};
}
proxy_clone!(DictProxy<K, V>, ListProxy<T>, QueueProxy<T>);

fn done(reply: Reply) -> anyhow::Result<()> {
    match reply {
        Reply::Done => Ok(()),
        other => Err(unexpected(&other)),
    }
}

fn length(reply: Reply) -> anyhow::Result<usize> {
    match reply {
        Reply::Len(len) => Ok(len),
        other => Err(unexpected(&other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dict_keeps_insertion_order_and_overwrites_in_place() -> anyhow::Result<()> {
        let manager = Manager::start()?;
        let dict = manager.dict::<String, u32>()?;
        dict.set(&"b".into(), &1)?;
        dict.set(&"a".into(), &2)?;
        dict.set(&"b".into(), &3)?;
        assert_eq!(dict.items()?, [("b".into(), 3), ("a".into(), 2)]);
        assert_eq!(dict.get(&"a".into())?, Some(2));
        assert_eq!(dict.get(&"c".into())?, None);
        assert_eq!(dict.len()?, 2);
        Ok(())
    }

    #[test]
    fn a_queue_get_waits_for_a_put_from_another_thread() -> anyhow::Result<()> {
        let manager = Manager::start()?;
        let queue = manager.queue::<char>()?;
        let getter = {
            let queue = queue.clone();
            thread::spawn(move || queue.get())
        };
        queue.put(&'i')?;
        let got = getter
            .join()
            .map_err(|_| anyhow!("the getter panicked"))??;
        assert_eq!(got, 'i');
        assert_eq!(queue.qsize()?, 0);
        Ok(())
    }

    #[test]
    fn proxies_fail_clearly_once_the_manager_is_gone() -> anyhow::Result<()> {
        let manager = Manager::start()?;
        let list = manager.list(0..3_i64)?;
        assert_eq!(list.items()?, [0, 1, 2]);
        manager.shutdown()?;
        assert_eq!(list.append(&3).unwrap_err().to_string(), GONE);
        Ok(())
    }
}
