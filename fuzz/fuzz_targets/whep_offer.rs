//! The WHEP POST body handling: offer validation (our SDP scan and str0m's parser) and, for
//! offers that pass, the answer str0m builds with the engine's exact configuration. Also the
//! STUN USERNAME scan the UDP demux runs on every datagram.
//!
//! `cargo +nightly fuzz run whep_offer` (from /work/main/fuzz).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    shimmer_webrtc::offer::fuzz_offer(data);
    let _ = shimmer_webrtc::stun::local_ufrag(data);
});
