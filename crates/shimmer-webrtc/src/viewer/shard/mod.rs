//! The tokio tasks that run viewer cores: a few drivers (one per CPU by default), each running
//! many viewers.
//!
//! One task per viewer would cost a task wake-up per viewer for every packet run, a hub queue
//! per viewer, and a system call per viewer per run. A driver instead:
//! - reads each stream it serves from one hub subscription ([`group`]) and hands every batch to
//!   all its viewers of that stream in one pass;
//! - gathers every datagram its viewers produced in that pass and sends them together
//!   ([`shimmer_udp::BatchSender`]: `sendmmsg`, one GSO message per viewer's run);
//! - keeps its viewers' deadlines in one queue ([`timers`]) and wakes for the earliest;
//! - reads its viewers' datagrams from one inbox (the demux tags each with the viewer's key).
//!
//! The cores stay sans-IO (see [`super::machine`]); a driver only moves their inputs and outputs.
//! A viewer's end (DELETE, stream end, timeout, failure) is handled by the driver alone, and the
//! engine learns of it through [`SessionObserver::ended`].

mod group;
mod timers;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::Poll;
use std::time::{Duration, Instant};

use shimmer_media::{HubEvent, MediaPacket, StreamHub};
use shimmer_udp::{BatchSender, SendError};
use tokio::net::UdpSocket;
use tokio::sync::{mpsc, watch};

use super::machine::{Action, ViewerCore};
use super::EndReason;
use crate::demux::Datagram;
use crate::metrics::NodeCounters;
use group::{Group, Membership};
use timers::{Scheduled, Timers};

/// Most hub packets handed to the viewers in one pass before the driver checks its other inputs.
const FORWARD_BATCH: usize = 64;
/// Most datagrams from viewers handled in one pass.
const INBOX_BATCH: usize = 128;
/// Datagrams queued for one driver between the demux and the driver.
const INBOX_DATAGRAMS: usize = 4096;
/// How long datagrams the socket refused wait for room before they are dropped.
const PENDING_LIMIT: Duration = Duration::from_millis(200);

/// Callbacks out of a viewer's life (join, leave), so drivers do not know about the bus.
pub(crate) trait SessionObserver: Send + Sync + 'static {
    fn connected(&self, id: &str, channel_id: i64, viewer_key: Option<String>);
    fn ended(&self, id: &str, channel_id: i64, ufrag: &str, joined: bool, reason: EndReason);
}

/// A viewer handed to a driver: its core and what identifies it to the engine.
pub(crate) struct NewViewer {
    /// The driver's key for it: the demux tags its datagrams with it.
    pub(crate) key: u64,
    pub(crate) core: ViewerCore,
    pub(crate) id: String,
    pub(crate) channel_id: i64,
    pub(crate) viewer_key: Option<String>,
    pub(crate) ufrag: String,
    pub(crate) hub: Arc<StreamHub>,
}

enum Command {
    Add(Box<NewViewer>),
    /// WHEP DELETE.
    End(u64),
}

/// What a driver shares with the engine.
pub(crate) struct DriverIo {
    pub(crate) socket: Arc<UdpSocket>,
    pub(crate) shutdown: watch::Receiver<bool>,
    pub(crate) queue_packets: usize,
    pub(crate) node: Arc<NodeCounters>,
    pub(crate) observer: Arc<dyn SessionObserver>,
}

/// The engine's handle to one driver task.
pub(crate) struct Driver {
    commands: mpsc::UnboundedSender<Command>,
    inbox: mpsc::Sender<Datagram>,
    viewers: Arc<AtomicUsize>,
}

impl Driver {
    /// Starts a driver task that sends through `sender` (made for `io.socket`).
    pub(crate) fn spawn(io: DriverIo, sender: BatchSender) -> Self {
        let (commands, commands_rx) = mpsc::unbounded_channel();
        let (inbox, inbox_rx) = mpsc::channel(INBOX_DATAGRAMS);
        let viewers = Arc::new(AtomicUsize::new(0));
        let task = Task::new(io, sender, commands_rx, inbox_rx, Arc::clone(&viewers));
        tokio::spawn(task.run());
        Self {
            commands,
            inbox,
            viewers,
        }
    }

