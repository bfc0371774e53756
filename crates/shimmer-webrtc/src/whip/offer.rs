//! Checking a publisher's SDP offer before any session state is built: what OBS and browsers
//! offer must pass (H.264 in any profile, packetization mode 1, and Opus), and an offer Shimmer
//! cannot play gets a 400 that names what was offered and what is needed.
//!
//! The text scan is [`crate::offer::summarize`], shared with WHEP (and its fuzz target); the SDP
//! itself is parsed by str0m.

use str0m::change::SdpOffer;

use crate::offer::{summarize, OfferSummary, PtConflict};

/// Why a publisher's offer was refused (each a 400 with the message as JSON error).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PublishOfferError {
    /// Not UTF-8 text.
    #[error("the offer is not UTF-8 text")]
    NotText,
    /// Empty body.
    #[error("the offer is empty")]
    Empty,
    /// str0m could not parse it (its message stays in the log).
    #[error("the offer is not valid SDP; send the SDP of a WebRTC offer (RFC 8866)")]
    Malformed,
    /// No video section offers H.264 with packetization mode 1.
    #[error(
        "the offer's video is {offered}; Shimmer's WHIP ingest takes H.264 video \
         (packetization-mode=1, any profile) and Opus audio: choose H.264 in the encoder"
    )]
    UnsupportedVideo {
        /// The video codecs offered, e.g. `VP8, VP9`, or `missing`.
        offered: String,
    },
    /// An audio section offers no Opus.
    #[error(
        "the offer's audio is {offered}; Shimmer's WHIP ingest takes Opus audio: choose Opus \
         in the encoder"
    )]
    UnsupportedAudio {
        /// The audio codecs offered.
        offered: String,
    },
    /// One payload type names two formats.
    #[error("payload type {} names two formats, {} and {}", .0.pt, .0.first, .0.second)]
    PayloadTypeConflict(PtConflict),
}

/// A publisher's offer that passed [`validate_publish_offer`].
#[derive(Debug)]
pub struct PublishOffer {
    pub(crate) sdp: SdpOffer,
    pub(crate) summary: OfferSummary,
}

/// The media codec names of the `a=rtpmap` lines in the video and audio sections (retransmission,
/// redundancy and FEC formats left out), each once, upper-cased, at most eight.
fn offered_codecs(sdp: &str) -> (Vec<String>, Vec<String>, bool) {
    let (mut video, mut audio) = (Vec::new(), Vec::new());
    let mut has_audio = false;
    let mut section = "";
    for line in sdp.lines() {
        let line = line.trim_end_matches('\r');
        if let Some(m) = line.strip_prefix("m=") {
            section = m.split(' ').next().unwrap_or_default();
            has_audio |= section == "audio";
            continue;
        }
        let Some(rest) = line.strip_prefix("a=rtpmap:") else {
            continue;
        };
        let name = rest
            .split_once(' ')
            .map(|(_, codec)| codec.split('/').next().unwrap_or_default().trim())
            .unwrap_or_default()
            .to_ascii_uppercase();
        let helper = matches!(name.as_str(), "RTX" | "RED" | "ULPFEC" | "FLEXFEC-03" | "");
        let list = match section {
            "video" => &mut video,
            "audio" => &mut audio,
            _ => continue,
        };
        let printable = name.len() <= 16 && name.bytes().all(|b| b.is_ascii_graphic());
        if !helper && printable && list.len() < 8 && !list.contains(&name) {
            list.push(name);
        }
    }
    (video, audio, has_audio)
}

fn listed(codecs: &[String]) -> String {
    if codecs.is_empty() {
        "missing".into()
    } else {
        codecs.join(", ")
    }
}

