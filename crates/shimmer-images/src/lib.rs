#![warn(missing_docs)]
//! # shimmer-images: still images for the site's cards
//!
//! Discovery pages show every channel as a card with a picture: the live stream's latest frame
//! while it is live, else the streamer's poster, else a neutral placeholder. This crate holds the
//! still-image half of that, everything that needs no video decoder, so the domain, the website
//! and the API depend on it alone:
//!
//! - the card sizes ([`ThumbnailSize`]) and their JPEGs ([`Jpeg`], [`Renditions`]),
//! - fitting a picture into a card ([`frame`]: letterbox or cover) and encoding ([`encode`]),
//! - the placeholder ([`placeholder`]), drawn at start-up,
//! - uploads, trusted for nothing and always re-encoded: posters ([`poster`]), chat backgrounds
//!   ([`chat_background`]) and thumbnails an
//!   external ingest sends ([`LiveThumbnails::put_uploaded`]),
//! - the in-memory store of every live channel's latest thumbnail ([`LiveThumbnails`]).
//!
//! Rendering a live stream's keyframe (OpenH264) is `shimmer-thumbnail`'s, which writes its
//! pictures into the same store.

pub mod chat_background;
pub mod encode;
mod error;
pub mod frame;
pub mod live;
pub mod placeholder;
pub mod poster;
mod upload;

use bytes::Bytes;
use sha2::{Digest, Sha256};

pub use error::ImageError;
pub use live::{LiveThumbnail, LiveThumbnails};

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
