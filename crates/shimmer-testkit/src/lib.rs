//! # shimmer-testkit: what the test suites and the benchmarks share
//!
//! Dev-only helpers shared by every test suite and by `shimmer-bench`, so that a benchmark
//! measures exactly what the tests check. It is never a dependency of a production crate: the
//! crates under test take it as a dev-dependency (cargo allows the cycle this makes with
//! `shimmer-webrtc`, which it depends on), `shimmer-bench` as a normal one.
//!
//! - [`media`]: test media made by ffmpeg at test time (H.264 Annex B, Ogg Opus, muxed
//!   H.264 + AAC clips, ADTS AAC), each variant the suites use, cached per process where
//!   they share it, and ffmpeg as an RTMP publisher.
//! - [`whep_client`]: a WHEP viewer on str0m over real UDP that reports what it received (the
//!   browser's side; `shimmer-webrtc`'s `viewer` module is the server's).
//! - [`seed`]: a generated platform history (accounts, streams, views, page views, money)
//!   with what was written per day, for the growth report's tests and `shimmer-bench seed`.
//! - [`stream`]: a looping test stream published into a `StreamHub` in real time, as an
//!   ingest would.

pub mod media;
pub mod seed;
pub mod stream;
pub mod whep_client;
