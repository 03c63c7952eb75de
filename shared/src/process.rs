//! Child processes the way Python's `multiprocessing` starts them with its `spawn` method.
//!
//! Rust has no `multiprocessing`, and `fork()` is unsafe in a program with threads, so a child
//! is this same executable started again:
//!
//! 1. [`Process::spawn`] runs [`std::env::current_exe`] with two environment variables: the
//!    name of the [`Target`] the child must run, and the name of an [`IpcOneShotServer`].
//! 2. The child's `main` calls [`run_if_child`] first (the twin of Python's
//!    `if __name__ == '__main__':`). It finds its target, connects to the server and sends two
//!    senders: one for its arguments, and a *lifeline* the parent keeps and never uses.
//! 3. The parent sends the arguments. They are typed by the target, so both sides agree on the
//!    type at compile time, and they may carry [`IpcSender`]s and [`IpcReceiver`]s: that is how a
//!    queue or a [`Connection`] reaches a child.
//! 4. The child runs the target's function and exits: code 0 on `Ok`, 1 on `Err`, 101 on a panic.
//!
//! Queues need no type of their own: a Python `Queue` with many producers is
//! [`ipc_channel::ipc::channel`], with a clone of the sender for every child. The receiver sees
//! the end of the queue once every sender is gone, the parent's own included.
//!
//! Nothing outlives the parent:
//! - dropping a [`Process`] whose child still runs kills (SIGKILL) and reaps the child;
//! - a child whose parent dies (even by SIGKILL) sees its lifeline disconnect and exits at once;
//! - a child that dies before the handshake makes [`Process::spawn`] fail instead of waiting
//!   forever in `accept()`, which has no timeout of its own.
//!
//! Every failure is an [`anyhow::Error`] naming the child the way Python names it:
//! `Process-3 (fun1, pid 1234) exited with signal 9 (SIGKILL)`.

use std::fmt;
use std::io::Write as _;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use ipc_channel::ipc::{self, IpcOneShotServer, IpcReceiver, IpcSender, OpaqueIpcSender};
use ipc_channel::{IpcError, TryRecvError};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// Names the target a re-executed child must run. Set only by [`Process::spawn`].
pub const ROLE_VAR: &str = "SHARED_PROCESS_ROLE";
/// Names the one-shot server a child connects to for its handshake.
const SERVER_VAR: &str = "SHARED_PROCESS_SERVER";
/// A child that has neither connected nor exited by then is stuck: kill it and report.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(30);
/// How often a waiting parent checks whether the child has died.
const POLL_INTERVAL: Duration = Duration::from_millis(5);
/// Exit code of a child whose parent went away: nobody is left to read it, but it is not 0.
const PARENT_GONE_EXIT_CODE: i32 = 1;

/// A function a child process can run, under the name the parent spawns it by.
///
/// Declare one `const` per function, next to `main`, and list it in [`run_if_child`]:
/// `const FUN1: Target<String> = Target::new("fun1", fun1);`. The argument type `A` is fixed
/// here, so the parent cannot send what the child cannot read.
pub struct Target<A> {
    name: &'static str,
    function: fn(A) -> anyhow::Result<()>,
}

impl<A> Target<A> {
    /// `name` must be unique among the targets of one binary.
    pub const fn new(name: &'static str, function: fn(A) -> anyhow::Result<()>) -> Self {
        Self { name, function }
    }

    /// The name the child is started under.
    pub fn name(&self) -> &'static str {
        self.name
    }
}

/// A [`Target`] with its argument type erased, so that [`run_if_child`] can take a list.
pub trait AnyTarget: Sync {
    /// The target's name.
    fn name(&self) -> &'static str;
    /// Child side: handshake with the parent, then run the function.
    fn run_in_child(&self, server: String) -> anyhow::Result<()>;
}

impl<A: Serialize + DeserializeOwned> AnyTarget for Target<A> {
    fn name(&self) -> &'static str {
        self.name
    }

    fn run_in_child(&self, server: String) -> anyhow::Result<()> {
        (self.function)(child_handshake(server)?)
    }
}

/// Child side of the handshake: connect, send the hello, receive the arguments, and start
/// watching the lifeline.
pub(crate) fn child_handshake<A: Serialize + DeserializeOwned>(
    server: String,
) -> anyhow::Result<A> {
    let (arguments_sender, arguments) = ipc::channel::<A>()?;
    let (lifeline_sender, lifeline) = ipc::channel::<()>()?;
    let hello = IpcSender::<Hello>::connect(server).context("cannot reach the parent")?;
    hello
        .send(Hello {
            arguments: arguments_sender.to_opaque(),
            lifeline: lifeline_sender,
        })
        .context("handshake with the parent failed")?;
    let arguments = arguments.recv().context("the parent sent no arguments")?;
    exit_when_parent_dies(lifeline)?;
    Ok(arguments)
}

