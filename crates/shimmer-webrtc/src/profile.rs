//! H.264 profiles as SDP names them, and which of a viewer's offered H.264 formats the answer
//! uses for a stream.
//!
//! An SDP `profile-level-id` is three bytes (RFC 6184 §8.1): `profile_idc`, the constraint flags
//! ("profile-iop") and `level_idc`; the first two name the profile (RFC 6184 table 5). The stream
//! has one profile, read from its SPS. Browsers do not list every profile their decoder plays:
//! Debian's Chromium offers Baseline, Constrained Baseline, Main and High 4:4:4 but not High;
//! Firefox offers Constrained Baseline only; x264 and OBS send High by default. An answer with
//! only the stream's exact profile leaves such viewers without video, so [`choose_h264`] takes,
//! among the viewer's packetization-mode 1 formats:
//!
//! 1. the stream's own profile ([`Fit::Exact`]);
//! 2. else the nearest profile whose decoders must play the stream by H.264 Annex A, such as
//!    High 4:4:4 Predictive for a High stream ([`Fit::Decodes`]);
//! 3. else the most capable profile offered ([`Fit::Fallback`]): browsers' software decoders
//!    play every 8-bit 4:2:0 profile whatever was negotiated, as Janus-era Glimesh relied on.

/// The H.264 profiles an SDP `profile-level-id` can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum H264Profile {
    Baseline,
    ConstrainedBaseline,
    Main,
    Extended,
    High,
    ConstrainedHigh,
    High10,
    High422,
    High444,
    High10Intra,
    High422Intra,
    High444Intra,
    Cavlc444Intra,
}

/// How the chosen format relates to the stream's profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fit {
    /// The viewer offered the stream's profile.
    Exact,
    /// A profile whose conforming decoders play the stream's profile.
    Decodes,
    /// Neither: the viewer's decoder is trusted to play the stream anyway.
    Fallback,
}

/// One H.264 format of a viewer's offer (a payload type of its video section).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OfferedH264 {
    /// `profile-level-id`; RFC 6184 gives 42000a (Baseline, level 1) when absent, WebRTC stacks
    /// (and str0m) assume 42001f.
    pub profile_level_id: u32,
    /// `packetization-mode=1` (FU-A), the only mode a forwarder of large NAL units can send.
    pub packetization_mode1: bool,
}

/// The format the answer uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct H264Choice {
    /// The `profile-level-id` to answer with: the stream's own for an exact fit (when it is a
    /// well-formed one), else the viewer's chosen format's.
    pub profile_level_id: u32,
    /// The stream's profile, when its `profile-level-id` names one.
    pub stream: Option<H264Profile>,
    /// The profile answered.
    pub answered: H264Profile,
    /// How well it fits the stream.
    pub fit: Fit,
}

/// Levels RFC 6184 and str0m know (`level_idc` values of H.264 table A-1, up to 5.2).
const LEVELS: [u8; 16] = [
    10, 11, 12, 13, 20, 21, 22, 30, 31, 32, 40, 41, 42, 50, 51, 52,
];

impl H264Profile {
    /// The profile an SDP `profile-level-id` names (RFC 6184 table 5, and Constrained High as
    /// WebRTC stacks write it, `640c`), or None when the flags fit no profile.
    pub fn from_profile_level_id(profile_level_id: u32) -> Option<Self> {
        let [_, idc, iop, _] = profile_level_id.to_be_bytes();
        // Bit i of `iop` counted from the most significant: constraint_set{i}_flag.
        let flag = |i: u32| iop & (0x80 >> i) != 0;
        let reserved_clear = iop & 0x0f == 0;
        use H264Profile::*;
        let profile = match idc {
            0x42 if reserved_clear => {
                if flag(1) {
                    ConstrainedBaseline
                } else {
                    Baseline
                }
            }
            0x4d if reserved_clear && flag(0) => ConstrainedBaseline,
            0x4d if reserved_clear && !flag(2) => Main,
            0x58 if reserved_clear && flag(0) && flag(1) => ConstrainedBaseline,
            0x58 if reserved_clear && flag(0) => Baseline,
            0x58 if reserved_clear && !flag(1) => Extended,
            0x64 if iop == 0x00 => High,
            0x64 if iop == 0x0c => ConstrainedHigh,
            0x6e if iop == 0x00 => High10,
            0x7a if iop == 0x00 => High422,
            0xf4 if iop == 0x00 => High444,
            0x6e if iop == 0x10 => High10Intra,
            0x7a if iop == 0x10 => High422Intra,
            0xf4 if iop == 0x10 => High444Intra,
            0x2c if iop == 0x10 => Cavlc444Intra,
            _ => return None,
        };
        Some(profile)
    }

