//! The packagers of a node's HLS streams: started by a stream's first HLS request, fed by one task
//! per stream from the hub, stopped when nobody asked for the stream for a while or it ended.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use metrics::{counter, gauge, histogram};
use shimmer_media::hub::{AacFrame, HubEvent, MediaKind, StreamHub, SubscriberOptions};
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;

use crate::packager::{Output, Packager, PackagerConfig};
use crate::playlist::Names;

/// Where the HLS routes find channels and their streams. The embedding server implements it: by
/// its database for names, and by its hub registry (and, on an edge, the relay) for streams.
#[async_trait]
pub trait StreamSource: Send + Sync + 'static {
    /// The channel id a URL's name stands for.
    async fn channel(&self, name: &str) -> Option<i64>;
    /// The channel's live hub on this node (pulled from its ingest if need be), or None when the
    /// channel is not live.
    async fn hub(&self, channel_id: i64) -> Option<Arc<StreamHub>>;
}

/// Hears HLS viewers come and go, so the platform counts them with the WebRTC viewers. A viewer
/// is an address and browser pair (no cookie crosses to an edge); it leaves when it has made no
/// request for [`HlsConfig::viewer_linger`], or when packaging stops.
pub trait ViewerEvents: Send + Sync + 'static {
    /// A viewer began watching; `session` is unique to this viewer and packaging run.
    fn joined(&self, channel_id: i64, session: String, viewer_key: String);
    /// That viewer stopped.
    fn left(&self, channel_id: i64, session: String);
}

/// Settings of the HLS service.
#[derive(Debug, Clone)]
pub struct HlsConfig {
    /// Part and segment sizes.
    pub packager: PackagerConfig,
    /// A stream nobody requested for this long stops being packaged.
    pub idle: Duration,
    /// Longest a blocking request is held.
    pub hold: Duration,
    /// A viewer counts as watching for this long after its last request.
    pub viewer_linger: Duration,
}

impl Default for HlsConfig {
    fn default() -> Self {
        Self {
            packager: PackagerConfig::default(),
            idle: Duration::from_secs(30),
            hold: Duration::from_secs(6),
            viewer_linger: Duration::from_secs(15),
        }
    }
}

/// How far back a new packager takes the encoder's AAC (the hub keeps about 4 s).
const AAC_BACKLOG: Duration = Duration::from_secs(5);

/// Hub events held while waiting for the first audio packet, at most (a stream announced with
/// audio that sends none is packaged without waiting longer).
const CHOOSE_WITHIN: usize = 2000;

/// How far a stream's packaging has come: what blocked requests wait on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    /// The init segment exists.
    pub init: bool,
    /// The segment being filled.
    pub msn: u64,
    /// Parts it has so far.
    pub parts: usize,
    /// The stream ended (or packaging stopped).
    pub ended: bool,
}

impl Progress {
    /// True once part `index` of segment `msn` exists (or that segment is complete).
    pub fn has_part(&self, msn: u64, index: usize) -> bool {
        self.msn > msn || (self.msn == msn && self.parts > index)
    }
}

/// One stream being packaged.
pub struct LiveStream {
    /// Its file names.
    pub names: Names,
    packager: Mutex<Packager>,
    progress: watch::Receiver<Progress>,
    last_request: Mutex<Instant>,
    viewers: Mutex<HashMap<u64, Instant>>,
    channel_id: i64,
    events: Option<Arc<dyn ViewerEvents>>,
    stop: CancellationToken,
}

impl LiveStream {
    /// The packager, to read its window.
    pub fn packager(&self) -> MutexGuard<'_, Packager> {
        self.packager
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The current progress.
    pub fn progress(&self) -> Progress {
        *self.progress.borrow()
    }

    /// Waits up to `hold` until `ready` holds; returns the progress then (check it again).
    pub async fn wait_until(&self, hold: Duration, ready: impl Fn(&Progress) -> bool) -> Progress {
        let mut progress = self.progress.clone();
        let _ = tokio::time::timeout(
            hold,
            progress.wait_for(|progress| progress.ended || ready(progress)),
        )
        .await;
        let now = *progress.borrow();
        now
    }

    fn touch(&self, viewer: u64, now: Instant) {
        *self.last_request.lock().unwrap_or_else(|p| p.into_inner()) = now;
        let new = self
            .viewers
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(viewer, now)
            .is_none();
        if let (true, Some(events)) = (new, &self.events) {
            events.joined(
                self.channel_id,
                self.session_of(viewer),
                format!("hls-{viewer:016x}"),
            );
        }
    }

    fn session_of(&self, viewer: u64) -> String {
        format!("hls-{}-{viewer:016x}", self.names.run)
    }