    /// Viewers on this driver (for placing new ones on the least busy).
    pub(crate) fn load(&self) -> usize {
        self.viewers.load(Ordering::Relaxed)
    }

    /// Where the demux sends this driver's datagrams.
    pub(crate) fn inbox(&self) -> mpsc::Sender<Datagram> {
        self.inbox.clone()
    }

    /// Whether the driver still runs (it stops at shutdown, or if a defect made it panic).
    pub(crate) fn is_running(&self) -> bool {
        !self.commands.is_closed()
    }

    /// Hands a viewer over. False when the driver has stopped.
    pub(crate) fn add(&self, viewer: NewViewer) -> bool {
        self.viewers.fetch_add(1, Ordering::Relaxed);
        if self.commands.send(Command::Add(Box::new(viewer))).is_err() {
            self.viewers.fetch_sub(1, Ordering::Relaxed);
            return false;
        }
        true
    }

    /// Ends a viewer as its WHEP DELETE asks.
    pub(crate) fn end(&self, key: u64) {
        let _ = self.commands.send(Command::End(key));
    }
}

/// One viewer inside a driver.
struct Viewer {
    core: ViewerCore,
    id: String,
    channel_id: i64,
    viewer_key: Option<String>,
    ufrag: String,
    hub: Arc<StreamHub>,
    /// Set once subscribed: where it stands in its group's stream.
    membership: Option<Membership>,
    scheduled: Scheduled,
    /// Listed in [`Task::touched`] for the end of this pass.
    touched: bool,
}

/// The driver task's state.
struct Task {
    io: DriverIo,
    commands: mpsc::UnboundedReceiver<Command>,
    inbox: mpsc::Receiver<Datagram>,
    load: Arc<AtomicUsize>,
    viewers: HashMap<u64, Viewer>,
    groups: Vec<Group>,
    /// Where the next poll of the groups starts, so a busy stream cannot starve the others.
    next_group: usize,
    timers: Timers,
    /// Viewers given an input in this pass: their actions, datagrams and deadlines are collected
    /// at its end.
    touched: Vec<u64>,
    /// Every datagram of this pass, per viewer in order.
    outbox: Vec<(SocketAddr, Vec<u8>)>,
    /// What the socket refused, sent first when it has room again (order is kept).
    pending: Vec<(SocketAddr, Vec<u8>)>,
    pending_since: Option<Instant>,
    sender: BatchSender,
    batch: Vec<Arc<MediaPacket>>,
    selected: Vec<Arc<MediaPacket>>,
    shutting_down: bool,
    commands_closed: bool,
}

impl Task {
    fn new(
        io: DriverIo,
        sender: BatchSender,
        commands: mpsc::UnboundedReceiver<Command>,
        inbox: mpsc::Receiver<Datagram>,
        load: Arc<AtomicUsize>,
    ) -> Self {
        Self {
            io,
            commands,
            inbox,
            load,
            viewers: HashMap::new(),
            groups: Vec::new(),
            next_group: 0,
            timers: Timers::default(),
            touched: Vec::new(),
            outbox: Vec::new(),
            pending: Vec::new(),
            pending_since: None,
            sender,
            batch: Vec::with_capacity(FORWARD_BATCH),
            selected: Vec::new(),
            shutting_down: false,
            commands_closed: false,
        }
    }

