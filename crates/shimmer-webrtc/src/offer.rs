//! Checking a viewer's SDP offer before any session state is built, so bad input gets a precise
//! 4xx instead of a half-built session. The fuzz target `whep_offer` runs [`validate_offer`].

use str0m::change::SdpOffer;

/// Why an offer was refused. Each maps to a 400 with the message as JSON error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OfferError {
    /// Not UTF-8 text.
    #[error("the offer is not UTF-8 text")]
    NotText,
    /// Empty body.
    #[error("the offer is empty")]
    Empty,
    /// str0m could not parse it. The parser's own message stays in the server log: it can
    /// carry internal details (addresses of the process) that do not belong in a response.
    #[error("the offer is not valid SDP; send the SDP of a WebRTC offer (RFC 8866)")]
    Malformed,
    /// No video m-line offering H.264 (packetization-mode 1).
    #[error("the offer has no video section with H.264 (packetization-mode=1)")]
    NoH264,
    /// No audio m-line offering Opus.
    #[error("the offer has no audio section with Opus")]
    NoOpus,
}

/// What the offer asks for, as far as the WHEP endpoint cares.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OfferSummary {
    /// A video m-line with an H.264 payload type in packetization mode 1.
    pub h264: bool,
    /// An audio m-line with an Opus payload type.
    pub opus: bool,
    /// `(is_video, mid)` of every audio and video m-line, in order.
    pub mids: Vec<(bool, String)>,
}

/// A parsed offer that passed [`validate_offer`].
#[derive(Debug)]
pub struct ValidOffer {
    pub(crate) sdp: SdpOffer,
    pub(crate) summary: OfferSummary,
}

/// Scans the SDP text for H.264 and Opus in the right m-line kinds. Never panics.
pub fn summarize(sdp: &str) -> OfferSummary {
    #[derive(PartialEq)]
    enum Section {
        Session,
        Video,
        Audio,
        Other,
    }
    let mut section = Section::Session;
    let mut summary = OfferSummary::default();
    // H.264 payload types seen in the current video section, and those with packetization-mode=1.
    let mut h264_pts: Vec<&str> = Vec::new();
    let mut mode1_pts: Vec<&str> = Vec::new();
    let finish_video = |h264: &[&str], mode1: &[&str], summary: &mut OfferSummary| {
        if h264.iter().any(|pt| mode1.contains(pt)) {
            summary.h264 = true;
        }
    };
    for line in sdp.lines() {
        let line = line.trim_end_matches('\r');
        if let Some(m) = line.strip_prefix("m=") {
            if section == Section::Video {
                finish_video(&h264_pts, &mode1_pts, &mut summary);
            }
            h264_pts.clear();
            mode1_pts.clear();
            section = match m.split(' ').next() {
                Some("video") => Section::Video,
                Some("audio") => Section::Audio,
                _ => Section::Other,
            };
            continue;
        }
        if let Some(mid) = line.strip_prefix("a=mid:") {
            if matches!(section, Section::Video | Section::Audio) && mid.len() <= 64 {
                summary
                    .mids
                    .push((section == Section::Video, mid.trim().to_owned()));
            }
            continue;
        }
        if let Some(rest) = line.strip_prefix("a=rtpmap:") {
            let mut parts = rest.splitn(2, ' ');
            let pt = parts.next().unwrap_or_default();
            let codec = parts.next().unwrap_or_default().to_ascii_lowercase();
            match section {
                Section::Video if codec.starts_with("h264/90000") => h264_pts.push(pt),
                Section::Audio if codec.starts_with("opus/48000") => summary.opus = true,
                _ => {}
            }
        } else if let Some(rest) = line.strip_prefix("a=fmtp:") {
            let mut parts = rest.splitn(2, ' ');
            let pt = parts.next().unwrap_or_default();
            let params = parts.next().unwrap_or_default();
            if section == Section::Video
                && params
                    .split(';')
                    .any(|p| p.trim().eq_ignore_ascii_case("packetization-mode=1"))
            {
                mode1_pts.push(pt);
            }
        }
    }
    if section == Section::Video {
        finish_video(&h264_pts, &mode1_pts, &mut summary);
    }
    summary
}

/// Parses and checks an offer: UTF-8, valid SDP (str0m's parser), H.264 video and Opus audio.
pub fn validate_offer(body: &[u8]) -> Result<ValidOffer, OfferError> {
    let text = std::str::from_utf8(body).map_err(|_| OfferError::NotText)?;
    if text.trim().is_empty() {
        return Err(OfferError::Empty);
    }
    let summary = summarize(text);
    let offer = SdpOffer::from_sdp_string(text).map_err(|error| {
        tracing::debug!(%error, "unparsable WHEP offer");
        OfferError::Malformed
    })?;
    if !summary.h264 {
        return Err(OfferError::NoH264);
    }
    if !summary.opus {
        return Err(OfferError::NoOpus);
    }
    Ok(ValidOffer {
        sdp: offer,
        summary,
    })
}