    /// The profile of a `profile_idc` alone, for a stream whose constraint flags fit no row of
    /// RFC 6184 table 5 (x264's Progressive High, for one).
    fn from_profile_idc(idc: u8) -> Option<Self> {
        use H264Profile::*;
        Some(match idc {
            0x42 => Baseline,
            0x4d => Main,
            0x58 => Extended,
            0x64 => High,
            0x6e => High10,
            0x7a => High422,
            0xf4 => High444,
            0x2c => Cavlc444Intra,
            _ => return None,
        })
    }

    /// A metric label.
    pub fn label(self) -> &'static str {
        use H264Profile::*;
        match self {
            Baseline => "baseline",
            ConstrainedBaseline => "constrained_baseline",
            Main => "main",
            Extended => "extended",
            High => "high",
            ConstrainedHigh => "constrained_high",
            High10 => "high_10",
            High422 => "high_422",
            High444 => "high_444",
            High10Intra => "high_10_intra",
            High422Intra => "high_422_intra",
            High444Intra => "high_444_intra",
            Cavlc444Intra => "cavlc_444_intra",
        }
    }

    /// Whether a decoder conforming to this profile must decode every stream of `stream`'s
    /// profile (H.264 Annex A, A.2: each profile's decoder requirements).
    pub fn decodes(self, stream: Self) -> bool {
        use H264Profile::*;
        if self == stream {
            return true;
        }
        match self {
            Baseline => stream == ConstrainedBaseline,
            ConstrainedBaseline => false,
            Main => stream == ConstrainedBaseline,
            Extended => matches!(stream, Baseline | ConstrainedBaseline),
            High => matches!(stream, ConstrainedBaseline | Main | ConstrainedHigh),
            ConstrainedHigh => stream == ConstrainedBaseline,
            High10 => High.decodes(stream) || matches!(stream, High | High10Intra),
            High422 => High10.decodes(stream) || matches!(stream, High10 | High422Intra),
            High444 => {
                High422.decodes(stream) || matches!(stream, High422 | High444Intra | Cavlc444Intra)
            }
            High10Intra => false,
            High422Intra => stream == High10Intra,
            High444Intra => matches!(stream, High10Intra | High422Intra | Cavlc444Intra),
            Cavlc444Intra => false,
        }
    }

    /// Order of decoding capability, for the fallback: intra-only profiles last (their decoders
    /// may refuse inter frames), then by how much a conforming decoder handles.
    fn capability(self) -> u8 {
        use H264Profile::*;
        match self {
            High10Intra | High422Intra | High444Intra | Cavlc444Intra => 0,
            Baseline => 1,
            ConstrainedBaseline => 2,
            Extended => 3,
            ConstrainedHigh => 4,
            Main => 5,
            High => 6,
            High10 => 7,
            High422 => 8,
            High444 => 9,
        }
    }
}

/// Whether a `profile-level-id` names a profile and a level of table A-1 (what str0m matches).
fn well_formed(profile_level_id: u32) -> bool {
    let level = profile_level_id.to_be_bytes()[3];
    profile_level_id >> 24 == 0
        && H264Profile::from_profile_level_id(profile_level_id).is_some()
        && LEVELS.contains(&level)
}

