//! Low-Latency HLS for live streams, next to WebRTC: for sources with B-frames (which WebRTC
//! players cannot reorder), players that only speak HLS, networks that block UDP, and CDNs.
//!
//! A stream is packaged only while someone watches it over HLS: its first request starts a
//! packager that subscribes to the stream's hub (on an edge, the relayed hub), and it stops after
//! a while without requests or when the stream ends. The packager ([`packager`]) is sans-IO:
//! hub packets in; fMP4 (CMAF) parts of about 200 ms and segments cut at keyframes out, kept in a
//! sliding window. [`playlist`] writes the multivariant and media playlists (parts, preload hint,
//! delta updates), [`http`] serves them with blocking reloads, and [`service`] runs one task per
//! packaged stream.
//!
//! Video is H.264 as the hub carries it (decode times rebuilt from presentation times, so
//! B-frames play: see [`timeline`]); audio is Opus in fMP4, which hls.js in Chromium and Firefox
//! and Safari 17+ through Media Source play (docs/hls.md says which players play what).

pub mod assemble;
pub mod fmp4;
pub mod http;
pub mod packager;
pub mod playlist;
pub mod service;
pub mod timeline;

pub use http::{redirect_router, router, EdgeRedirect};
pub use packager::{Packager, PackagerConfig};
pub use service::{HlsConfig, HlsService, Progress, StreamSource, ViewerEvents};