/// Everything the WHEP POST does with a body short of opening a session: validation, then (if
/// valid) str0m's answer with the engine's configuration. For the `whep_offer` fuzz target;
/// must never panic.
#[doc(hidden)]
pub fn fuzz_offer(data: &[u8]) {
    if let Ok(s) = std::str::from_utf8(data) {
        let _ = summarize(s);
    }
    if let Ok(offer) = validate_offer(data) {
        let _ = crate::engine::negotiate_offline(offer, 0x4d401f);
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A Chromium-like recvonly offer (trimmed), used by unit and HTTP tests.
    pub(crate) const CHROME_LIKE_OFFER: &str = "v=0\r\n\
o=- 4611731400430051336 2 IN IP4 127.0.0.1\r\n\
s=-\r\n\
t=0 0\r\n\
a=group:BUNDLE 0 1\r\n\
a=extmap-allow-mixed\r\n\
a=msid-semantic: WMS\r\n\
m=video 9 UDP/TLS/RTP/SAVPF 96 97 102 103\r\n\
c=IN IP4 0.0.0.0\r\n\
a=rtcp:9 IN IP4 0.0.0.0\r\n\
a=ice-ufrag:abcd\r\n\
a=ice-pwd:abcdefghijklmnopqrstuvwx\r\n\
a=ice-options:trickle\r\n\
a=fingerprint:sha-256 7B:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:3F:46:1B:35:DC:B8:5F:64:1A:24:C2:43:F0:A1:58:D0:A1:2C:19:08\r\n\
a=setup:actpass\r\n\
a=mid:0\r\n\
a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01\r\n\
a=recvonly\r\n\
a=rtcp-mux\r\n\
a=rtcp-rsize\r\n\
a=rtpmap:96 VP8/90000\r\n\
a=rtcp-fb:96 nack\r\n\
a=rtpmap:97 rtx/90000\r\n\
a=fmtp:97 apt=96\r\n\
a=rtpmap:102 H264/90000\r\n\
a=rtcp-fb:102 goog-remb\r\n\
a=rtcp-fb:102 transport-cc\r\n\
a=rtcp-fb:102 ccm fir\r\n\
a=rtcp-fb:102 nack\r\n\
a=rtcp-fb:102 nack pli\r\n\
a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=4d001f\r\n\
a=rtpmap:103 rtx/90000\r\n\
a=fmtp:103 apt=102\r\n\
m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n\
c=IN IP4 0.0.0.0\r\n\
a=rtcp:9 IN IP4 0.0.0.0\r\n\
a=ice-ufrag:abcd\r\n\
a=ice-pwd:abcdefghijklmnopqrstuvwx\r\n\
a=ice-options:trickle\r\n\
a=fingerprint:sha-256 7B:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:3F:46:1B:35:DC:B8:5F:64:1A:24:C2:43:F0:A1:58:D0:A1:2C:19:08\r\n\
a=setup:actpass\r\n\
a=mid:1\r\n\
a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01\r\n\
a=recvonly\r\n\
a=rtcp-mux\r\n\
a=rtpmap:111 opus/48000/2\r\n\
a=rtcp-fb:111 transport-cc\r\n\
a=fmtp:111 minptime=10;useinbandfec=1\r\n";

    #[test]
    fn chrome_like_offer_is_accepted() {
        let s = summarize(CHROME_LIKE_OFFER);
        assert!(s.h264 && s.opus);
        let offer = validate_offer(CHROME_LIKE_OFFER.as_bytes()).unwrap();
        let answer = crate::engine::negotiate_offline(offer, 0x4d401f).unwrap();
        assert!(answer.contains("profile-level-id=4d401f"), "{answer}");
        assert!(answer.contains("stereo=1"), "{answer}");
    }

    #[test]
    fn single_byte_mutations_never_panic() {
        let base = CHROME_LIKE_OFFER.as_bytes();
        for i in (0..base.len()).step_by(5) {
            for b in [b' ', b':', b'0', b'\n', 0xff] {
                let mut m = base.to_vec();
                m[i] = b;
                fuzz_offer(&m);
            }
        }
    }

    #[test]
    fn missing_codecs_are_named() {
        let no_h264 = CHROME_LIKE_OFFER.replace("H264/90000", "H265/90000");
        assert_eq!(
            validate_offer(no_h264.as_bytes()).unwrap_err(),
            OfferError::NoH264
        );
        let no_opus = CHROME_LIKE_OFFER.replace("opus/48000/2", "PCMU/8000");
        assert_eq!(
            validate_offer(no_opus.as_bytes()).unwrap_err(),
            OfferError::NoOpus
        );
        let mode0 = CHROME_LIKE_OFFER.replace("packetization-mode=1", "packetization-mode=0");
        assert_eq!(
            validate_offer(mode0.as_bytes()).unwrap_err(),
            OfferError::NoH264
        );
    }

    #[test]
    fn garbage_is_malformed_not_a_panic() {
        assert_eq!(validate_offer(b"").unwrap_err(), OfferError::Empty);
        assert_eq!(
            validate_offer(&[0xff, 0xfe]).unwrap_err(),
            OfferError::NotText
        );
        assert!(matches!(
            validate_offer(b"hello world").unwrap_err(),
            OfferError::Malformed
        ));
        for cut in (0..CHROME_LIKE_OFFER.len()).step_by(37) {
            fuzz_offer(&CHROME_LIKE_OFFER.as_bytes()[..cut]);
        }
    }
}
