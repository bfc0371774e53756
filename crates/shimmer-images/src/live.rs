//! The latest thumbnail of every live channel, in memory, plus the placeholder. The thumbnailer
//! and the API's `uploadStreamThumbnail` write, the website reads; each entry is an `Arc`, so a
//! reader copies a pointer under a lock held for a map lookup only.
//!
//! The newest picture wins: an uploaded thumbnail replaces the rendered frame and stands until
//! the local thumbnailer renders the channel's next keyframe (only when this process has a hub
//! for the channel; an external ingest has none, so the upload stands until the next upload).
//! An uploaded picture remembers its stream, so it is never shown for a later one and is
//! forgotten when its stream ends.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::{Duration, SystemTime};

use crate::encode::renditions;
use crate::frame::Fit;
use crate::upload::{self, Rules};
use crate::{placeholder, ImageError, Renditions};

/// Largest thumbnail upload accepted (the API's request limit is usually lower).
pub const MAX_UPLOADED_THUMBNAIL_BYTES: usize = 4 * 1024 * 1024;

const UPLOAD_RULES: Rules = Rules {
    plural: "thumbnails",
    empty: "The thumbnail file is empty.",
    max_bytes: MAX_UPLOADED_THUMBNAIL_BYTES,
    refused: ImageError::InvalidThumbnail,
};

/// One live channel's latest thumbnail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveThumbnail {
    /// Both card sizes.
    pub renditions: Renditions,
    /// When it was made (served as `Last-Modified`).
    pub made_at: SystemTime,
    /// The stream an uploaded picture was sent for, so it is never shown for another; `None` for
    /// a frame the local thumbnailer rendered (which goes when the channel's hub ends).
    pub stream_id: Option<i64>,
}

impl LiveThumbnail {
    /// The thumbnail as bytes, to copy it to other nodes: made-at time (ms since the epoch),
    /// stream id (0 for none), then each JPEG with a 4-byte length, small first.
    pub fn to_bytes(&self) -> Vec<u8> {
        let made_at = self
            .made_at
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap_or_default()
            .as_millis() as u64;
        let (small, large) = (&self.renditions.small.bytes, &self.renditions.large.bytes);
        let mut out = Vec::with_capacity(24 + small.len() + large.len());
        out.extend_from_slice(&made_at.to_be_bytes());
        out.extend_from_slice(&self.stream_id.unwrap_or(0).to_be_bytes());
        for jpeg in [small, large] {
            out.extend_from_slice(&(jpeg.len() as u32).to_be_bytes());
            out.extend_from_slice(jpeg);
        }
        out
    }

    /// The thumbnail [`LiveThumbnail::to_bytes`] made, or None for anything else.
    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        let take = |at: usize, len: usize| bytes.get(at..at.checked_add(len)?);
        let made_at = u64::from_be_bytes(take(0, 8)?.try_into().ok()?);
        let stream_id = i64::from_be_bytes(take(8, 8)?.try_into().ok()?);
        let mut at = 16;
        let mut jpegs = Vec::with_capacity(2);
        for _ in 0..2 {
            let len = u32::from_be_bytes(take(at, 4)?.try_into().ok()?) as usize;
            jpegs.push(crate::Jpeg::new(take(at + 4, len)?.to_vec()));
            at += 4 + len;
        }
        if at != bytes.len() {
            return None;
        }
        let large = jpegs.pop()?;
        let small = jpegs.pop()?;
        Some(Self {
            renditions: Renditions { large, small },
            made_at: SystemTime::UNIX_EPOCH + Duration::from_millis(made_at),
            stream_id: (stream_id != 0).then_some(stream_id),
        })
    }
}

/// Told of every change to the thumbnails made in this process (a new one, or a channel's
/// removed), so a cluster can copy them to the nodes that serve pages.
pub trait ThumbnailObserver: Send + Sync + 'static {
    /// `thumbnail` is the channel's new thumbnail, or None when it was removed.
    fn changed(&self, channel_id: i64, thumbnail: Option<Arc<LiveThumbnail>>);
}

/// See the module docs.
pub struct LiveThumbnails {
    by_channel: Mutex<HashMap<i64, Arc<LiveThumbnail>>>,
    placeholder: Renditions,
    live_placeholder: Renditions,
    placeholder_made_at: SystemTime,
    observer: OnceLock<Arc<dyn ThumbnailObserver>>,
}