/// What a child sends first: where the parent sends its arguments (an `IpcSender<A>` whose type
/// the [`Target`] fixes on both sides), and the lifeline.
#[derive(Serialize, Deserialize)]
struct Hello {
    arguments: OpaqueIpcSender,
    lifeline: IpcSender<()>,
}

/// In a child started by [`Process::spawn`]: runs the target named by the parent and exits the
/// process, never returning. In any other process: returns at once.
///
/// Call it as the first statement of `main`, before parsing flags or starting threads: a child
/// must not run the parent's code (Python's `if __name__ == '__main__':` guard, turned around).
pub fn run_if_child(targets: &[&dyn AnyTarget]) {
    let Some(role) = std::env::var_os(ROLE_VAR) else {
        return;
    };
    let role = role.to_string_lossy();
    let Some(target) = targets.iter().find(|target| target.name() == role) else {
        crate::cli::exit_usage(&format!(
            "{ROLE_VAR}={role} names no target of this program"
        ));
    };
    let outcome = std::env::var(SERVER_VAR)
        .with_context(|| format!("{SERVER_VAR} is not set"))
        .and_then(|server| target.run_in_child(server));
    let code = match outcome {
        Ok(()) => 0,
        Err(error) => {
            eprintln!(
                "{} (child {role}, pid {}): {error:#}",
                crate::cli::binary_name(),
                std::process::id()
            );
            1
        }
    };
    // `exit` flushes Rust's stdout, but say so: the parent's next line depends on it.
    let _ = std::io::stdout().flush();
    std::process::exit(code);
}

/// A thread that waits on the lifeline. The parent never sends on it, so `recv` returns only when
/// the parent's end is closed: the parent died without reaping us.
fn exit_when_parent_dies(lifeline: IpcReceiver<()>) -> anyhow::Result<()> {
    thread::Builder::new()
        .name("parent-watch".into())
        .spawn(move || {
            let _ = lifeline.recv();
            eprintln!(
                "{} (child, pid {}): the parent process is gone; exiting",
                crate::cli::binary_name(),
                std::process::id()
            );
            std::process::exit(PARENT_GONE_EXIT_CODE);
        })
        .context("cannot start the parent-watch thread")?;
    Ok(())
}

/// Numbers children as Python does: `Process-1`, `Process-2`, … in the order they were created.
static NEXT_PROCESS_NUMBER: AtomicUsize = AtomicUsize::new(1);

/// A running or finished child process (Python's `multiprocessing.Process`, already started).
///
/// Dropping the handle of a child that still runs kills it (SIGKILL) and reaps it. Python would
/// instead wait for non-daemon children at exit; here ending a child early is always visible.
pub struct Process {
    name: String,
    target: &'static str,
    child: Child,
    status: Option<ExitStatus>,
    /// Kept, never used: closing it tells the child its parent is gone.
    _lifeline: Option<IpcSender<()>>,
}

impl Process {
    /// Starts a child that runs `target` with `arguments` (`Process(target, args).start()`).
    ///
    /// Returns once the child has its arguments. Fails, without waiting forever, if the child
    /// exits or hangs before the handshake. Flushes stdout first, so that what the parent
    /// printed before the spawn is not printed after the child's first lines.
    pub fn spawn<A: Serialize + DeserializeOwned>(
        target: &Target<A>,
        arguments: A,
    ) -> anyhow::Result<Self> {
        Self::spawn_role(target.name, arguments)
    }

    /// [`Process::spawn`] for any child role whose `run_in_child` calls [`child_handshake`]
    /// with arguments of type `A`.
    pub(crate) fn spawn_role<A: Serialize + DeserializeOwned>(
        role: &'static str,
        arguments: A,
    ) -> anyhow::Result<Self> {
        let number = NEXT_PROCESS_NUMBER.fetch_add(1, Ordering::Relaxed);
        let name = format!("Process-{number}");
        let (server, server_name) = IpcOneShotServer::<Hello>::new()
            .with_context(|| format!("{name}: cannot create the handshake server"))?;
        let executable = std::env::current_exe().context("cannot find our own executable")?;
        // Lines printed before the spawn must come out before the child's: the child inherits
        // stdout, but not what still sits in our buffer.
        let _ = std::io::stdout().flush();
        let child = Command::new(executable)
            .env(ROLE_VAR, role)
            .env(SERVER_VAR, &server_name)
            .stdin(Stdio::null())
            .spawn()
            .with_context(|| format!("{name} ({role}): cannot start"))?;
        // From here on, an early return drops `process`, which kills and reaps the child.
        let mut process = Self {
            name,
            target: role,
            child,
            status: None,
            _lifeline: None,
        };
        let hello = process.handshake(server, server_name)?;
        hello
            .arguments
            .to::<A>()
            .send(arguments)
            .with_context(|| format!("{process}: cannot send the arguments"))?;
        process._lifeline = Some(hello.lifeline);
        Ok(process)
    }

