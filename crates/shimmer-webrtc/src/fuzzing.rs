//! What the `whep_offer` fuzz target runs: the WHEP POST's handling of a body short of opening
//! a session, against streams of every H.264 profile, and the WHIP POST's (a publisher's offer
//! checked and answered).
//!
//! Byte mutations of SDP text seldom build an offer that is well-formed yet inconsistent, such
//! as one payload type in two sections, which is what made str0m panic. So every input is also
//! read as a recipe for a generated offer ([`offer_from_recipe`]): sections, bundling, directions
//! and formats drawn from small pools of payload types, codecs and H.264 profiles, so collisions
//! and unusual profile lists come up within seconds.

use std::fmt::Write;

use crate::offer::{summarize, validate_offer};

/// `profile-level-id`s of the streams each offer is answered for: every profile an SPS can
/// carry, plus ids str0m cannot parse (Progressive High flags, level 6.2).
pub const STREAM_PROFILES: [u32; 15] = [
    0x42001f, // Baseline
    0x42c01f, // Constrained Baseline (x264's baseline)
    0x4d401f, // Main (x264)
    0x4d0028, // Main 4.0
    0x58001f, // Extended
    0x640028, // High (x264, OBS)
    0x640c1f, // Constrained High
    0x640828, // Progressive High
    0x64003e, // High 6.2
    0x6e001f, // High 10
    0x7a001f, // High 4:2:2
    0xf4001f, // High 4:4:4 Predictive
    0xf4101f, // High 4:4:4 Intra
    0x2c101f, // CAVLC 4:4:4 Intra
    0x11001f, // no such profile
];

/// Everything the WHEP POST does with a body short of opening a session (validation, the
/// H.264 format choice and str0m's answer), for the body as given and for the offer it is a
/// recipe of, each against every stream profile. Must never panic.
pub fn fuzz_offer(data: &[u8]) {
    fuzz_offer_for(data, &STREAM_PROFILES);
}

/// [`fuzz_offer`] for streams of the given `profile-level-id`s only (unit tests, where str0m
/// runs unoptimised).
pub fn fuzz_offer_for(data: &[u8], stream_profiles: &[u32]) {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = summarize(text);
    }
    answer_for(data, stream_profiles);
    let recipe = offer_from_recipe(data);
    answer_for(recipe.as_bytes(), stream_profiles);
    publish_for(data);
    publish_for(recipe.as_bytes());
}

/// The WHIP POST's handling of a body short of opening a session.
fn publish_for(body: &[u8]) {
    if let Ok(offer) = crate::whip::offer::validate_publish_offer(body) {
        let _ = crate::whip::answer_offline(offer);
    }
}

fn answer_for(body: &[u8], stream_profiles: &[u32]) {
    for &profile_level_id in stream_profiles {
        match validate_offer(body) {
            Ok(offer) => {
                let _ = crate::engine::negotiate_offline(offer, profile_level_id);
            }
            Err(_) => return,
        }
    }
}

/// Reads bytes one at a time, zero once they run out.
struct Recipe<'a>(&'a [u8]);

impl Recipe<'_> {
    fn byte(&mut self) -> u8 {
        match self.0.split_first() {
            Some((first, rest)) => {
                self.0 = rest;
                *first
            }
            None => 0,
        }
    }

    fn pick<'p, T>(&mut self, pool: &'p [T]) -> &'p T {
        &pool[usize::from(self.byte()) % pool.len()]
    }
}

/// Payload types some formats take: few, so that sections and formats collide.
const PTS: [u8; 10] = [96, 97, 100, 102, 103, 109, 110, 111, 127, 0];
/// H.264 `profile-level-id`s browsers and encoders write.
const H264_IDS: [&str; 12] = [
    "42001f", "42e01f", "42c01e", "4d001f", "4d401f", "58001f", "640c1f", "64001f", "640032",
    "f4001f", "f4101f", "6e001f",
];

/// One format line set: rtpmap and fmtp (without the payload type).
fn format(recipe: &mut Recipe, video: bool, previous: Option<u8>) -> (String, Option<String>) {
    let apt = previous.map_or(String::new(), |pt| format!("apt={pt}"));
    match (video, recipe.byte() % 8) {
        (true, 0..=3) => {
            let mut fmtp = format!(
                "level-asymmetry-allowed=1;profile-level-id={}",
                recipe.pick(&H264_IDS)
            );
            match recipe.byte() % 4 {
                0 => fmtp.push_str(";packetization-mode=0"),
                1 => {}
                _ => fmtp.push_str(";packetization-mode=1"),
            }
            ("H264/90000".into(), Some(fmtp))
        }
        (true, 4) => ("VP8/90000".into(), None),
        (true, 5) => ("VP9/90000".into(), Some("profile-id=0".into())),
        (true, 6) => ("rtx/90000".into(), Some(apt)),
        (true, _) => (recipe.pick(&["red/90000", "AV1/90000"]).to_string(), None),
        (false, 0..=3) => (
            "opus/48000/2".into(),
            Some("minptime=10;useinbandfec=1".into()),
        ),
        (false, 4) => (recipe.pick(&["G722/8000", "PCMU/8000"]).to_string(), None),
        (false, 5) => ("telephone-event/48000".into(), None),
        (false, 6) => ("rtx/48000".into(), Some(apt)),
        (false, _) => ("red/48000/2".into(), Some("111/111".into())),
    }
}