impl std::fmt::Debug for LiveThumbnails {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LiveThumbnails")
            .field("channels", &self.len())
            .finish()
    }
}

impl LiveThumbnails {
    /// An empty set; draws and encodes the placeholders (a few milliseconds, once).
    pub fn new() -> Result<Self, ImageError> {
        Ok(Self {
            by_channel: Mutex::new(HashMap::new()),
            placeholder: placeholder::renditions_of_placeholder()?,
            live_placeholder: placeholder::renditions_of_live_placeholder()?,
            placeholder_made_at: SystemTime::now(),
            observer: OnceLock::new(),
        })
    }

    /// Sets the observer of this process's changes (once; later calls are ignored).
    pub fn observe(&self, observer: Arc<dyn ThumbnailObserver>) {
        let _ = self.observer.set(observer);
    }

    fn tell(&self, channel_id: i64, thumbnail: Option<Arc<LiveThumbnail>>) {
        if let Some(observer) = self.observer.get() {
            observer.changed(channel_id, thumbnail);
        }
    }

    /// Takes a thumbnail another node made (or forgets one it removed). The observer is not
    /// told: the change came from the cluster.
    pub fn copy_from_cluster(&self, channel_id: i64, thumbnail: Option<LiveThumbnail>) {
        match thumbnail {
            Some(thumbnail) => {
                self.map().insert(channel_id, Arc::new(thumbnail));
            }
            None => {
                self.map().remove(&channel_id);
            }
        }
    }

    fn map(&self) -> MutexGuard<'_, HashMap<i64, Arc<LiveThumbnail>>> {
        // Single inserts and removes cannot leave the map inconsistent, so a poisoned lock is
        // still usable.
        self.by_channel.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The latest thumbnail of a live channel, if one was made in this process.
    pub fn get(&self, channel_id: i64) -> Option<Arc<LiveThumbnail>> {
        self.map().get(&channel_id).cloned()
    }

    /// The neutral picture for channels with neither a live thumbnail nor a poster.
    pub fn placeholder(&self) -> &Renditions {
        &self.placeholder
    }

    /// The picture for a live channel without a frame (before the first one is rendered, or when
    /// its video cannot be decoded) and without a poster: never the offline placeholder.
    pub fn live_placeholder(&self) -> &Renditions {
        &self.live_placeholder
    }

    /// When the placeholders were drawn (served as their `Last-Modified`).
    pub fn placeholder_made_at(&self) -> SystemTime {
        self.placeholder_made_at
    }

    /// Number of channels with a live thumbnail.
    pub fn len(&self) -> usize {
        self.map().len()
    }

    /// True when no channel has a live thumbnail.
    pub fn is_empty(&self) -> bool {
        self.map().is_empty()
    }

    /// Makes a frame rendered from the channel's live stream its thumbnail (the thumbnailer's
    /// write).
    pub fn insert(&self, channel_id: i64, renditions: Renditions) {
        self.store(channel_id, renditions, None);
    }

    fn store(&self, channel_id: i64, renditions: Renditions, stream_id: Option<i64>) {
        let entry = Arc::new(LiveThumbnail {
            renditions,
            made_at: SystemTime::now(),
            stream_id,
        });
        self.map().insert(channel_id, entry.clone());
        self.tell(channel_id, Some(entry));
    }

    /// Makes an uploaded picture (JPEG or PNG, checked by decoding) the live thumbnail of
    /// `channel_id` for its stream `stream_id`, letterboxed into both card sizes like a rendered
    /// frame. A refusal is [`ImageError::InvalidThumbnail`] with a message for the sender.
    /// CPU-bound: run it on a blocking thread.
    pub fn put_uploaded(
        &self,
        channel_id: i64,
        stream_id: i64,
        bytes: &[u8],
    ) -> Result<(), ImageError> {
        let picture = upload::decode(bytes, &UPLOAD_RULES)?;
        let renditions = renditions(&picture, Fit::Letterbox)?;
        self.store(channel_id, renditions, Some(stream_id));
        Ok(())
    }

    /// Forgets the channel's uploaded picture if it was sent for `stream_id`, which has ended.
    /// A rendered frame, or an upload for a newer stream, stays.
    pub fn forget_stream(&self, channel_id: i64, stream_id: i64) {
        let removed = {
            let mut map = self.map();
            let ours = map
                .get(&channel_id)
                .is_some_and(|entry| entry.stream_id == Some(stream_id));
            ours && map.remove(&channel_id).is_some()
        };
        if removed {
            self.tell(channel_id, None);
        }
    }

