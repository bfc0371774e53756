//! Checking a viewer's SDP offer before any session state is built, so bad input gets a precise
//! 4xx instead of a half-built session (or a panic inside str0m). The fuzz target `whep_offer`
//! runs it ([`crate::fuzzing`]).
//!
//! One rule str0m relies on without checking it: a payload type names one format in the whole
//! offer. RFC 8843 §7 requires it within a BUNDLE group (the bundled sections share one RTP
//! session), and str0m carries every section over one transport, as one group. An offer with
//! H.264 RTX at 111 in its video section and Opus at 111 in its audio section made str0m panic
//! ("Pt locked multiple times") whenever its answer used that H.264 format; such offers are now
//! refused with the payload type named.

use std::collections::HashMap;

use str0m::change::SdpOffer;

use crate::profile::OfferedH264;

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
    /// One payload type names two different formats.
    #[error(
        "payload type {} names two formats, {} and {}; within a BUNDLE group each payload type \
         must name one codec",
        .0.pt, .0.first, .0.second
    )]
    PayloadTypeConflict(PtConflict),
}

/// A payload type that two `a=rtpmap`/`a=fmtp` descriptions give different formats.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PtConflict {
    /// The payload type as written.
    pub pt: String,
    /// Its first description, e.g. `rtx/90000 (apt=110) in the video section`.
    pub first: String,
    /// The one that disagrees.
    pub second: String,
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
    /// Every H.264 format of the video m-lines, in offer order.
    pub h264_formats: Vec<OfferedH264>,
    /// The first payload type given two formats, if any.
    pub pt_conflict: Option<PtConflict>,
}

/// A parsed offer that passed [`validate_offer`].
#[derive(Debug)]
pub struct ValidOffer {
    pub(crate) sdp: SdpOffer,
    pub(crate) summary: OfferSummary,
}

impl ValidOffer {
    /// What the offer asks for.
    pub fn summary(&self) -> &OfferSummary {
        &self.summary
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Session,
    Video,
    Audio,
    Other,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Session => "session",
            Kind::Video => "video",
            Kind::Audio => "audio",
            Kind::Other => "application",
        }
    }
}

/// The `a=rtpmap` and `a=fmtp` lines of one m-line, by payload type in order of appearance.
struct Section<'a> {
    kind: Kind,
    /// (payload type, rtpmap, fmtp).
    formats: Vec<(&'a str, Option<&'a str>, Option<&'a str>)>,
    /// Index into `formats` by payload type (an offer may carry thousands of lines).
    index: HashMap<&'a str, usize>,
}

impl<'a> Section<'a> {
    fn new(kind: Kind) -> Self {
        Self {
            kind,
            formats: Vec::new(),
            index: HashMap::new(),
        }
    }

    fn entry(&mut self, pt: &'a str) -> &mut (&'a str, Option<&'a str>, Option<&'a str>) {
        let i = *self.index.entry(pt).or_insert_with(|| {
            self.formats.push((pt, None, None));
            self.formats.len() - 1
        });
        &mut self.formats[i]
    }
}

/// One format in comparable form: the rtpmap lowercased and the fmtp parameters sorted.
#[derive(PartialEq, Eq)]
struct Format {
    rtpmap: String,
    fmtp: String,
}

impl Format {
    fn new(rtpmap: Option<&str>, fmtp: Option<&str>) -> Self {
        let mut params: Vec<String> = fmtp
            .unwrap_or_default()
            .split(';')
            .map(|p| p.trim().to_ascii_lowercase())
            .filter(|p| !p.is_empty())
            .collect();
        params.sort();
        Self {
            rtpmap: rtpmap.unwrap_or("(no rtpmap)").trim().to_ascii_lowercase(),
            fmtp: params.join(";"),
        }
    }

    fn describe(&self, kind: Kind) -> String {
        if self.fmtp.is_empty() {
            format!("{} in the {} section", self.rtpmap, kind.name())
        } else {
            format!(
                "{} ({}) in the {} section",
                self.rtpmap,
                self.fmtp,
                kind.name()
            )
        }
    }
}

