//! Decoding one H.264 keyframe to RGB with OpenH264 (Cisco's decoder, built from source by the
//! `openh264` crate, so no system library or download is needed).
//!
//! Each call builds its own decoder: a keyframe decodes on its own, so nothing is shared between
//! calls and any blocking thread can run one. Before OpenH264 sees a byte, the SPS is parsed by
//! our own (fuzzed) parser and pictures larger than [`MAX_PIXELS`] are refused, which bounds the
//! memory a hostile stream can make the decoder allocate.

use image::RgbImage;
use openh264::decoder::Decoder;
use openh264::formats::YUVSource;
use shimmer_media::h264::{self, annexb};

use crate::ThumbnailError;

/// Largest picture decoded: 4096×2304 (4K-class streams still get thumbnails).
pub const MAX_PIXELS: u64 = 4096 * 2304;

/// Decodes an Annex-B access unit holding SPS, PPS and an IDR picture into an RGB image of the
/// stream's display size.
pub fn decode_keyframe(access_unit: &[u8]) -> Result<RgbImage, ThumbnailError> {
    let nals = annexb::split_nal_units(access_unit);
    let has = |kind: u8| {
        nals.iter()
            .any(|nal| nal.first().is_some_and(|h| h264::nal_type(*h) == kind))
    };
    if !has(h264::NAL_PPS) {
        return Err(ThumbnailError::IncompleteKeyframe("no PPS"));
    }
    if !has(h264::NAL_IDR) {
        return Err(ThumbnailError::IncompleteKeyframe("no IDR slice"));
    }
    let sps = nals
        .iter()
        .find(|nal| {
            nal.first()
                .is_some_and(|h| h264::nal_type(*h) == h264::NAL_SPS)
        })
        .ok_or(ThumbnailError::IncompleteKeyframe("no SPS"))?;
    let info =
        h264::parse_sps(sps).map_err(|_| ThumbnailError::IncompleteKeyframe("unreadable SPS"))?;
    if let Some(warning @ h264::PlaybackWarning::NotPlayable { .. }) =
        h264::H264Format::of(&info).playback_warning()
    {
        return Err(ThumbnailError::UnsupportedFormat(warning));
    }
    if u64::from(info.width) * u64::from(info.height) > MAX_PIXELS {
        return Err(ThumbnailError::PictureTooLarge {
            width: info.width,
            height: info.height,
        });
    }
    let mut decoder = Decoder::new().map_err(|e| ThumbnailError::Decode(e.to_string()))?;
    if let Some(yuv) = decoder
        .decode(access_unit)
        .map_err(|e| ThumbnailError::Decode(e.to_string()))?
    {
        return to_rgb(&yuv);
    }
    let frames = decoder
        .flush_remaining()
        .map_err(|e| ThumbnailError::Decode(e.to_string()))?;
    frames
        .first()
        .map_or(Err(ThumbnailError::NoPicture), to_rgb)
}

fn to_rgb(yuv: &openh264::decoder::DecodedYUV<'_>) -> Result<RgbImage, ThumbnailError> {
    let (width, height) = yuv.dimensions();
    if width == 0 || height == 0 || (width as u64) * (height as u64) > MAX_PIXELS {
        return Err(ThumbnailError::NoPicture);
    }
    let mut rgb = vec![0u8; yuv.rgb8_len()];
    yuv.write_rgb8(&mut rgb);
    RgbImage::from_raw(width as u32, height as u32, rgb).ok_or(ThumbnailError::NoPicture)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn incomplete_keyframes_are_refused_before_decoding() {
        let sps_only = [0, 0, 0, 1, 0x67, 0x4d, 0x40, 0x1f];
        assert!(matches!(
            decode_keyframe(&sps_only),
            Err(ThumbnailError::IncompleteKeyframe(_))
        ));
        assert!(matches!(
            decode_keyframe(&[]),
            Err(ThumbnailError::IncompleteKeyframe(_))
        ));
        // PPS and IDR present but the SPS is garbage.
        let garbage = [
            0, 0, 0, 1, 0x67, 0xff, 0, 0, 0, 1, 0x68, 0xee, 0, 0, 0, 1, 0x65, 0x88, 0x84,
        ];
        assert!(matches!(
            decode_keyframe(&garbage),
            Err(ThumbnailError::IncompleteKeyframe("unreadable SPS"))
        ));
    }

    #[test]
    fn a_corrupt_slice_is_an_error_not_a_panic() {
        // A real 720p SPS with a nonsense PPS and slice.
        let mut au = vec![0, 0, 0, 1];
        au.extend_from_slice(&[
            0x67, 0x4d, 0x40, 0x1f, 0xda, 0x01, 0x40, 0x16, 0xec, 0x04, 0x40, 0x00, 0x00, 0x03,
            0x00, 0x40, 0x00, 0x00, 0x0f, 0x23, 0xc6, 0x0c, 0xa8,
        ]);
        au.extend_from_slice(&[0, 0, 0, 1, 0x68, 0x12, 0x34]);
        au.extend_from_slice(&[0, 0, 0, 1, 0x65]);
        au.extend(std::iter::repeat_n(0x5a, 200));
        assert!(decode_keyframe(&au).is_err());
    }
}