/// Picks the H.264 format of a viewer's offer that the answer uses for a stream of
/// `stream_profile_level_id` (see the module docs for the order). None when the viewer offers
/// no well-formed packetization-mode 1 format.
pub fn choose_h264(stream_profile_level_id: u32, offered: &[OfferedH264]) -> Option<H264Choice> {
    let [_, idc, _, _] = stream_profile_level_id.to_be_bytes();
    let stream = H264Profile::from_profile_level_id(stream_profile_level_id)
        .or_else(|| H264Profile::from_profile_idc(idc));
    // (profile, profile-level-id) of each usable format; of equal profiles the highest level.
    let mut usable: Vec<(H264Profile, u32)> = Vec::new();
    for format in offered {
        let plid = format.profile_level_id;
        if !format.packetization_mode1 || !well_formed(plid) {
            continue;
        }
        let Some(profile) = H264Profile::from_profile_level_id(plid) else {
            continue;
        };
        match usable.iter_mut().find(|(p, _)| *p == profile) {
            Some(entry) if level_rank(plid) > level_rank(entry.1) => entry.1 = plid,
            Some(_) => {}
            None => usable.push((profile, plid)),
        }
    }
    let pick = |profile: H264Profile, plid: u32, fit: Fit| H264Choice {
        profile_level_id: plid,
        stream,
        answered: profile,
        fit,
    };
    if let Some(stream_profile) = stream {
        if let Some(&(profile, plid)) = usable.iter().find(|(p, _)| *p == stream_profile) {
            let answer = if well_formed(stream_profile_level_id) {
                stream_profile_level_id
            } else {
                plid
            };
            return Some(pick(profile, answer, Fit::Exact));
        }
        if let Some(&(profile, plid)) = usable
            .iter()
            .filter(|(p, _)| p.decodes(stream_profile))
            .min_by_key(|(p, _)| p.capability())
        {
            return Some(pick(profile, plid, Fit::Decodes));
        }
    }
    usable
        .iter()
        .max_by_key(|(p, _)| p.capability())
        .map(|&(profile, plid)| pick(profile, plid, Fit::Fallback))
}

/// Order of levels (level 1b, `level_idc` 11 with constraint_set3 in Baseline-like profiles,
/// ranks with 1.1 here: close enough for choosing among a viewer's formats).
fn level_rank(profile_level_id: u32) -> u8 {
    profile_level_id.to_be_bytes()[3]
}

#[cfg(test)]
mod tests {
    use super::*;
    use H264Profile::*;

    fn offer(list: &[(u32, bool)]) -> Vec<OfferedH264> {
        list.iter()
            .map(|&(profile_level_id, packetization_mode1)| OfferedH264 {
                profile_level_id,
                packetization_mode1,
            })
            .collect()
    }

    /// What Debian's Chromium 156 offers: each of these in modes 1 and 0, no High.
    fn debian_chromium() -> Vec<OfferedH264> {
        offer(&[
            (0x42001f, true),
            (0x42001f, false),
            (0x42e01f, true),
            (0x42e01f, false),
            (0x4d001f, true),
            (0x4d001f, false),
            (0xf4001f, true),
            (0xf4001f, false),
        ])
    }

    /// Firefox: Constrained Baseline only.
    fn firefox() -> Vec<OfferedH264> {
        offer(&[(0x42e01f, true), (0x42e01f, false)])
    }

    /// Google Chrome with High (and Constrained High) in its list.
    fn chrome() -> Vec<OfferedH264> {
        offer(&[
            (0x42001f, true),
            (0x42e01f, true),
            (0x4d001f, true),
            (0x640c1f, true),
            (0x64001f, true),
            (0x64001f, false),
        ])
    }

    #[test]
    fn profile_level_ids_name_their_profiles() {
        let cases = [
            (0x42001f, Baseline),
            (0x42e01f, ConstrainedBaseline),
            (0x42c01f, ConstrainedBaseline),
            (0x4d001f, Main),
            (0x4d401f, Main),
            (0x4d801f, ConstrainedBaseline),
            (0x58001f, Extended),
            (0x640028, High),
            (0x640c1f, ConstrainedHigh),
            (0x6e001f, High10),
            (0x7a001f, High422),
            (0xf4001f, High444),
            (0xf4101f, High444Intra),
        ];
        for (plid, profile) in cases {
            assert_eq!(
                H264Profile::from_profile_level_id(plid),
                Some(profile),
                "{plid:06x}"
            );
        }
        assert_eq!(H264Profile::from_profile_level_id(0x640828), None);
        assert_eq!(H264Profile::from_profile_level_id(0x11001f), None);
    }