    /// Waits for the child's hello while watching for its death; `accept()` alone would block
    /// forever if the child never connects.
    fn handshake(
        &mut self,
        server: IpcOneShotServer<Hello>,
        server_name: String,
    ) -> anyhow::Result<Hello> {
        let (accepted_sender, accepted) = mpsc::channel();
        let acceptor = thread::spawn(move || {
            let _ = accepted_sender.send(server.accept());
        });
        let deadline = Instant::now() + HANDSHAKE_TIMEOUT;
        let failure = loop {
            match accepted.recv_timeout(POLL_INTERVAL) {
                Ok(result) => {
                    let _ = acceptor.join();
                    let (_, hello) = result.with_context(|| format!("{self}: handshake failed"))?;
                    return Ok(hello);
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => break "lost its handshake".into(),
            }
            if let Some(status) = self.poll()? {
                break format!("exited with {} before the handshake", describe(status));
            }
            if Instant::now() > deadline {
                break format!("did not connect within {HANDSHAKE_TIMEOUT:?}");
            }
        };
        // Connect and hang up ourselves: `accept()` then fails and its thread ends.
        drop(IpcSender::<Hello>::connect(server_name));
        let _ = acceptor.join();
        bail!("{self} {failure}")
    }

    /// Python's name for this child: `Process-1`, `Process-2`, …
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The child's process id (`Process.pid`).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Whether the child is still running (`is_alive()`); reaps it if it has exited.
    pub fn is_alive(&mut self) -> anyhow::Result<bool> {
        Ok(self.poll()?.is_none())
    }

    /// How the child ended, or `None` while it runs.
    pub fn exit_status(&mut self) -> anyhow::Result<Option<ExitStatus>> {
        self.poll()
    }

    /// Python's `exitcode`: `None` while running, the exit code, or `-N` after signal N.
    pub fn exitcode(&mut self) -> anyhow::Result<Option<i32>> {
        Ok(self.poll()?.map(python_exitcode))
    }

    /// Waits for the child to end and returns how it ended, successful or not.
    pub fn wait(&mut self) -> anyhow::Result<ExitStatus> {
        if let Some(status) = self.status {
            return Ok(status);
        }
        let status = self
            .child
            .wait()
            .with_context(|| format!("{self}: wait failed"))?;
        self.status = Some(status);
        Ok(status)
    }

    /// `join(timeout)`: waits at most `timeout`; `None` if the child is still running.
    pub fn join_timeout(&mut self, timeout: Duration) -> anyhow::Result<Option<ExitStatus>> {
        // std has no wait with a timeout; polling every few milliseconds is precise enough here.
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(status) = self.poll()? {
                return Ok(Some(status));
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Ok(None);
            }
            thread::sleep(left.min(POLL_INTERVAL));
        }
    }

    /// `join()`: waits for the child and fails unless it exited with code 0.
    pub fn join(mut self) -> anyhow::Result<()> {
        let status = self.wait()?;
        anyhow::ensure!(status.success(), "{self} exited with {}", describe(status));
        Ok(())
    }

    /// `terminate()`: asks the child to stop with SIGTERM. A no-op once the child is reaped.
    pub fn terminate(&mut self) -> anyhow::Result<()> {
        self.signal(nix::sys::signal::Signal::SIGTERM)
    }

    /// `kill()`: stops the child with SIGKILL, which it cannot catch.
    pub fn kill(&mut self) -> anyhow::Result<()> {
        self.signal(nix::sys::signal::Signal::SIGKILL)
    }

    fn signal(&mut self, signal: nix::sys::signal::Signal) -> anyhow::Result<()> {
        // Once reaped, the pid may belong to someone else: never signal it again.
        if self.status.is_some() {
            return Ok(());
        }
        let pid = i32::try_from(self.pid()).context("pid out of range")?;
        nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), signal)
            .with_context(|| format!("{self}: cannot send {signal}"))
    }

    fn poll(&mut self) -> anyhow::Result<Option<ExitStatus>> {
        if self.status.is_none() {
            self.status = self
                .child
                .try_wait()
                .with_context(|| format!("{self}: wait failed"))?;
        }
        Ok(self.status)
    }
}

impl fmt::Display for Process {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} ({}, pid {})",
            self.name,
            self.target,
            self.child.id()
        )
    }
}

