#![warn(missing_docs)]
//! # shimmer-thumbnail: live stream thumbnails
//!
//! Discovery pages show every channel as a card with a picture: the live stream's latest frame
//! while it is live, else the streamer's poster, else a neutral placeholder. This crate renders
//! the first, from the stream's keyframe with an H.264 decoder; the still-image half (card
//! sizes, fitting, JPEGs, the placeholder, uploads, posters and the in-memory store the site
//! reads) is `shimmer-images`, which the domain, the website and the API use without pulling in
//! a video decoder.
//!
//! ```text
//!  StreamHub keyframe cache ──► worker::Thumbnailer (own task, every ~45 s per live channel)
//!        │ latest_keyframe(): pointers copied under the hub's short lock
//!        ▼
//!  h264::access_unit_annexb ──► spawn_blocking (at most N at once):
//!        decode::decode_keyframe (OpenH264) ──► frame::fit (letterbox) ──► JPEG, both sizes
//!        ▼
//!  shimmer_images::LiveThumbnails (in memory, per channel) ──► served by the website
//!        ▲
//!  API uploadStreamThumbnail (external ingest) ──► LiveThumbnails::put_uploaded
//!        (decode with limits, letterbox, JPEG)
//!
//!  poster upload ──► shimmer_images::poster::prepare (decode with limits, crop to fill, JPEG) ──► database
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
pub mod render;
pub mod worker;

pub use error::ThumbnailError;
pub use render::render_keyframe;
pub use worker::{Thumbnailer, ThumbnailerConfig};