    /// Forgets the channel's thumbnail (its stream ended on this node).
    pub fn remove(&self, channel_id: i64) {
        let removed = self.map().remove(&channel_id).is_some();
        if removed {
            self.tell(channel_id, None);
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_thumbnail_survives_the_copy_to_another_node() {
        let thumbnails = LiveThumbnails::new().unwrap();
        thumbnails
            .put_uploaded(3, 30, &jpeg(320, 180, [200, 10, 10]))
            .unwrap();
        let made = thumbnails.get(3).unwrap();
        let copied = LiveThumbnail::from_bytes(&made.to_bytes()).unwrap();
        assert_eq!(copied.renditions, made.renditions);
        assert_eq!(copied.stream_id, Some(30));
        let millis = |t: SystemTime| {
            t.duration_since(SystemTime::UNIX_EPOCH)
                .unwrap()
                .as_millis()
        };
        assert_eq!(millis(copied.made_at), millis(made.made_at));
        let bytes = made.to_bytes();
        for cut in [0, 7, 20, bytes.len() - 1] {
            assert!(
                LiveThumbnail::from_bytes(&bytes[..cut]).is_none(),
                "cut at {cut}"
            );
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(LiveThumbnail::from_bytes(&longer).is_none());
    }

    use std::io::Cursor;

    use image::{ImageFormat, Rgb, RgbImage};

    use super::*;

    fn jpeg(width: u32, height: u32, colour: [u8; 3]) -> Vec<u8> {
        let mut bytes = Vec::new();
        RgbImage::from_pixel(width, height, Rgb(colour))
            .write_to(&mut Cursor::new(&mut bytes), ImageFormat::Jpeg)
            .unwrap();
        bytes
    }

    fn refusal(result: Result<(), ImageError>) -> String {
        match result {
            Err(ImageError::InvalidThumbnail(message)) => message,
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn uploads_become_letterboxed_thumbnails_of_their_stream() {
        let thumbnails = LiveThumbnails::new().unwrap();
        thumbnails
            .put_uploaded(7, 70, &jpeg(640, 480, [20, 200, 40]))
            .unwrap();
        let entry = thumbnails.get(7).unwrap();
        assert_eq!(entry.stream_id, Some(70));
        let large = image::load_from_memory(&entry.renditions.large.bytes)
            .unwrap()
            .to_rgb8();
        assert_eq!(large.dimensions(), (832, 468));
        let centre = large.get_pixel(416, 234);
        assert!(centre[1] > 150 && centre[0] < 80, "{centre:?}");
        assert!(
            large.get_pixel(2, 234).0.iter().all(|c| *c < 40),
            "a 4:3 picture is pillarboxed"
        );

        thumbnails.forget_stream(7, 69);
        assert!(
            thumbnails.get(7).is_some(),
            "another stream's end leaves it"
        );
        thumbnails.forget_stream(7, 70);
        assert!(thumbnails.get(7).is_none());

        thumbnails.insert(8, thumbnails.placeholder().clone());
        thumbnails.forget_stream(8, 70);
        assert!(
            thumbnails.get(8).is_some(),
            "rendered frames belong to the hub"
        );
    }

    #[test]
    fn bad_uploads_are_refused_with_reasons_and_change_nothing() {
        let thumbnails = LiveThumbnails::new().unwrap();
        assert!(refusal(thumbnails.put_uploaded(1, 1, b"")).contains("empty"));
        assert!(refusal(thumbnails.put_uploaded(1, 1, b"hello, world"))
            .contains("Thumbnails must be JPEG or PNG"));
        let mut png = Vec::new();
        RgbImage::from_fn(320, 180, |x, y| Rgb([x as u8, y as u8, 0]))
            .write_to(&mut Cursor::new(&mut png), ImageFormat::Png)
            .unwrap();
        assert!(refusal(thumbnails.put_uploaded(1, 1, &png[..png.len() / 2])).contains("damaged"));
        assert!(
            refusal(thumbnails.put_uploaded(1, 1, &jpeg(100, 50, [0, 0, 0])))
                .contains("thumbnails are at least 160×90")
        );
        assert!(thumbnails.is_empty());
    }
}
