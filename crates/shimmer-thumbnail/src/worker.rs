//! The thumbnailer: one task that, for every live channel, renders the latest keyframe about
//! every [`ThumbnailerConfig::interval`].
//!
//! - It learns which channels are live by polling the [`HubRegistry`] (a map lookup each
//!   [`ThumbnailerConfig::poll`]), so a channel's first thumbnail comes within a poll of its first
//!   complete keyframe, and nothing on the ingest's side has to notify it.
//! - It reads the keyframe cache ([`StreamHub::latest_keyframe`]: pointer copies under the hub's
//!   short lock) instead of subscribing, so it costs the ingest nothing between thumbnails.
//! - Rendering runs on tokio's blocking threads, at most [`ThumbnailerConfig::max_concurrent`] at
//!   once; each channel has at most one render in flight, so the work waiting is bounded by the
//!   number of live channels.
//! - A channel whose hub ends (or is replaced by a new session) loses its thumbnail at once, so
//!   a card never shows a frame from an earlier stream.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use shimmer_media::hub::{HubRegistry, MediaPacket, StreamHub};
use tokio::sync::{mpsc, Semaphore};
use tokio_util::sync::CancellationToken;

use shimmer_images::{LiveThumbnails, Renditions};

use crate::{render_keyframe, ThumbnailError};

/// How often and how much the thumbnailer works.
#[derive(Debug, Clone)]
pub struct ThumbnailerConfig {
    /// Time between two thumbnails of one channel (30–60 s suits discovery pages).
    pub interval: Duration,
    /// How often the registry is checked for channels that went live or offline.
    pub poll: Duration,
    /// Time before trying again after a keyframe failed to render.
    pub retry: Duration,
    /// Renders running at once, across all channels.
    pub max_concurrent: usize,
}

impl Default for ThumbnailerConfig {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        Self {
            interval: Duration::from_secs(45),
            poll: Duration::from_secs(1),
            retry: Duration::from_secs(10),
            max_concurrent: (cores / 2).max(1),
        }
    }
}

/// What the loop knows about one live channel.
struct Tracked {
    hub: Arc<StreamHub>,
    /// Distinguishes this session's results from a replaced session's.
    generation: u64,
    next_due: Instant,
    in_flight: bool,
    /// (RTP timestamp, first sequence number) of the keyframe last rendered, so a stalled
    /// stream's unchanged keyframe is not decoded again.
    last_keyframe: Option<(u32, u16)>,
    /// A failure of this stream was logged at WARN; later ones go to DEBUG, so a stream whose
    /// every keyframe fails (e.g. High 4:4:4) says so once instead of every retry.
    warned: bool,
}

/// A finished render, reported back to the loop.
struct Done {
    channel_id: i64,
    generation: u64,
    result: Result<Renditions, ThumbnailError>,
}

/// See the module docs.
pub struct Thumbnailer {
    hubs: Arc<HubRegistry>,
    thumbnails: Arc<LiveThumbnails>,
    config: ThumbnailerConfig,
}

impl Thumbnailer {
    /// A thumbnailer over the live hubs, writing into `thumbnails`.
    pub fn new(
        hubs: Arc<HubRegistry>,
        thumbnails: Arc<LiveThumbnails>,
        config: ThumbnailerConfig,
    ) -> Self {
        Self {
            hubs,
            thumbnails,
            config,
        }
    }

