//! Sequence parameter set parsing (H.264 7.3.2.1.1): the real resolution and profile of a stream.
//!
//! FTL clients always announce 1280x720 whatever they send, so the only trustworthy source of the
//! resolution is the SPS itself. WebRTC needs `profile_idc`, the constraint flags and `level_idc`
//! to build the SDP's `profile-level-id`.

use thiserror::Error;

/// Why an SPS could not be parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum SpsError {
    /// The bit stream ended before the fields we need.
    #[error("SPS truncated")]
    Truncated,
    /// The NAL header is not an SPS.
    #[error("not an SPS NAL unit")]
    NotSps,
    /// A field is outside the range the standard allows.
    #[error("SPS field out of range: {0}")]
    OutOfRange(&'static str),
}

/// What Shimmer needs from an SPS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SpsInfo {
    /// profile_idc (66 baseline, 77 main, 100 high, ...).
    pub profile_idc: u8,
    /// The byte of constraint_set0..5 flags plus reserved bits, as it appears in the SPS.
    pub constraint_flags: u8,
    /// level_idc (31 = level 3.1).
    pub level_idc: u8,
    /// chroma_format_idc: 0 monochrome, 1 4:2:0, 2 4:2:2, 3 4:4:4 (1 when the profile cannot
    /// signal it).
    pub chroma_format_idc: u8,
    /// The larger of the luma and chroma sample bit depths (8 when the profile cannot signal it).
    pub bit_depth: u8,
    /// Displayed width in pixels, after cropping.
    pub width: u32,
    /// Displayed height in pixels, after cropping.
    pub height: u32,
}

impl SpsInfo {
    /// The SDP `profile-level-id` (RFC 6184): six hex digits of profile, constraints and level.
    pub fn profile_level_id(&self) -> String {
        format!(
            "{:02x}{:02x}{:02x}",
            self.profile_idc, self.constraint_flags, self.level_idc
        )
    }
}

/// Reads bits most-significant first from an RBSP (emulation prevention already removed).
pub(super) struct BitReader<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> BitReader<'a> {
    pub(super) fn new(data: &'a [u8]) -> Self {
        Self { data, pos: 0 }
    }

    fn bit(&mut self) -> Result<u32, SpsError> {
        let byte = *self.data.get(self.pos / 8).ok_or(SpsError::Truncated)?;
        let b = (byte >> (7 - (self.pos % 8))) & 1;
        self.pos += 1;
        Ok(u32::from(b))
    }

    fn bits(&mut self, n: u32) -> Result<u32, SpsError> {
        let mut v = 0;
        for _ in 0..n {
            v = (v << 1) | self.bit()?;
        }
        Ok(v)
    }

    fn flag(&mut self) -> Result<bool, SpsError> {
        Ok(self.bit()? == 1)
    }

    /// Unsigned exp-Golomb; values above 2^31 are rejected.
    pub(super) fn ue(&mut self) -> Result<u32, SpsError> {
        let mut zeros = 0;
        while self.bit()? == 0 {
            zeros += 1;
            if zeros > 31 {
                return Err(SpsError::OutOfRange("exp-Golomb code too long"));
            }
        }
        let rest = self.bits(zeros)?;
        Ok(((1u64 << zeros) - 1 + u64::from(rest)) as u32)
    }

    /// Signed exp-Golomb.
    fn se(&mut self) -> Result<i64, SpsError> {
        let k = i64::from(self.ue()?);
        Ok(if k % 2 == 1 { (k + 1) / 2 } else { -(k / 2) })
    }
}

/// Removes emulation prevention bytes (`00 00 03` -> `00 00`).
pub(super) fn unescape(nal: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(nal.len());
    let mut zeros = 0;
    for &b in nal {
        if zeros >= 2 && b == 3 {
            zeros = 0;
            continue;
        }
        zeros = if b == 0 { zeros + 1 } else { 0 };
        out.push(b);
    }
    out
}

fn skip_scaling_list(r: &mut BitReader<'_>, size: usize) -> Result<(), SpsError> {
    let mut last: i64 = 8;
    let mut next: i64 = 8;
    for _ in 0..size {
        if next != 0 {
            let delta = r.se()?;
            if !(-128..=127).contains(&delta) {
                return Err(SpsError::OutOfRange("delta_scale"));
            }
            next = (last + delta + 256) % 256;
        }
        if next != 0 {
            last = next;
        }
    }
    Ok(())
}

