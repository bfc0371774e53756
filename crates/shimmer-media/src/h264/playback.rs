//! Which H.264 formats browsers play, from the facts an SPS gives.
//!
//! Browsers' WebRTC decoders take 8-bit 4:2:0 only: a High 4:4:4 stream (what x264 makes from
//! RGB input unless told `-pix_fmt yuv420p`) goes live, yet viewers get audio only. High and
//! above in 4:2:0 decode everywhere, but some browsers (Firefox, some Chromium builds) do not
//! offer High in their SDP, so a server answering with the exact profile cannot reach them.
//! Ingest logs these warnings and the dashboard shows them, since an FTL server has no way to
//! write to the encoder's own log.

use std::fmt;

use super::SpsInfo;

/// The parts of a stream's H.264 format that decide whether browsers can play it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct H264Format {
    /// profile_idc (66 Baseline, 77 Main, 100 High, 244 High 4:4:4, ...).
    pub profile_idc: u8,
    /// The constraint flags byte (constraint_set1 marks Constrained Baseline).
    pub constraint_flags: u8,
    /// 0 monochrome, 1 4:2:0, 2 4:2:2, 3 4:4:4.
    pub chroma_format_idc: u8,
    /// Sample bit depth (8 for ordinary streams).
    pub bit_depth: u8,
}

/// Why browsers may fail to play a stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlaybackWarning {
    /// No browser decodes it (chroma other than 4:2:0, or more than 8 bits).
    NotPlayable {
        /// The profile's name, e.g. "High 4:4:4".
        profile: String,
    },
    /// Browsers decode it, but some do not offer this profile (High and above).
    NotEverywhere {
        /// The profile's name, e.g. "High".
        profile: String,
    },
}

impl fmt::Display for PlaybackWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotPlayable { profile } => write!(
                f,
                "profile {profile} is not playable in browsers: set your encoder to yuv420p / 4:2:0"
            ),
            Self::NotEverywhere { profile } => write!(
                f,
                "Some browsers (Firefox, some Chromium builds) do not offer H.264 {profile}; \
                 Main is the safe choice"
            ),
        }
    }
}

impl H264Format {
    /// The format of a stream from its SPS.
    pub fn of(sps: &SpsInfo) -> Self {
        Self {
            profile_idc: sps.profile_idc,
            constraint_flags: sps.constraint_flags,
            chroma_format_idc: sps.chroma_format_idc,
            bit_depth: sps.bit_depth,
        }
    }

    /// The format from a stored SDP `profile-level-id` (six hex digits) and the chroma format
    /// and bit depth recorded beside it; None if the profile-level-id is not six hex digits.
    pub fn from_profile_level_id(
        profile_level_id: &str,
        chroma_format_idc: u8,
        bit_depth: u8,
    ) -> Option<Self> {
        if profile_level_id.len() != 6 || !profile_level_id.is_ascii() {
            return None;
        }
        let byte = |i: usize| u8::from_str_radix(&profile_level_id[i..i + 2], 16).ok();
        Some(Self {
            profile_idc: byte(0)?,
            constraint_flags: byte(2)?,
            chroma_format_idc,
            bit_depth,
        })
    }

    /// The profile's name as encoders and the standard (Annex A) call it.
    pub fn profile_name(&self) -> String {
        match self.profile_idc {
            66 if self.constraint_flags & 0x40 != 0 => "Constrained Baseline".into(),
            66 => "Baseline".into(),
            77 => "Main".into(),
            88 => "Extended".into(),
            100 => "High".into(),
            110 => "High 10".into(),
            122 => "High 4:2:2".into(),
            244 => "High 4:4:4".into(),
            44 => "CAVLC 4:4:4 Intra".into(),
            other => format!("with profile_idc {other}"),
        }
    }

    /// What may keep browsers from playing this format; None for Baseline and Main in 8-bit
    /// 4:2:0, which every browser offers and decodes.
    pub fn playback_warning(&self) -> Option<PlaybackWarning> {
        let profile = self.profile_name();
        if matches!(self.chroma_format_idc, 2 | 3) || self.bit_depth > 8 {
            Some(PlaybackWarning::NotPlayable { profile })
        } else if matches!(self.profile_idc, 66 | 77) {
            None
        } else {
            Some(PlaybackWarning::NotEverywhere { profile })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn format(profile_idc: u8, chroma_format_idc: u8, bit_depth: u8) -> H264Format {
        H264Format {
            profile_idc,
            constraint_flags: 0,
            chroma_format_idc,
            bit_depth,
        }
    }

    #[test]
    fn high_444_is_not_playable_with_the_encoder_advice() {
        let warning = format(244, 3, 8).playback_warning().unwrap();
        assert_eq!(
            warning.to_string(),
            "profile High 4:4:4 is not playable in browsers: set your encoder to yuv420p / 4:2:0"
        );
        assert!(matches!(
            format(122, 2, 8).playback_warning(),
            Some(PlaybackWarning::NotPlayable { .. })
        ));
        assert!(matches!(
            format(110, 1, 10).playback_warning(),
            Some(PlaybackWarning::NotPlayable { .. })
        ));
    }

    #[test]
    fn high_420_may_not_play_everywhere_and_main_is_fine() {
        let warning = format(100, 1, 8).playback_warning().unwrap();
        assert_eq!(
            warning.to_string(),
            "Some browsers (Firefox, some Chromium builds) do not offer H.264 High; Main is the \
             safe choice"
        );
        assert_eq!(format(77, 1, 8).playback_warning(), None);
        assert_eq!(format(66, 1, 8).playback_warning(), None);
    }

    #[test]
    fn reads_a_stored_profile_level_id() {
        let f = H264Format::from_profile_level_id("42e01f", 1, 8).unwrap();
        assert_eq!(f.profile_name(), "Constrained Baseline");
        assert_eq!(
            H264Format::from_profile_level_id("f4001f", 3, 8)
                .unwrap()
                .profile_name(),
            "High 4:4:4"
        );
        assert_eq!(H264Format::from_profile_level_id("", 1, 8), None);
        assert_eq!(H264Format::from_profile_level_id("zz001f", 1, 8), None);
        assert_eq!(H264Format::from_profile_level_id("é001f", 1, 8), None);
    }
}