impl fmt::Debug for Process {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Process({self})")
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        if self.status.is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Python's `exitcode` for a finished child: its exit code, or `-N` if signal N ended it.
pub fn python_exitcode(status: ExitStatus) -> i32 {
    use std::os::unix::process::ExitStatusExt as _;
    match (status.code(), status.signal()) {
        (Some(code), _) => code,
        (None, Some(signal)) => -signal,
        (None, None) => i32::MIN,
    }
}

/// `exit code 3` or `signal 9 (SIGKILL)`: how a child ended, for messages.
pub fn describe(status: ExitStatus) -> String {
    use std::os::unix::process::ExitStatusExt as _;
    match (status.code(), status.signal()) {
        (Some(code), _) => format!("exit code {code}"),
        (None, Some(signal)) => match nix::sys::signal::Signal::try_from(signal) {
            Ok(name) => format!("signal {signal} ({name})"),
            Err(_) => format!("signal {signal}"),
        },
        (None, None) => status.to_string(),
    }
}

/// One end of a duplex pipe (Python's `Connection`, from `Pipe()`): sends `S`, receives `R`.
///
/// It can be sent to a child inside its arguments. Dropping it is Python's `close()`.
#[derive(Serialize, Deserialize)]
#[serde(bound = "")]
pub struct Connection<S, R = S> {
    outgoing: IpcSender<S>,
    incoming: IpcReceiver<R>,
}

/// Python's `Pipe()`: two connected ends. What one end sends, the other receives.
pub fn pipe<A, B>() -> anyhow::Result<(Connection<A, B>, Connection<B, A>)>
where
    A: Serialize + DeserializeOwned,
    B: Serialize + DeserializeOwned,
{
    let (a_sender, a_receiver) = ipc::channel::<A>().context("cannot create a pipe")?;
    let (b_sender, b_receiver) = ipc::channel::<B>().context("cannot create a pipe")?;
    Ok((
        Connection {
            outgoing: a_sender,
            incoming: b_receiver,
        },
        Connection {
            outgoing: b_sender,
            incoming: a_receiver,
        },
    ))
}

impl<S, R> Connection<S, R>
where
    S: Serialize + DeserializeOwned,
    R: Serialize + DeserializeOwned,
{
    /// Sends one message to the other end.
    pub fn send(&self, message: S) -> anyhow::Result<()> {
        self.outgoing
            .send(message)
            .map_err(|error| hung_up(error, "send"))
    }

    /// Waits for the next message; fails once the other end is closed and drained
    /// (Python raises `EOFError`).
    pub fn recv(&self) -> anyhow::Result<R> {
        self.incoming.recv().map_err(|error| hung_up(error, "recv"))
    }

    /// Waits at most `timeout` for the next message (Python's `poll(timeout)` then `recv()`).
    pub fn recv_timeout(&self, timeout: Duration) -> anyhow::Result<Option<R>> {
        match self.incoming.try_recv_timeout(timeout) {
            Ok(message) => Ok(Some(message)),
            Err(TryRecvError::Empty) => Ok(None),
            Err(TryRecvError::IpcError(error)) => Err(hung_up(error, "recv")),
        }
    }
}

fn hung_up(error: IpcError, operation: &str) -> anyhow::Error {
    match error {
        IpcError::Disconnected => {
            anyhow::anyhow!("{operation}: the other end of the pipe is closed")
        }
        other => anyhow::Error::new(other).context(format!("{operation} on a pipe failed")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::process::ExitStatusExt as _;

    #[test]
    fn exit_codes_read_as_python_reports_them() {
        assert_eq!(python_exitcode(ExitStatus::from_raw(0)), 0);
        assert_eq!(python_exitcode(ExitStatus::from_raw(101 << 8)), 101);
        assert_eq!(python_exitcode(ExitStatus::from_raw(15)), -15);
        assert_eq!(python_exitcode(ExitStatus::from_raw(9)), -9);
    }

    #[test]
    fn exit_statuses_are_described_with_the_signal_name() {
        assert_eq!(describe(ExitStatus::from_raw(3 << 8)), "exit code 3");
        assert_eq!(describe(ExitStatus::from_raw(9)), "signal 9 (SIGKILL)");
        assert_eq!(describe(ExitStatus::from_raw(15)), "signal 15 (SIGTERM)");
    }

    #[test]
    fn a_pipe_carries_messages_both_ways_and_reports_a_closed_end() -> anyhow::Result<()> {
        // Both ends in one process: the channels are real sockets all the same.
        let (parent, child) = pipe::<String, u32>()?;
        parent.send("ping".into())?;
        assert_eq!(child.recv()?, "ping");
        child.send(7)?;
        assert_eq!(parent.recv()?, 7);
        assert_eq!(parent.recv_timeout(Duration::from_millis(1))?, None);
        drop(child);
        let error = parent.recv().expect_err("the other end is gone");
        assert_eq!(
            error.to_string(),
            "recv: the other end of the pipe is closed"
        );
        Ok(())
    }
}