    async fn run(mut self) {
        let far = || Instant::now() + Duration::from_secs(3600);
        let sleep = tokio::time::sleep_until(far().into());
        tokio::pin!(sleep);
        loop {
            if self.shutting_down && self.viewers.is_empty() && self.pending.is_empty() {
                break;
            }
            let pending_limit = self.pending_since.map(|since| since + PENDING_LIMIT);
            match self.timers.next().into_iter().chain(pending_limit).min() {
                Some(wake) if sleep.deadline() != wake.into() => sleep.as_mut().reset(wake.into()),
                // Nothing to wait for: an idle deadline, moved only once it has passed.
                None if sleep.is_elapsed() => sleep.as_mut().reset(far().into()),
                _ => {}
            }
            // Unbiased: under load no input (a flood of datagrams, a busy stream) starves the
            // others.
            tokio::select! {
                _ = self.io.shutdown.changed(), if !self.shutting_down => self.shut_down(),
                command = self.commands.recv(), if !self.commands_closed => match command {
                    Some(Command::Add(viewer)) => self.add(*viewer),
                    Some(Command::End(key)) => self.end(key, EndReason::Deleted),
                    // The engine is gone.
                    None => {
                        self.commands_closed = true;
                        self.shut_down();
                    }
                },
                d = self.inbox.recv(), if !self.shutting_down => match d {
                    Some(d) => self.on_datagrams(d),
                    // Only the engine closes it (its demux stops at shutdown).
                    None => self.shut_down(),
                },
                ready = self.io.socket.writable(), if !self.pending.is_empty() => {
                    if ready.is_ok() {
                        self.flush_pending();
                    }
                }
                (index, event) = poll_groups(&mut self.groups, &mut self.next_group) => {
                    self.on_hub_events(index, event);
                }
                _ = &mut sleep => {}
            }
            // Deadlines are kept whichever input woke the driver.
            if self.timers.next().is_some_and(|at| at <= Instant::now())
                || self.pending_since.is_some()
            {
                self.on_timers();
            }
            self.settle();
            self.transmit();
        }
        tracing::debug!("viewer driver stopped");
    }

    fn touch(&mut self, key: u64) {
        if let Some(v) = self.viewers.get_mut(&key) {
            if !v.touched {
                v.touched = true;
                self.touched.push(key);
            }
        }
    }

    fn add(&mut self, viewer: NewViewer) {
        let key = viewer.key;
        self.viewers.insert(
            key,
            Viewer {
                core: viewer.core,
                id: viewer.id,
                channel_id: viewer.channel_id,
                viewer_key: viewer.viewer_key,
                ufrag: viewer.ufrag,
                hub: viewer.hub,
                membership: None,
                scheduled: Scheduled::default(),
                touched: false,
            },
        );
        if self.shutting_down {
            // Handed over while the engine was stopping: it ends at once, like the rest.
            self.end(key, EndReason::Shutdown);
        } else {
            self.touch(key);
        }
    }

    /// Ends every viewer, telling each (engine shutdown); the loop then stops once the last
    /// datagrams left.
    fn shut_down(&mut self) {
        self.shutting_down = true;
        let keys: Vec<u64> = self.viewers.keys().copied().collect();
        for key in keys {
            self.end(key, EndReason::Shutdown);
        }
    }

    fn on_datagrams(&mut self, first: Datagram) {
        let mut next = Some(first);
        let mut handled = 0;
        while let Some(d) = next {
            if let Some(v) = self.viewers.get_mut(&d.route) {
                v.core.handle_datagram(d.received_at, d.source, &d.data);
                self.touch(d.route);
            }
            handled += 1;
            next = if handled < INBOX_BATCH {
                self.inbox.try_recv().ok()
            } else {
                None
            };
        }
    }

    /// Forwards `first` and what else the group's subscription holds, up to a batch, to every
    /// member.
    fn on_hub_events(&mut self, index: usize, first: Option<HubEvent>) {
        let mut event = first;
        let mut ended = false;
        loop {
            match event {
                None => {
                    ended = true;
                    break;
                }
                Some(HubEvent::Packet(p)) => self.batch.push(p),
                Some(HubEvent::Resync { skipped }) => {
                    self.forward(index);
                    for key in self.groups[index].members.clone() {
                        if let Some(v) = self.viewers.get_mut(&key) {
                            v.core.resync(skipped);
                        }
                    }
                }
            }
            if self.batch.len() >= FORWARD_BATCH {
                break;
            }
            match self.groups[index].subscriber.try_recv() {
                Ok(e) => event = Some(e),
                Err(shimmer_media::hub::TryRecvError::Ended) => event = None,
                Err(shimmer_media::hub::TryRecvError::Empty) => break,
            }
        }
        self.forward(index);
        if ended {
            for key in self.groups[index].members.clone() {
                self.end(key, EndReason::StreamEnded);
            }
        }
    }

