//! Ten processes write to one dict and one list that a manager shares between them.
//!
//! Tutorial: 《第16章 协程-补充内容》 (000), section 多进程通讯共享数据 › Managers.
//! Python API: `with Manager() as manager`, `manager.dict()`, `manager.list(range(5))`, proxies
//! passed to each `Process` in `args`.
//!
//! Run: `cargo run -p examples-processes --bin manager_dict_list`
//!
//! What to watch for: the dict holds ten int keys `0`–`9` set to `"a"` and one string key `"2"`
//! set to `"b"`, in the order the writes reached the manager; `2` and `"2"` are different keys,
//! in Python and here. The list is `0, 1, 2, 3, 4`, then the ten indices in the order the
//! children appended them.
//!
//! Rust differences: a Rust map has one key type, so the tutorial's mix of int and str keys is
//! an enum, `Key::Int(2)` or `Key::Str("2")`, printed `2` and `"2"` (strings print with Rust's
//! double quotes). The manager is a thread of this process, not a server process.

use std::fmt;

use multiprocessing::{DictProxy, ListProxy, Manager, Process, Target, run_if_child};
use serde::{Deserialize, Serialize};

/// The tutorial's dict keys: ints from `dic[index]`, and the str `'2'`.
#[derive(Serialize, Deserialize)]
enum Key {
    Int(i64),
    Str(String),
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Key::Int(int) => write!(f, "{int}"),
            Key::Str(text) => write!(f, "{text:?}"),
        }
    }
}

const FUN1: Target<(DictProxy<Key, String>, ListProxy<i64>, i64)> = Target::new("fun1", fun1);

fn main() -> anyhow::Result<()> {
    run_if_child(&[&FUN1]);
    shared::example::start();

    // `with Manager() as manager:` — the manager shuts down when `manager` is dropped.
    let manager = Manager::start()?;
    let dic = manager.dict::<Key, String>()?;
    let l = manager.list(0..5_i64)?;

    let mut processes = Vec::new();
    for i in 0..10 {
        processes.push(Process::spawn(&FUN1, (dic.clone(), l.clone(), i))?);
    }
    for process in processes {
        process.join()?;
    }
    println!("{:?}", PythonDict(&dic.items()?));
    println!("{:?}", l.items()?);
    Ok(())
}

fn fun1((dic, lis, index): (DictProxy<Key, String>, ListProxy<i64>, i64)) -> anyhow::Result<()> {
    dic.set(&Key::Int(index), &"a".to_owned())?;
    dic.set(&Key::Str("2".to_owned()), &"b".to_owned())?;
    lis.append(&index)?;
    Ok(())
}

/// Prints a dict's items as `{key: value, …}`, the way Python prints a dict.
struct PythonDict<'a>(&'a [(Key, String)]);

impl fmt::Debug for PythonDict<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.0.iter().map(|(key, value)| (key, value)))
            .finish()
    }
}
