//! From an Annex-B keyframe to the two card JPEGs: decode, letterbox into 832×468, scale that to
//! 416×234, encode both.

use std::time::Instant;

use shimmer_images::encode::renditions;
use shimmer_images::frame::Fit;
use shimmer_images::Renditions;

use crate::{decode, ThumbnailError};

/// Decodes a keyframe (Annex-B: SPS, PPS, IDR) and returns it letterboxed in both card sizes.
/// CPU-bound (tens of milliseconds for 720p): run it on a blocking thread.
pub fn render_keyframe(access_unit: &[u8]) -> Result<Renditions, ThumbnailError> {
    let started = Instant::now();
    let picture = decode::decode_keyframe(access_unit)?;
    metrics::histogram!("shimmer_thumbnail_decode_duration_seconds")
        .record(started.elapsed().as_secs_f64());
    Ok(renditions(&picture, Fit::Letterbox)?)
}

#[cfg(test)]
pub(crate) mod tests {
    use image::{Rgb, RgbImage};
    use openh264::encoder::Encoder;
    use openh264::formats::{RgbSliceU8, YUVBuffer};

    use super::*;

    /// A 1280×720 test card: red, green, blue and white quadrants.
    pub(crate) fn quadrants() -> RgbImage {
        RgbImage::from_fn(1280, 720, |x, y| match (x < 640, y < 360) {
            (true, true) => Rgb([230, 20, 20]),
            (false, true) => Rgb([20, 200, 20]),
            (true, false) => Rgb([20, 20, 230]),
            (false, false) => Rgb([240, 240, 240]),
        })
    }

    /// The picture encoded as the first (IDR) frame of an H.264 stream, in Annex-B.
    pub(crate) fn h264_keyframe(image: &RgbImage) -> Vec<u8> {
        let (w, h) = image.dimensions();
        let yuv =
            YUVBuffer::from_rgb8_source(RgbSliceU8::new(image.as_raw(), (w as usize, h as usize)));
        let mut encoder = Encoder::new().unwrap();
        encoder.encode(&yuv).unwrap().to_vec()
    }

    fn close(a: &Rgb<u8>, b: [u8; 3]) -> bool {
        a.0.iter().zip(b).all(|(x, y)| x.abs_diff(y) < 40)
    }

    #[test]
    fn a_keyframe_becomes_two_card_jpegs_with_its_colours() {
        let keyframe = h264_keyframe(&quadrants());
        let decoded = decode::decode_keyframe(&keyframe).unwrap();
        assert_eq!(decoded.dimensions(), (1280, 720));
        assert!(close(decoded.get_pixel(100, 100), [230, 20, 20]));
        assert!(close(decoded.get_pixel(1100, 600), [240, 240, 240]));

        let out = render_keyframe(&keyframe).unwrap();
        for (jpeg, (w, h)) in [(&out.large, (832, 468)), (&out.small, (416, 234))] {
            assert!(jpeg.bytes.starts_with(&[0xff, 0xd8, 0xff]), "a JPEG");
            let image = image::load_from_memory(&jpeg.bytes).unwrap().to_rgb8();
            assert_eq!(image.dimensions(), (w, h));
            assert!(close(image.get_pixel(w / 4, h / 4), [230, 20, 20]));
            assert!(close(image.get_pixel(3 * w / 4, h / 4), [20, 200, 20]));
            assert!(close(image.get_pixel(w / 4, 3 * h / 4), [20, 20, 230]));
        }
        assert_ne!(out.large.etag, out.small.etag);
    }

    #[test]
    fn a_4_3_stream_is_pillarboxed() {
        let picture = RgbImage::from_pixel(640, 480, Rgb([200, 200, 0]));
        let out = render_keyframe(&h264_keyframe(&picture)).unwrap();
        let image = image::load_from_memory(&out.small.bytes).unwrap().to_rgb8();
        assert!(close(image.get_pixel(2, 117), [0, 0, 0]), "bar");
        assert!(close(image.get_pixel(208, 117), [200, 200, 0]), "picture");
    }
}