    #[test]
    fn a_high_stream_plays_in_debian_chromium_through_high_444() {
        let choice = choose_h264(0x640028, &debian_chromium()).unwrap();
        assert_eq!(choice.profile_level_id, 0xf4001f);
        assert_eq!((choice.stream, choice.answered), (Some(High), High444));
        assert_eq!(choice.fit, Fit::Decodes);
    }

    #[test]
    fn a_high_stream_falls_back_to_constrained_baseline_in_firefox() {
        let choice = choose_h264(0x64001f, &firefox()).unwrap();
        assert_eq!(choice.profile_level_id, 0x42e01f);
        assert_eq!(choice.answered, ConstrainedBaseline);
        assert_eq!(choice.fit, Fit::Fallback);
    }

    #[test]
    fn the_exact_profile_wins_and_keeps_the_streams_profile_level_id() {
        let choice = choose_h264(0x640028, &chrome()).unwrap();
        assert_eq!(
            (choice.profile_level_id, choice.fit),
            (0x640028, Fit::Exact)
        );
        let main = choose_h264(0x4d401f, &debian_chromium()).unwrap();
        assert_eq!((main.profile_level_id, main.fit), (0x4d401f, Fit::Exact));
        let cb = choose_h264(0x42c01e, &firefox()).unwrap();
        assert_eq!((cb.profile_level_id, cb.fit), (0x42c01e, Fit::Exact));
    }

    #[test]
    fn main_and_baseline_streams_use_a_decoder_that_must_play_them() {
        // A Main stream in Firefox: no decoder there must play Main; fall back.
        let choice = choose_h264(0x4d401f, &firefox()).unwrap();
        assert_eq!(
            (choice.answered, choice.fit),
            (ConstrainedBaseline, Fit::Fallback)
        );
        // Constrained High in Debian's Chromium: High 4:4:4 decoders play it.
        let choice = choose_h264(0x640c1f, &debian_chromium()).unwrap();
        assert_eq!((choice.answered, choice.fit), (High444, Fit::Decodes));
    }

    #[test]
    fn a_high_444_stream_is_answered_exactly_where_offered_else_by_fallback() {
        let choice = choose_h264(0xf4001f, &debian_chromium()).unwrap();
        assert_eq!(choice.fit, Fit::Exact);
        let choice = choose_h264(0xf40032, &chrome()).unwrap();
        assert_eq!((choice.answered, choice.fit), (High, Fit::Fallback));
    }

    #[test]
    fn malformed_stream_ids_still_get_an_answerable_format() {
        // x264's Progressive High sets constraint_set4: no row of table 5, but High by its idc.
        let choice = choose_h264(0x640828, &chrome()).unwrap();
        assert_eq!(
            (choice.profile_level_id, choice.fit),
            (0x64001f, Fit::Exact)
        );
        // Level 6.2 is beyond what str0m matches: the viewer's level is answered.
        let choice = choose_h264(0x64003e, &chrome()).unwrap();
        assert_eq!(choice.profile_level_id, 0x64001f);
        // An unknown profile_idc falls back to the most capable format.
        let choice = choose_h264(0x11001f, &debian_chromium()).unwrap();
        assert_eq!((choice.answered, choice.fit), (High444, Fit::Fallback));
    }

    #[test]
    fn only_packetization_mode_1_and_well_formed_formats_are_used() {
        assert_eq!(choose_h264(0x64001f, &offer(&[(0x64001f, false)])), None);
        assert_eq!(choose_h264(0x64001f, &offer(&[(0x640899, true)])), None);
        assert_eq!(choose_h264(0x64001f, &[]), None);
        let levels = offer(&[(0x42e00a, true), (0x42e034, true), (0x42e01f, true)]);
        let choice = choose_h264(0x64001f, &levels).unwrap();
        assert_eq!(
            choice.profile_level_id, 0x42e034,
            "the highest level offered"
        );
    }
}