/// Reads the `a=rtpmap`/`a=fmtp` attribute value into (payload type, rest).
fn split_attribute(rest: &str) -> (&str, &str) {
    let mut parts = rest.splitn(2, ' ');
    (
        parts.next().unwrap_or_default().trim(),
        parts.next().unwrap_or_default().trim(),
    )
}

/// The H.264 format an fmtp line describes (see [`OfferedH264::profile_level_id`] for the
/// default); None for an unreadable profile-level-id.
fn h264_format(fmtp: Option<&str>) -> Option<OfferedH264> {
    let mut format = OfferedH264 {
        profile_level_id: 0x42001f,
        packetization_mode1: false,
    };
    for param in fmtp.unwrap_or_default().split(';') {
        let Some((key, value)) = param.split_once('=') else {
            continue;
        };
        let (key, value) = (key.trim(), value.trim());
        if key.eq_ignore_ascii_case("packetization-mode") {
            format.packetization_mode1 = value == "1";
        } else if key.eq_ignore_ascii_case("profile-level-id") {
            if value.len() != 6 {
                return None;
            }
            format.profile_level_id = u32::from_str_radix(value, 16).ok()?;
        }
    }
    Some(format)
}

/// Adds one finished m-line to the summary: its codecs, and its payload types to `seen` (the
/// offer-wide map that finds conflicts).
fn finish_section<'a>(
    section: &Section<'a>,
    seen: &mut HashMap<&'a str, (Format, Kind)>,
    summary: &mut OfferSummary,
) {
    for &(pt, rtpmap, fmtp) in &section.formats {
        let codec = rtpmap.unwrap_or_default().to_ascii_lowercase();
        match section.kind {
            Kind::Video if codec.starts_with("h264/90000") => {
                if let Some(format) = h264_format(fmtp) {
                    summary.h264 |= format.packetization_mode1;
                    summary.h264_formats.push(format);
                }
            }
            Kind::Audio if codec.starts_with("opus/48000") => summary.opus = true,
            _ => {}
        }
        let format = Format::new(rtpmap, fmtp);
        match seen.get(pt) {
            Some((first, first_kind)) if *first != format => {
                if summary.pt_conflict.is_none() {
                    summary.pt_conflict = Some(PtConflict {
                        pt: pt.chars().take(8).collect(),
                        first: first.describe(*first_kind),
                        second: format.describe(section.kind),
                    });
                }
            }
            Some(_) => {}
            None => {
                seen.insert(pt, (format, section.kind));
            }
        }
    }
}

/// Scans the SDP text for H.264 and Opus in the right m-line kinds and for payload types given
/// two formats. Never panics.
pub fn summarize(sdp: &str) -> OfferSummary {
    let mut summary = OfferSummary::default();
    let mut seen: HashMap<&str, (Format, Kind)> = HashMap::new();
    let mut section = Section::new(Kind::Session);
    for line in sdp.lines() {
        let line = line.trim_end_matches('\r');
        if let Some(m) = line.strip_prefix("m=") {
            finish_section(&section, &mut seen, &mut summary);
            section = Section::new(match m.split(' ').next() {
                Some("video") => Kind::Video,
                Some("audio") => Kind::Audio,
                _ => Kind::Other,
            });
        } else if let Some(mid) = line.strip_prefix("a=mid:") {
            if matches!(section.kind, Kind::Video | Kind::Audio) && mid.len() <= 64 {
                summary
                    .mids
                    .push((section.kind == Kind::Video, mid.trim().to_owned()));
            }
        } else if let Some(rest) = line.strip_prefix("a=rtpmap:") {
            let (pt, codec) = split_attribute(rest);
            let kind = section.kind;
            let entry = section.entry(pt);
            match entry.1 {
                Some(earlier) if !earlier.eq_ignore_ascii_case(codec) => {
                    if summary.pt_conflict.is_none() {
                        summary.pt_conflict = Some(PtConflict {
                            pt: pt.chars().take(8).collect(),
                            first: Format::new(Some(earlier), None).describe(kind),
                            second: Format::new(Some(codec), None).describe(kind),
                        });
                    }
                }
                Some(_) => {}
                None => entry.1 = Some(codec),
            }
        } else if let Some(rest) = line.strip_prefix("a=fmtp:") {
            let (pt, params) = split_attribute(rest);
            let entry = section.entry(pt);
            if entry.2.is_none() {
                entry.2 = Some(params);
            }
        }
    }
    finish_section(&section, &mut seen, &mut summary);
    summary
}