    /// Runs until `shutdown` is cancelled.
    pub async fn run(self, shutdown: CancellationToken) {
        let limit = Arc::new(Semaphore::new(self.config.max_concurrent.max(1)));
        let (done_tx, mut done_rx) = mpsc::channel::<Done>(64);
        let mut tracked: HashMap<i64, Tracked> = HashMap::new();
        let mut generations = 0u64;
        let mut ticker = tokio::time::interval(self.config.poll);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                () = shutdown.cancelled() => break,
                Some(done) = done_rx.recv() => self.finish(&mut tracked, done),
                _ = ticker.tick() => {
                    self.refresh(&mut tracked, &mut generations);
                    self.start_due(&mut tracked, &limit, &done_tx);
                }
            }
        }
    }

    /// Follows channels going live, being replaced and going offline.
    fn refresh(&self, tracked: &mut HashMap<i64, Tracked>, generations: &mut u64) {
        let now = Instant::now();
        for channel_id in self.hubs.channels() {
            let Some(hub) = self.hubs.get(channel_id) else {
                continue;
            };
            let current = tracked
                .get(&channel_id)
                .is_some_and(|t| Arc::ptr_eq(&t.hub, &hub));
            if !current {
                self.thumbnails.remove(channel_id);
                *generations += 1;
                tracked.insert(
                    channel_id,
                    Tracked {
                        hub,
                        generation: *generations,
                        next_due: now,
                        in_flight: false,
                        last_keyframe: None,
                        warned: false,
                    },
                );
            }
        }
        tracked.retain(|channel_id, t| {
            let live = !t.hub.is_ended();
            if !live {
                self.thumbnails.remove(*channel_id);
            }
            live
        });
    }

    /// Starts a render for every channel that is due and has a new keyframe.
    fn start_due(
        &self,
        tracked: &mut HashMap<i64, Tracked>,
        limit: &Arc<Semaphore>,
        done_tx: &mpsc::Sender<Done>,
    ) {
        let now = Instant::now();
        for (&channel_id, t) in tracked.iter_mut() {
            if t.in_flight || now < t.next_due {
                continue;
            }
            let Some(packets) = t.hub.latest_keyframe() else {
                continue;
            };
            let identity = (packets[0].timestamp, packets[0].sequence);
            if t.last_keyframe == Some(identity) {
                continue;
            }
            t.last_keyframe = Some(identity);
            t.in_flight = true;
            let (limit, done_tx, generation) = (Arc::clone(limit), done_tx.clone(), t.generation);
            tokio::spawn(async move {
                let result = render_limited(&limit, packets).await;
                let _ = done_tx
                    .send(Done {
                        channel_id,
                        generation,
                        result,
                    })
                    .await;
            });
        }
    }

    fn finish(&self, tracked: &mut HashMap<i64, Tracked>, done: Done) {
        let Some(t) = tracked.get_mut(&done.channel_id) else {
            return;
        };
        if t.generation != done.generation {
            return;
        }
        t.in_flight = false;
        match done.result {
            Ok(renditions) => {
                metrics::counter!("shimmer_thumbnails_made_total").increment(1);
                self.thumbnails.insert(done.channel_id, renditions);
                t.next_due = Instant::now() + self.config.interval;
            }
            Err(error) => {
                metrics::counter!("shimmer_thumbnail_failures_total", "reason" => reason(&error))
                    .increment(1);
                if t.warned {
                    tracing::debug!(channel_id = done.channel_id, %error, "no thumbnail from this keyframe");
                } else {
                    t.warned = true;
                    tracing::warn!(
                        channel_id = done.channel_id,
                        %error,
                        "no thumbnail from this stream's keyframe (later failures of this stream are logged at DEBUG)"
                    );
                }
                t.next_due = Instant::now() + self.config.retry;
            }
        }
    }
}

/// Renders on a blocking thread once a permit is free.
async fn render_limited(
    limit: &Semaphore,
    packets: Vec<Arc<MediaPacket>>,
) -> Result<Renditions, ThumbnailError> {
    let Ok(_permit) = limit.acquire().await else {
        return Err(ThumbnailError::Decode(
            "the thumbnailer is shutting down".into(),
        ));
    };
    let started = Instant::now();
    let result = tokio::task::spawn_blocking(move || {
        let access_unit = shimmer_media::h264::access_unit_annexb(
            packets.iter().map(|p| (p.sequence, p.payload.as_ref())),
        );
        render_keyframe(&access_unit)
    })
    .await
    .unwrap_or_else(|error| {
        Err(ThumbnailError::Decode(format!(
            "render task failed: {error}"
        )))
    });
    metrics::histogram!("shimmer_thumbnail_duration_seconds")
        .record(started.elapsed().as_secs_f64());
    result
}

fn reason(error: &ThumbnailError) -> &'static str {
    match error {
        ThumbnailError::IncompleteKeyframe(_) => "incomplete_keyframe",
        ThumbnailError::PictureTooLarge { .. } => "too_large",
        ThumbnailError::UnsupportedFormat(_) => "unsupported_format",
        ThumbnailError::Decode(_) | ThumbnailError::NoPicture => "decode",
        ThumbnailError::Image(_) => "encode",
    }
}

#[cfg(test)]
mod tests {
    use bytes::Bytes;
    use shimmer_media::h264::{annexb, packetize_nal, MAX_FTL_RTP_PAYLOAD};
    use shimmer_media::hub::{MediaKind, StreamInfo};
    use shimmer_media::rtp::RtpHeader;

