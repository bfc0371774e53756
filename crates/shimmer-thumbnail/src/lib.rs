#![warn(missing_docs)]
//! # shimmer-thumbnail: stream thumbnails and channel posters
//!
//! Discovery pages show every channel as a card with a picture: the live stream's latest frame
//! while it is live, else the streamer's poster, else a neutral placeholder. This crate makes all
//! three, always as JPEGs in the site's two card sizes ([`ThumbnailSize`]).
//!
//! ```text
//!  StreamHub keyframe cache ──► worker::Thumbnailer (own task, every ~45 s per live channel)
//!        │ latest_keyframe(): pointers copied under the hub's short lock
//!        ▼
//!  h264::access_unit_annexb ──► spawn_blocking (at most N at once):
//!        decode::decode_keyframe (OpenH264) ──► frame::fit (letterbox) ──► JPEG, both sizes
//!        ▼
//!  live::LiveThumbnails (in memory, per channel) ──► served by the website
//!        ▲
//!  API uploadStreamThumbnail (external ingest) ──► LiveThumbnails::put_uploaded
//!        (decode with limits, letterbox, JPEG)
//!
//!  poster upload ──► poster::prepare (decode with limits, crop to fill, JPEG) ──► database
//! ```
//!
//! A channel shows the newest picture written, whoever wrote it: an uploaded thumbnail stands
//! until the local thumbnailer renders the channel's next keyframe (when this process has a hub
//! for it), the next upload, or the end of its stream.
//!
//! The ingest never waits on any of this (ARCHITECTURE rule 1): the thumbnailer only reads the
//! keyframe cache, and decoding runs on blocking threads behind a semaphore so two hundred live
//! channels cannot starve the machine.

pub mod decode;
mod error;
pub mod frame;
pub mod live;
pub mod placeholder;
pub mod poster;
pub mod render;
mod upload;
pub mod worker;

use bytes::Bytes;
use sha2::{Digest, Sha256};

pub use error::ThumbnailError;
pub use live::{LiveThumbnail, LiveThumbnails};
pub use render::render_keyframe;
pub use worker::{Thumbnailer, ThumbnailerConfig};

/// The two card sizes the site uses, both 16:9.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ThumbnailSize {
    /// 416×234: the home page's and directory's cards.
    Small,
    /// 832×468: large cards and high-density screens.
    Large,
}

impl ThumbnailSize {
    /// Both sizes, largest first (the small one is scaled from the large one).
    pub const ALL: [ThumbnailSize; 2] = [ThumbnailSize::Large, ThumbnailSize::Small];

    /// Width and height in pixels.
    pub fn dimensions(self) -> (u32, u32) {
        match self {
            Self::Small => (416, 234),
            Self::Large => (832, 468),
        }
    }

    /// The width, which names the size in URLs (`/thumbnail/416.jpg`).
    pub fn width(self) -> u32 {
        self.dimensions().0
    }

    /// The size named by a width in a URL, if it is one of ours.
    pub fn from_width(width: &str) -> Option<Self> {
        match width {
            "416" => Some(Self::Small),
            "832" => Some(Self::Large),
            _ => None,
        }
    }
}

/// One encoded JPEG with the entity tag it is served under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Jpeg {
    /// The JPEG file.
    pub bytes: Bytes,
    /// A strong entity tag (quoted), derived from the bytes, for `ETag` / `If-None-Match`.
    pub etag: String,
}

impl Jpeg {
    /// Wraps encoded bytes and computes their tag.
    pub fn new(bytes: Vec<u8>) -> Self {
        let digest = Sha256::digest(&bytes);
        Self {
            etag: format!("\"{}\"", hex::encode(&digest[..12])),
            bytes: Bytes::from(bytes),
        }
    }
}

/// An image in both card sizes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Renditions {
    /// 832×468.
    pub large: Jpeg,
    /// 416×234.
    pub small: Jpeg,
}

impl Renditions {
    /// The rendition of one size.
    pub fn get(&self, size: ThumbnailSize) -> &Jpeg {
        match size {
            ThumbnailSize::Small => &self.small,
            ThumbnailSize::Large => &self.large,
        }
    }
}