    fn idle_since(&self) -> Instant {
        *self.last_request.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Viewers seen within `linger`, forgetting older ones (they leave).
    fn count_viewers(&self, now: Instant, linger: Duration) -> usize {
        let mut viewers = self.viewers.lock().unwrap_or_else(|p| p.into_inner());
        let mut gone = Vec::new();
        viewers.retain(|viewer, seen| {
            let stays = now.duration_since(*seen) < linger;
            if !stays {
                gone.push(*viewer);
            }
            stays
        });
        let count = viewers.len();
        drop(viewers);
        self.leave(gone);
        count
    }

    /// Every viewer leaves (packaging stopped).
    fn leave_all(&self) {
        let gone: Vec<u64> = self
            .viewers
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .drain()
            .map(|(viewer, _)| viewer)
            .collect();
        self.leave(gone);
    }

    fn leave(&self, viewers: Vec<u64>) {
        if let Some(events) = &self.events {
            for viewer in viewers {
                events.left(self.channel_id, self.session_of(viewer));
            }
        }
    }
}

/// The node's HLS streams.
#[derive(Clone)]
pub struct HlsService {
    inner: Arc<Inner>,
}

struct Inner {
    config: HlsConfig,
    source: Arc<dyn StreamSource>,
    streams: Mutex<HashMap<i64, Arc<LiveStream>>>,
    events: Option<Arc<dyn ViewerEvents>>,
    shutdown: CancellationToken,
}

impl HlsService {
    /// A service finding streams through `source`, telling `events` (if any) of its viewers;
    /// its tasks end on `shutdown`.
    pub fn new(
        config: HlsConfig,
        source: Arc<dyn StreamSource>,
        events: Option<Arc<dyn ViewerEvents>>,
        shutdown: CancellationToken,
    ) -> Self {
        Self {
            inner: Arc::new(Inner {
                config,
                source,
                streams: Mutex::new(HashMap::new()),
                events,
                shutdown,
            }),
        }
    }

    /// The settings.
    pub fn config(&self) -> &HlsConfig {
        &self.inner.config
    }

    /// The source of channels.
    pub fn source(&self) -> &Arc<dyn StreamSource> {
        &self.inner.source
    }

    fn streams(&self) -> MutexGuard<'_, HashMap<i64, Arc<LiveStream>>> {
        self.inner
            .streams
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The channel's stream, packaging it if it is live and not packaged yet; `viewer` is a
    /// hash of who asks (counted as an HLS viewer).
    pub async fn stream(&self, channel_id: i64, viewer: u64) -> Option<Arc<LiveStream>> {
        let now = Instant::now();
        let existing = self.streams().get(&channel_id).cloned();
        if let Some(stream) = existing.filter(|stream| !stream.progress().ended) {
            stream.touch(viewer, now);
            return Some(stream);
        }
        let hub = self.inner.source.hub(channel_id).await?;
        if hub.is_ended() {
            return None;
        }
        let stream = {
            let mut streams = self.streams();
            match streams.get(&channel_id) {
                Some(stream) if !stream.progress().ended => stream.clone(),
                _ => {
                    let stream = self.start(channel_id, hub);
                    streams.insert(channel_id, stream.clone());
                    stream
                }
            }
        };
        stream.touch(viewer, now);
        Some(stream)
    }

    fn start(&self, channel_id: i64, hub: Arc<StreamHub>) -> Arc<LiveStream> {
        let (progress_tx, progress_rx) = watch::channel(Progress::default());
        let packager = Packager::new(&hub.info(), self.inner.config.packager.clone());
        let stream = Arc::new(LiveStream {
            names: Names {
                run: format!("{:08x}", rand::random::<u32>()),
            },
            packager: Mutex::new(packager),
            progress: progress_rx,
            last_request: Mutex::new(Instant::now()),
            viewers: Mutex::new(HashMap::new()),
            channel_id,
            events: self.inner.events.clone(),
            stop: self.inner.shutdown.child_token(),
        });
        let subscriber = hub.subscribe(SubscriberOptions {
            queue_capacity: Some(4096),
            ..Default::default()
        });
        tracing::info!(channel_id, run = %stream.names.run, "HLS packaging started");
        counter!("shimmer_hls_packagers_started_total").increment(1);
        let service = self.clone();
        tokio::spawn(service.run(channel_id, hub, stream.clone(), subscriber, progress_tx));
        stream
    }