    use super::*;
    use crate::render::tests::{h264_keyframe, quadrants};

    /// Publishes one keyframe (and the marker that completes it) into a new hub.
    fn live_hub(hubs: &HubRegistry, channel_id: i64, keyframe: &[u8]) -> Arc<StreamHub> {
        let info = StreamInfo {
            video: Some(StreamInfo::h264(96, 1)),
            audio: None,
        };
        let hub = hubs.create(channel_id, info);
        let nals = annexb::split_nal_units(keyframe);
        let payloads: Vec<Vec<u8>> = nals
            .iter()
            .flat_map(|nal| packetize_nal(nal, MAX_FTL_RTP_PAYLOAD))
            .collect();
        for (i, payload) in payloads.iter().enumerate() {
            let last = i + 1 == payloads.len();
            let header = RtpHeader::new(96, i as u16, 9000, 1, last);
            hub.publish(MediaPacket::new(
                MediaKind::Video,
                &header,
                Bytes::from(payload.clone()),
                Instant::now(),
            ));
        }
        hub
    }

    async fn wait_for(mut check: impl FnMut() -> bool) -> bool {
        for _ in 0..200 {
            if check() {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        false
    }

    #[tokio::test]
    async fn live_channels_get_thumbnails_and_lose_them_when_they_end() {
        let hubs = Arc::new(HubRegistry::default());
        let thumbnails = Arc::new(LiveThumbnails::new().unwrap());
        let config = ThumbnailerConfig {
            interval: Duration::from_secs(45),
            poll: Duration::from_millis(20),
            retry: Duration::from_millis(50),
            max_concurrent: 1,
        };
        let shutdown = CancellationToken::new();
        let task = tokio::spawn(
            Thumbnailer::new(hubs.clone(), thumbnails.clone(), config).run(shutdown.clone()),
        );
        let keyframe = h264_keyframe(&quadrants());
        let first = live_hub(&hubs, 1, &keyframe);
        let second = live_hub(&hubs, 2, &keyframe);
        assert!(wait_for(|| thumbnails.len() == 2).await, "both thumbnails");
        let made = thumbnails.get(1).unwrap();
        let image = image::load_from_memory(&made.renditions.small.bytes)
            .unwrap()
            .to_rgb8();
        assert_eq!(image.dimensions(), (416, 234));
        assert_ne!(made.renditions.small, thumbnails.placeholder().small);

        hubs.remove(&first);
        assert!(
            wait_for(|| thumbnails.get(1).is_none()).await,
            "gone when offline"
        );
        assert!(thumbnails.get(2).is_some());
        // A garbage "keyframe" fails cleanly and leaves no thumbnail.
        let broken = live_hub(&hubs, 2, &[0, 0, 0, 1, 0x67, 0xff, 0, 0, 0, 1, 0x65, 0]);
        assert!(
            wait_for(|| thumbnails.get(2).is_none()).await,
            "replaced session"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert!(thumbnails.get(2).is_none());
        hubs.remove(&broken);
        drop(second);
        shutdown.cancel();
        task.await.unwrap();
    }

    #[tokio::test]
    async fn uploads_for_channels_without_a_hub_outlive_polls_and_rendered_frames_replace_them() {
        let hubs = Arc::new(HubRegistry::default());
        let thumbnails = Arc::new(LiveThumbnails::new().unwrap());
        let config = ThumbnailerConfig {
            interval: Duration::from_secs(45),
            poll: Duration::from_millis(10),
            retry: Duration::from_millis(50),
            max_concurrent: 1,
        };
        let shutdown = CancellationToken::new();
        let task = tokio::spawn(
            Thumbnailer::new(hubs.clone(), thumbnails.clone(), config).run(shutdown.clone()),
        );
        let mut png = Vec::new();
        image::RgbImage::from_pixel(320, 180, image::Rgb([0, 180, 0]))
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        thumbnails.put_uploaded(5, 50, &png).unwrap();
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert_eq!(
            thumbnails.get(5).unwrap().stream_id,
            Some(50),
            "no hub, no wipe"
        );

        // A local session for the channel starts: its own frames take over.
        let hub = live_hub(&hubs, 5, &h264_keyframe(&quadrants()));
        assert!(
            wait_for(|| thumbnails.get(5).is_some_and(|t| t.stream_id.is_none())).await,
            "the rendered frame replaces the upload"
        );
        hubs.remove(&hub);
        shutdown.cancel();
        task.await.unwrap();
    }
}