/// Parses and checks an offer: UTF-8, one format per payload type, valid SDP (str0m's parser),
/// H.264 video and Opus audio.
pub fn validate_offer(body: &[u8]) -> Result<ValidOffer, OfferError> {
    let text = std::str::from_utf8(body).map_err(|_| OfferError::NotText)?;
    if text.trim().is_empty() {
        return Err(OfferError::Empty);
    }
    let summary = summarize(text);
    if let Some(conflict) = summary.pt_conflict.clone() {
        return Err(OfferError::PayloadTypeConflict(conflict));
    }
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

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::fuzzing::fuzz_offer_for;

    /// Main and High streams: the unit tests' share of the fuzz target's profiles.
    const PROFILES: [u32; 2] = [0x4d401f, 0x640028];

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
                fuzz_offer_for(&m, &PROFILES);
            }
        }
    }

    /// The Chrome-like offer with its H.264 at 110 and the RTX at 111, where Opus is too: what
    /// `shimmer-bench whep` once sent, and what made str0m panic for High-profile streams.
    fn rtx_on_opus_pt() -> String {
        CHROME_LIKE_OFFER
            .replace("96 97 102 103", "96 97 110 111")
            .replace(":102 ", ":110 ")
            .replace(":103 ", ":111 ")
            .replace("apt=102", "apt=110")
            .replace("profile-level-id=4d001f", "profile-level-id=64001f")
    }

    #[test]
    fn a_payload_type_with_two_formats_is_refused_and_named() {
        let offer = rtx_on_opus_pt();
        let error = validate_offer(offer.as_bytes()).unwrap_err();
        let OfferError::PayloadTypeConflict(conflict) = &error else {
            panic!("{error:?}");
        };
        assert_eq!(conflict.pt, "111");
        assert_eq!(conflict.first, "rtx/90000 (apt=110) in the video section");
        assert_eq!(
            conflict.second,
            "opus/48000/2 (minptime=10;useinbandfec=1) in the audio section"
        );
        let message = error.to_string();
        assert!(
            message.starts_with("payload type 111 names two formats"),
            "{message}"
        );
        // Two rtpmap lines for one payload type in one section disagree as well.
        let twice = CHROME_LIKE_OFFER.replace(
            "a=rtpmap:96 VP8/90000\r\n",
            "a=rtpmap:96 VP8/90000\r\na=rtpmap:96 AV1/90000\r\n",
        );
        assert!(matches!(
            validate_offer(twice.as_bytes()),
            Err(OfferError::PayloadTypeConflict(c)) if c.pt == "96"
        ));
    }

    #[test]
    fn a_payload_type_repeated_with_the_same_format_is_fine() {
        // A second video section repeating the first one's formats (payload types 102/103).
        let video = &CHROME_LIKE_OFFER[CHROME_LIKE_OFFER.find("m=video").unwrap()
            ..CHROME_LIKE_OFFER.find("m=audio").unwrap()];
        let offer = format!("{CHROME_LIKE_OFFER}{}", video.replace("a=mid:0", "a=mid:2"))
            .replace("BUNDLE 0 1", "BUNDLE 0 1 2");
        let valid = validate_offer(offer.as_bytes()).unwrap();
        assert_eq!(valid.summary.pt_conflict, None);
        assert_eq!(valid.summary.mids.len(), 3);
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
            fuzz_offer_for(&CHROME_LIKE_OFFER.as_bytes()[..cut], &PROFILES);
        }
    }
}
