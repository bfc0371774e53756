//! The WHEP POST body handling: offer validation (our SDP scan and str0m's parser) and, for
//! offers that pass, the H.264 format choice and the answer str0m builds with the engine's exact
//! configuration, for streams of every H.264 profile. Each input is also read as a recipe for a
//! generated offer (sections, bundling, payload types, codecs, profiles), so well-formed but
//! inconsistent offers come up quickly. The same bodies go through the WHIP POST's handling (a
//! publisher's offer checked, codecs named, answered). Also the STUN USERNAME scan the UDP demux runs on every
//! datagram.
//!
//! `cargo +nightly fuzz run whep_offer` (from the fuzz directory).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    shimmer_webrtc::fuzzing::fuzz_offer(data);
    let _ = shimmer_webrtc::stun::local_ufrag(data);
});