    /// Hands the batch to every member of group `index`, each from where it stands.
    fn forward(&mut self, index: usize) {
        if self.batch.is_empty() {
            return;
        }
        let now = Instant::now();
        let group = &self.groups[index];
        for &key in &group.members {
            let Some(v) = self.viewers.get_mut(&key) else {
                continue;
            };
            let Some(membership) = v.membership.as_mut() else {
                continue;
            };
            if group.select(membership, &self.batch, &mut self.selected) {
                if self.selected.is_empty() {
                    continue;
                }
                v.core.forward(now, &self.selected);
            } else {
                v.core.forward(now, &self.batch);
            }
            if !v.touched {
                v.touched = true;
                self.touched.push(key);
            }
        }
        self.batch.clear();
        self.selected.clear();
    }

    fn on_timers(&mut self) {
        let now = Instant::now();
        while let Some((key, at)) = self.timers.pop_due(now) {
            let Some(v) = self.viewers.get_mut(&key) else {
                continue;
            };
            if !Timers::fired(at, &mut v.scheduled) {
                continue;
            }
            if !v.core.is_connected() && v.hub.is_ended() {
                self.end(key, EndReason::StreamEnded);
                continue;
            }
            if v.core.timeout() <= now {
                v.core.handle_timeout(now);
            }
            self.touch(key);
        }
        if self
            .pending_since
            .is_some_and(|since| now.duration_since(since) >= PENDING_LIMIT)
        {
            self.send_errors(self.pending.len() as u64);
            self.pending.clear();
            self.pending_since = None;
        }
    }

    /// The end of a pass: each touched viewer's actions, datagrams, end and next deadline.
    fn settle(&mut self) {
        while let Some(key) = self.touched.pop() {
            let Some(v) = self.viewers.get_mut(&key) else {
                continue;
            };
            v.touched = false;
            while let Some(action) = v.core.poll_action() {
                match action {
                    Action::Connected => {
                        self.io
                            .observer
                            .connected(&v.id, v.channel_id, v.viewer_key.clone())
                    }
                    Action::Subscribe { join } => {
                        self.subscribe(key, join);
                        break;
                    }
                    Action::RequestKeyframe => v.hub.request_keyframe(),
                }
            }
            let Some(v) = self.viewers.get_mut(&key) else {
                continue;
            };
            if v.touched {
                // Subscribing gave it more to do: it comes round again in this loop.
                continue;
            }
            v.core.take_transmits(&mut self.outbox);
            if let Some(reason) = v.core.ended() {
                self.end(key, reason);
                continue;
            }
            let at = v.core.timeout();
            self.timers.schedule(key, at, &mut v.scheduled);
        }
    }

    /// Starts (or starts over) viewer `key` on its stream: the group of its hub, created when
    /// it is the driver's first viewer of the stream.
    fn subscribe(&mut self, key: u64, join: bool) {
        let Some(v) = self.viewers.get(&key) else {
            return;
        };
        let index = match self.groups.iter().position(|g| Arc::ptr_eq(&g.hub, &v.hub)) {
            Some(index) => index,
            None => {
                self.groups
                    .push(Group::new(Arc::clone(&v.hub), self.io.queue_packets));
                self.groups.len() - 1
            }
        };
        let (membership, backlog) = self.groups[index].join(key);
        let Some(v) = self.viewers.get_mut(&key) else {
            return;
        };
        let now = Instant::now();
        v.membership = Some(membership);
        v.core.subscribed(now, join, !backlog.is_empty());
        v.core.forward(now, &backlog);
        self.touch(key);
    }