/// Parses an SPS NAL unit (header byte first, as found in an RTP payload or Annex-B stream).
pub fn parse_sps(nal: &[u8]) -> Result<SpsInfo, SpsError> {
    let header = *nal.first().ok_or(SpsError::Truncated)?;
    if super::nal_type(header) != super::NAL_SPS {
        return Err(SpsError::NotSps);
    }
    let rbsp = unescape(&nal[1..]);
    let mut r = BitReader::new(&rbsp);
    let profile_idc = r.bits(8)? as u8;
    let constraint_flags = r.bits(8)? as u8;
    let level_idc = r.bits(8)? as u8;
    let sps_id = r.ue()?;
    if sps_id > 31 {
        return Err(SpsError::OutOfRange("seq_parameter_set_id"));
    }
    let mut chroma_format_idc = 1;
    let mut separate_colour_plane = false;
    let mut bit_depth = 8;
    if matches!(
        profile_idc,
        100 | 110 | 122 | 244 | 44 | 83 | 86 | 118 | 128 | 138 | 139 | 134 | 135
    ) {
        chroma_format_idc = r.ue()?;
        if chroma_format_idc > 3 {
            return Err(SpsError::OutOfRange("chroma_format_idc"));
        }
        if chroma_format_idc == 3 {
            separate_colour_plane = r.flag()?;
        }
        let luma = r.ue()?;
        let chroma = r.ue()?;
        if luma > 6 || chroma > 6 {
            return Err(SpsError::OutOfRange("bit_depth_minus8"));
        }
        bit_depth = 8 + luma.max(chroma) as u8;
        let _qpprime_bypass = r.flag()?;
        if r.flag()? {
            let lists = if chroma_format_idc == 3 { 12 } else { 8 };
            for i in 0..lists {
                if r.flag()? {
                    skip_scaling_list(&mut r, if i < 6 { 16 } else { 64 })?;
                }
            }
        }
    }
    let _log2_max_frame_num = r.ue()?;
    let poc_type = r.ue()?;
    match poc_type {
        0 => {
            let _log2_max_poc_lsb = r.ue()?;
        }
        1 => {
            let _delta_always_zero = r.flag()?;
            let _offset_non_ref = r.se()?;
            let _offset_top_bottom = r.se()?;
            let cycle = r.ue()?;
            if cycle > 255 {
                return Err(SpsError::OutOfRange(
                    "num_ref_frames_in_pic_order_cnt_cycle",
                ));
            }
            for _ in 0..cycle {
                let _ = r.se()?;
            }
        }
        2 => {}
        _ => return Err(SpsError::OutOfRange("pic_order_cnt_type")),
    }
    let _max_num_ref_frames = r.ue()?;
    let _gaps_allowed = r.flag()?;
    let width_mbs = u64::from(r.ue()?) + 1;
    let height_map_units = u64::from(r.ue()?) + 1;
    let frame_mbs_only = r.flag()?;
    if !frame_mbs_only {
        let _mb_adaptive = r.flag()?;
    }
    let _direct_8x8 = r.flag()?;
    let (mut crop_l, mut crop_r, mut crop_t, mut crop_b) = (0u64, 0u64, 0u64, 0u64);
    if r.flag()? {
        crop_l = u64::from(r.ue()?);
        crop_r = u64::from(r.ue()?);
        crop_t = u64::from(r.ue()?);
        crop_b = u64::from(r.ue()?);
    }
    let field_factor: u64 = if frame_mbs_only { 1 } else { 2 };
    let chroma_array_type = if separate_colour_plane {
        0
    } else {
        chroma_format_idc
    };
    let (crop_unit_x, crop_unit_y) = match chroma_array_type {
        0 => (1, field_factor),
        1 => (2, 2 * field_factor),
        2 => (2, field_factor),
        _ => (1, field_factor),
    };
    let full_w = width_mbs * 16;
    let full_h = height_map_units * 16 * field_factor;
    let width = full_w
        .checked_sub(crop_unit_x * (crop_l + crop_r))
        .ok_or(SpsError::OutOfRange("horizontal cropping"))?;
    let height = full_h
        .checked_sub(crop_unit_y * (crop_t + crop_b))
        .ok_or(SpsError::OutOfRange("vertical cropping"))?;
    if width == 0 || height == 0 || width > 65_536 || height > 65_536 {
        return Err(SpsError::OutOfRange("picture size"));
    }
    Ok(SpsInfo {
        profile_idc,
        constraint_flags,
        level_idc,
        chroma_format_idc: chroma_format_idc as u8,
        bit_depth,
        width: width as u32,
        height: height as u32,
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Writes bits for building test SPSs.
    #[derive(Default)]
    struct BitWriter {
        bytes: Vec<u8>,
        n: usize,
    }

    impl BitWriter {
        fn bit(&mut self, b: u32) {
            if self.n % 8 == 0 {
                self.bytes.push(0);
            }
            if b != 0 {
                let last = self.bytes.len() - 1;
                self.bytes[last] |= 1 << (7 - self.n % 8);
            }
            self.n += 1;
        }
        fn bits(&mut self, v: u32, n: u32) {
            for i in (0..n).rev() {
                self.bit((v >> i) & 1);
            }
        }
        fn ue(&mut self, v: u32) {
            let x = v + 1;
            let len = 32 - x.leading_zeros();
            self.bits(0, len - 1);
            self.bits(x, len);
        }
    }

    /// Builds a minimal High-profile SPS with the given macroblock counts and crop.
    fn high_sps(w_mbs: u32, h_mbs: u32, crop_bottom: u32) -> Vec<u8> {
        let mut w = BitWriter::default();
        w.bits(100, 8); // profile_idc
        w.bits(0, 8); // constraints
        w.bits(31, 8); // level
        w.ue(0); // sps id
        w.ue(1); // chroma 4:2:0
        w.ue(0);
        w.ue(0);
        w.bit(0);
        w.bit(0); // no scaling matrix
        w.ue(0); // log2_max_frame_num
        w.ue(0); // poc type 0
        w.ue(2);
        w.ue(3); // max refs
        w.bit(0);
        w.ue(w_mbs - 1);
        w.ue(h_mbs - 1);
        w.bit(1); // frame_mbs_only
        w.bit(1); // direct 8x8
        if crop_bottom > 0 {
            w.bit(1);
            w.ue(0);
            w.ue(0);
            w.ue(0);
            w.ue(crop_bottom);
        } else {
            w.bit(0);
        }
        w.bit(0); // no VUI
        w.bit(1); // stop bit
        let mut nal = vec![0x67];
        nal.extend(w.bytes);
        nal
    }

    #[test]
    fn parses_1080p_with_cropping() {
        let info = parse_sps(&high_sps(120, 68, 4)).unwrap();
        assert_eq!((info.width, info.height), (1920, 1080));
        assert_eq!(info.profile_idc, 100);
        assert_eq!(info.level_idc, 31);
        assert_eq!(info.profile_level_id(), "64001f");
    }

    /// SPS from ffmpeg/x264, main profile, 1280x720 (emulation prevention inside).
    pub(crate) const X264_MAIN_720P: [u8; 23] = [
        0x67, 0x4d, 0x40, 0x1f, 0xda, 0x01, 0x40, 0x16, 0xec, 0x04, 0x40, 0x00, 0x00, 0x03, 0x00,
        0x40, 0x00, 0x00, 0x0f, 0x23, 0xc6, 0x0c, 0xa8,
    ];

    #[test]
    fn parses_real_x264_streams() {
        let info = parse_sps(&X264_MAIN_720P).unwrap();
        assert_eq!((info.width, info.height), (1280, 720));
        assert_eq!(info.profile_level_id(), "4d401f");
        // Baseline 320x180: 192 coded lines cropped to 180.
        let sps = [
            0x67, 0x42, 0xc0, 0x0d, 0xda, 0x05, 0x06, 0x7e, 0x7c, 0x04, 0x40, 0x00, 0x00, 0x03,
            0x00, 0x40, 0x00, 0x00, 0x0f, 0x03, 0xc5, 0x0a, 0xa8,
        ];
        let info = parse_sps(&sps).unwrap();
        assert_eq!((info.width, info.height), (320, 180));
        assert_eq!(info.profile_level_id(), "42c00d");
    }

    #[test]
    fn reads_chroma_format_and_bit_depth_of_x264_streams() {
        let main = parse_sps(&X264_MAIN_720P).unwrap();
        assert_eq!((main.chroma_format_idc, main.bit_depth), (1, 8));
        // x264 fed RGB (ffmpeg's testsrc without -pix_fmt yuv420p): High 4:4:4, 320x180.
        let high_444 = [
            0x67, 0xf4, 0x00, 0x0d, 0x91, 0x9b, 0x28, 0x28, 0x33, 0xf1, 0xb8, 0x08, 0x80, 0x00,
            0x00, 0x03, 0x00, 0x80, 0x00, 0x00, 0x1e, 0x07, 0x8a, 0x14, 0xcb,
        ];
        let info = parse_sps(&high_444).unwrap();
        assert_eq!((info.profile_idc, info.chroma_format_idc), (244, 3));
        assert_eq!((info.width, info.height, info.bit_depth), (320, 180, 8));
        // x264 with -pix_fmt yuv420p10le: High 10.
        let high_10 = [
            0x67, 0x6e, 0x00, 0x0d, 0xa6, 0xcd, 0x94, 0x14, 0x19, 0xf9, 0xf0, 0x11, 0x00, 0x00,
            0x03, 0x00, 0x01, 0x00, 0x00, 0x03, 0x00, 0x3c, 0x0f, 0x14, 0x29, 0x96,
        ];
        let info = parse_sps(&high_10).unwrap();
        assert_eq!((info.profile_idc, info.chroma_format_idc), (110, 1));
        assert_eq!((info.width, info.height, info.bit_depth), (320, 180, 10));
    }

    #[test]
    fn truncated_and_garbage_fail_cleanly() {
        let sps = high_sps(80, 45, 0);
        for n in 0..sps.len() - 1 {
            let _ = parse_sps(&sps[..n]);
        }
        assert_eq!(parse_sps(&sps[..3]), Err(SpsError::Truncated));
        assert_eq!(parse_sps(&[0x68, 1, 2]), Err(SpsError::NotSps));
        assert!(parse_sps(&[0x67, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 0]).is_err());
    }
}