/// The offer a recipe describes: session lines, then one to four sections (mostly a video then
/// an audio one, as browsers send), bundled or not, each with its own direction and one to six
/// formats. Payload types are mostly distinct, some drawn from a small pool so they collide.
pub fn offer_from_recipe(data: &[u8]) -> String {
    let mut recipe = Recipe(data);
    let sections = 1 + usize::from(recipe.byte() % 4);
    let mut fresh_pt = 96u8;
    let bundle = recipe.byte() % 4 != 0;
    let mut sdp = String::from("v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n");
    if bundle {
        let mids: Vec<String> = (0..sections).map(|i| i.to_string()).collect();
        let _ = write!(sdp, "a=group:BUNDLE {}\r\n", mids.join(" "));
    }
    for mid in 0..sections {
        let kind = match (mid, recipe.byte() % 8) {
            (0, 0..=5) => 0,
            (1, 0..=5) => 2,
            (_, k) => k % 5,
        };
        if kind == 4 {
            let _ = write!(
                sdp,
                "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\n\
                 a=ice-ufrag:abcd\r\na=ice-pwd:abcdefghijklmnopqrstuvwx\r\n\
                 a=fingerprint:sha-256 7B:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:3F:46:1B:35:DC:B8:5F:64:1A:24:C2:43:F0:A1:58:D0:A1:2C:19:08\r\n\
                 a=setup:actpass\r\na=mid:{mid}\r\na=sctp-port:5000\r\n"
            );
            continue;
        }
        let video = kind < 2;
        let direction = *recipe.pick(&["recvonly", "sendrecv", "sendonly", "inactive"]);
        let count = 1 + usize::from(recipe.byte() % 6);
        let mut lines = String::new();
        let mut pts = Vec::new();
        let mut previous = None;
        for _ in 0..count {
            let pt = if recipe.byte() % 4 == 0 {
                *recipe.pick(&PTS)
            } else {
                fresh_pt = if fresh_pt >= 127 { 35 } else { fresh_pt + 1 };
                fresh_pt
            };
            let (rtpmap, fmtp) = format(&mut recipe, video, previous);
            let _ = write!(lines, "a=rtpmap:{pt} {rtpmap}\r\n");
            if recipe.byte() % 2 == 0 {
                let _ = write!(lines, "a=rtcp-fb:{pt} nack\r\na=rtcp-fb:{pt} nack pli\r\n");
            }
            if let Some(fmtp) = fmtp {
                let _ = write!(lines, "a=fmtp:{pt} {fmtp}\r\n");
            }
            pts.push(pt.to_string());
            previous = Some(pt);
        }
        let _ = write!(
            sdp,
            "m={} 9 UDP/TLS/RTP/SAVPF {}\r\nc=IN IP4 0.0.0.0\r\na=rtcp:9 IN IP4 0.0.0.0\r\n\
             a=ice-ufrag:abcd\r\na=ice-pwd:abcdefghijklmnopqrstuvwx\r\n\
             a=fingerprint:sha-256 7B:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:3F:46:1B:35:DC:B8:5F:64:1A:24:C2:43:F0:A1:58:D0:A1:2C:19:08\r\n\
             a=setup:actpass\r\na=mid:{mid}\r\na=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid\r\n\
             a={direction}\r\na=rtcp-mux\r\n{lines}",
            if video { "video" } else { "audio" },
            pts.join(" "),
        );
    }
    sdp
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::offer::OfferError;

    /// A small xorshift generator, so the recipes are the same on every run.
    fn recipes(count: usize) -> impl Iterator<Item = Vec<u8>> {
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        (0..count).map(move |_| {
            (0..48)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    state as u8
                })
                .collect()
        })
    }

    #[test]
    fn generated_offers_never_panic_and_collisions_are_refused() {
        let (mut answered, mut conflicts) = (0, 0);
        for (i, recipe) in recipes(300).enumerate() {
            let sdp = offer_from_recipe(&recipe);
            match validate_offer(sdp.as_bytes()) {
                Ok(_) => answered += 1,
                Err(OfferError::PayloadTypeConflict(_)) => conflicts += 1,
                Err(_) => {}
            }
            // Each stream profile for a share of the recipes (str0m is slow unoptimised).
            let profile = STREAM_PROFILES[i % STREAM_PROFILES.len()];
            fuzz_offer_for(&recipe, &[profile]);
        }
        // The generator reaches both: offers str0m answers and offers reusing a payload type.
        assert!(answered > 30, "{answered} offers passed validation");
        assert!(conflicts > 30, "{conflicts} payload type conflicts");
    }
}