/// Parses and checks a publisher's offer: UTF-8, one format per payload type, valid SDP, an H.264
/// video section, and Opus in the audio section if there is one (video-only publishing is fine).
pub fn validate_publish_offer(body: &[u8]) -> Result<PublishOffer, PublishOfferError> {
    let text = std::str::from_utf8(body).map_err(|_| PublishOfferError::NotText)?;
    if text.trim().is_empty() {
        return Err(PublishOfferError::Empty);
    }
    let summary = summarize(text);
    if let Some(conflict) = summary.pt_conflict.clone() {
        return Err(PublishOfferError::PayloadTypeConflict(conflict));
    }
    let sdp = SdpOffer::from_sdp_string(text).map_err(|error| {
        tracing::debug!(%error, "unparsable WHIP offer");
        PublishOfferError::Malformed
    })?;
    let (video, audio, has_audio) = offered_codecs(text);
    if !summary.h264 {
        return Err(PublishOfferError::UnsupportedVideo {
            offered: listed(&video),
        });
    }
    if has_audio && !summary.opus {
        return Err(PublishOfferError::UnsupportedAudio {
            offered: listed(&audio),
        });
    }
    Ok(PublishOffer { sdp, summary })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// An offer shaped like OBS 30's (libdatachannel): sendonly Opus at 111 (mid 0) and H.264
    /// at 96 (mid 1), one candidate, no trickle.
    pub(crate) fn obs_like_offer(profile_level_id: &str) -> String {
        format!(
            "v=0\r\n\
o=rtc 2937419162 0 IN IP4 127.0.0.1\r\n\
s=-\r\n\
t=0 0\r\n\
a=group:BUNDLE 0 1\r\n\
a=group:LS 0 1\r\n\
a=msid-semantic:WMS *\r\n\
a=setup:actpass\r\n\
a=ice-ufrag:Wb3y\r\n\
a=ice-pwd:n2eHYZg4Nv3oq2DzVn6fjc\r\n\
a=ice-options:ice2\r\n\
a=fingerprint:sha-256 7B:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:3F:46:1B:35:DC:B8:5F:64:1A:24:C2:43:F0:A1:58:D0:A1:2C:19:08\r\n\
m=audio 50000 UDP/TLS/RTP/SAVPF 111\r\n\
c=IN IP4 127.0.0.1\r\n\
a=mid:0\r\n\
a=sendonly\r\n\
a=ssrc:1001 cname:obs\r\n\
a=msid:obs audio\r\n\
a=rtcp-mux\r\n\
a=rtpmap:111 opus/48000/2\r\n\
a=fmtp:111 minptime=10;maxaveragebitrate=96000;stereo=1;sprop-stereo=1;useinbandfec=1\r\n\
a=candidate:1 1 UDP 2122317823 127.0.0.1 50000 typ host\r\n\
a=end-of-candidates\r\n\
m=video 50000 UDP/TLS/RTP/SAVPF 96\r\n\
c=IN IP4 127.0.0.1\r\n\
a=mid:1\r\n\
a=sendonly\r\n\
a=ssrc:1002 cname:obs\r\n\
a=msid:obs video\r\n\
a=rtcp-mux\r\n\
a=rtpmap:96 H264/90000\r\n\
a=rtcp-fb:96 nack\r\n\
a=rtcp-fb:96 nack pli\r\n\
a=rtcp-fb:96 goog-remb\r\n\
a=fmtp:96 profile-level-id={profile_level_id};packetization-mode=1;level-asymmetry-allowed=1\r\n"
        )
    }

    #[test]
    fn obs_offers_in_every_h264_profile_are_accepted() {
        // Constrained Baseline, Baseline, Main, High, Constrained High, High 4.0 and 5.1.
        for plid in [
            "42e01f", "42001f", "4d001f", "4d0028", "64001f", "640c1f", "640028", "640033",
        ] {
            let offer = obs_like_offer(plid);
            let valid =
                validate_publish_offer(offer.as_bytes()).unwrap_or_else(|e| panic!("{plid}: {e}"));
            assert!(valid.summary.h264 && valid.summary.opus, "{plid}");
        }
    }

    #[test]
    fn unusable_codecs_are_named() {
        let vp8 = obs_like_offer("42e01f").replace("H264/90000", "VP8/90000");
        let error = validate_publish_offer(vp8.as_bytes()).unwrap_err();
        assert_eq!(
            error,
            PublishOfferError::UnsupportedVideo {
                offered: "VP8".into()
            }
        );
        assert!(error.to_string().contains("video is VP8"), "{error}");
        let pcmu = obs_like_offer("42e01f").replace("opus/48000/2", "PCMU/8000");
        let error = validate_publish_offer(pcmu.as_bytes()).unwrap_err();
        assert!(error.to_string().contains("audio is PCMU"), "{error}");
        let audio_only = obs_like_offer("42e01f");
        let audio_only = &audio_only[..audio_only.find("m=video").unwrap()];
        let error = validate_publish_offer(audio_only.as_bytes()).unwrap_err();
        assert!(error.to_string().contains("video is missing"), "{error}");
    }

    #[test]
    fn video_only_is_accepted() {
        let offer = obs_like_offer("640c1f");
        let start = offer.find("m=audio").unwrap();
        let end = offer.find("m=video").unwrap();
        let video_only = format!("{}{}", &offer[..start], &offer[end..])
            .replace("BUNDLE 0 1", "BUNDLE 1")
            .replace("a=group:LS 0 1\r\n", "");
        validate_publish_offer(video_only.as_bytes()).unwrap();
    }

    #[test]
    fn garbage_is_refused_without_a_panic() {
        assert_eq!(
            validate_publish_offer(b"").unwrap_err(),
            PublishOfferError::Empty
        );
        assert_eq!(
            validate_publish_offer(&[0xff, 0xfe]).unwrap_err(),
            PublishOfferError::NotText
        );
        assert_eq!(
            validate_publish_offer(b"hello world").unwrap_err(),
            PublishOfferError::Malformed
        );
        let offer = obs_like_offer("64001f");
        for cut in (0..offer.len()).step_by(23) {
            let _ = validate_publish_offer(&offer.as_bytes()[..cut]);
        }
    }
}