    /// Ends viewer `key` for `reason` (or the reason it already ended for), sending what it
    /// says last, and tells the engine.
    fn end(&mut self, key: u64, reason: EndReason) {
        let Some(mut v) = self.viewers.remove(&key) else {
            return;
        };
        let joined = v.core.is_connected();
        let reason = v.core.finish(Instant::now(), reason);
        v.core.take_transmits(&mut self.outbox);
        if v.membership.is_some() {
            if let Some(index) = self.groups.iter().position(|g| Arc::ptr_eq(&g.hub, &v.hub)) {
                if self.groups[index].leave(key) {
                    self.groups.swap_remove(index);
                }
            }
        }
        self.load.fetch_sub(1, Ordering::Relaxed);
        self.io
            .observer
            .ended(&v.id, v.channel_id, &v.ufrag, joined, reason);
        tracing::debug!(session = %v.id, channel = v.channel_id, ?reason, "viewer session ended");
    }

    /// Sends this pass's datagrams, after whatever the socket refused before.
    fn transmit(&mut self) {
        if self.outbox.is_empty() {
            return;
        }
        if !self.pending.is_empty() {
            self.pending.append(&mut self.outbox);
            return;
        }
        let mut outbox = std::mem::take(&mut self.outbox);
        let sent = self.send(&outbox);
        if sent < outbox.len() {
            self.pending.extend(outbox.drain(sent..));
            self.pending_since = Some(Instant::now());
        }
        outbox.clear();
        self.outbox = outbox;
    }

    fn flush_pending(&mut self) {
        let mut pending = std::mem::take(&mut self.pending);
        let sent = self.send(&pending);
        pending.drain(..sent);
        if pending.is_empty() {
            self.pending_since = None;
        }
        self.pending = pending;
    }

    /// Sends from the front of `list` until the socket is full. Returns how many datagrams are
    /// done with (sent, or refused for good and counted as errors).
    fn send(&mut self, list: &[(SocketAddr, Vec<u8>)]) -> usize {
        let mut done = 0;
        while done < list.len() {
            match self.sender.try_send(&self.io.socket, &list[done..]) {
                Ok(n) => {
                    let bytes = list[done..done + n]
                        .iter()
                        .map(|(_, d)| d.len() as u64)
                        .sum();
                    self.io.node.sent(n as u64, bytes);
                    done += n;
                }
                Err(SendError::WouldBlock) => break,
                Err(SendError::Failed { datagrams, source }) => {
                    tracing::trace!(error = %source, "viewer datagrams not sent");
                    self.send_errors(datagrams as u64);
                    done += datagrams;
                }
            }
        }
        done
    }

    fn send_errors(&self, n: u64) {
        self.io.node.send_errors.fetch_add(n, Ordering::Relaxed);
    }
}

impl Drop for Task {
    /// A driver that panics reports each viewer it had as failed, so the engine forgets them
    /// and their routes.
    fn drop(&mut self) {
        // A runtime dropped with the driver still in it is the process (or a test) ending:
        // nothing to tell.
        if !std::thread::panicking() {
            return;
        }
        for (_, v) in self.viewers.drain() {
            let joined = v.core.is_connected();
            self.load.fetch_sub(1, Ordering::Relaxed);
            self.io
                .observer
                .ended(&v.id, v.channel_id, &v.ufrag, joined, EndReason::Failed);
        }
    }
}

/// The next event of any group, polling from `next` round the list; never ready without groups.
async fn poll_groups(groups: &mut [Group], next: &mut usize) -> (usize, Option<HubEvent>) {
    std::future::poll_fn(|cx| {
        let n = groups.len();
        for i in 0..n {
            let index = (*next + i) % n;
            if let Poll::Ready(event) = groups[index].subscriber.poll_recv(cx) {
                *next = (index + 1) % n;
                return Poll::Ready((index, event));
            }
        }
        Poll::Pending
    })
    .await
}