    async fn run(
        self,
        channel_id: i64,
        hub: Arc<StreamHub>,
        stream: Arc<LiveStream>,
        mut subscriber: shimmer_media::hub::Subscriber,
        progress: watch::Sender<Progress>,
    ) {
        let config = self.inner.config.clone();
        // The audio track is chosen at the first audio packet: an RTMP encoder's AAC header
        // comes before any Opus made from its AAC, so by then the hub knows whether the encoder
        // sends AAC (packaged as sent) or not (the hub's Opus is). Video waits until then.
        let mut choosing = hub.info().audio.is_some();
        let mut held = Vec::new();
        let mut aac: Option<tokio::sync::mpsc::Receiver<Arc<AacFrame>>> = None;
        let mut ticker = tokio::time::interval(Duration::from_secs(1));
        let reason = loop {
            tokio::select! {
                // Video first: the cached keyframe and what followed it anchor the timeline
                // before the audio is placed on it.
                biased;
                () = stream.stop.cancelled() => break "shutdown",
                event = subscriber.recv() => {
                    let Some(event) = event else { break "stream ended" };
                    if choosing {
                        let audio = matches!(&event, HubEvent::Packet(packet) if packet.kind == MediaKind::Audio);
                        held.push(event);
                        if !audio && held.len() < CHOOSE_WITHIN {
                            continue;
                        }
                        choosing = false;
                        // From as far back as the hub keeps it: the video starts at the cached
                        // keyframe, up to a GOP ago.
                        let since = Instant::now().checked_sub(AAC_BACKLOG).unwrap_or_else(Instant::now);
                        if let Some((aac_config, frames)) = hub.subscribe_aac(since) {
                            if stream.packager().use_aac(aac_config) {
                                aac = Some(frames);
                            }
                        }
                    } else {
                        held.push(event);
                    }
                    let mut failed = false;
                    for event in held.drain(..) {
                        let outputs = stream.packager().push(&event);
                        failed |= !take(outputs, &progress, channel_id);
                    }
                    if failed {
                        break "packaging failed";
                    }
                }
                Some(frame) = next_aac(&mut aac) => {
                    let outputs = stream.packager().push_aac(&frame);
                    if !take(outputs, &progress, channel_id) {
                        break "packaging failed";
                    }
                }
                _ = ticker.tick() => {
                    let now = Instant::now();
                    let viewers = stream.count_viewers(now, config.viewer_linger);
                    gauge!("shimmer_hls_viewers", "channel" => channel_id.to_string())
                        .set(viewers as f64);
                    if now.duration_since(stream.idle_since()) > config.idle {
                        break "idle";
                    }
                }
            }
        };
        progress.send_modify(|progress| progress.ended = true);
        stream.leave_all();
        gauge!("shimmer_hls_viewers", "channel" => channel_id.to_string()).set(0.0);
        {
            let mut streams = self.streams();
            if streams
                .get(&channel_id)
                .is_some_and(|current| Arc::ptr_eq(current, &stream))
            {
                streams.remove(&channel_id);
            }
        }
        tracing::info!(channel_id, reason, "HLS packaging stopped");
    }
}

/// Notes what the packager made; false when it failed.
fn take(
    outputs: Result<Vec<Output>, crate::fmp4::Fmp4Error>,
    progress: &watch::Sender<Progress>,
    channel_id: i64,
) -> bool {
    match outputs {
        Ok(outputs) => {
            note(&outputs, progress);
            true
        }
        Err(error) => {
            tracing::warn!(channel_id, %error, "HLS packaging failed");
            false
        }
    }
}

/// The next AAC frame, or never when the stream has no AAC side track (or it ended).
async fn next_aac(
    aac: &mut Option<tokio::sync::mpsc::Receiver<Arc<AacFrame>>>,
) -> Option<Arc<AacFrame>> {
    match aac {
        Some(frames) => frames.recv().await,
        None => std::future::pending().await,
    }
}

fn note(outputs: &[Output], progress: &watch::Sender<Progress>) {
    for output in outputs {
        match output {
            Output::Init => progress.send_modify(|progress| progress.init = true),
            Output::Part {
                msn,
                index,
                bytes,
                first_received,
            } => {
                if let Some(received) = first_received {
                    histogram!("shimmer_hls_part_delay_seconds")
                        .record(received.elapsed().as_secs_f64());
                }
                counter!("shimmer_hls_parts_total").increment(1);
                counter!("shimmer_hls_packaged_bytes_total").increment(*bytes as u64);
                progress.send_modify(|progress| {
                    progress.msn = *msn;
                    progress.parts = index + 1;
                });
            }
            Output::Segment { msn } => progress.send_modify(|progress| {
                progress.msn = msn + 1;
                progress.parts = 0;
            }),
        }
    }
}
