//! Uploaded posters: what an offline channel shows in its player and on its card.
//!
//! A poster goes through the checks every upload does ([`crate::upload`]: type from the magic
//! bytes, dimensions before pixels, a decoder with memory limits) and what is stored is our own
//! re-encoding, cropped to fill both card sizes, never the upload.

use crate::encode::renditions;
use crate::frame::Fit;
use crate::upload::{self, Rules};
use crate::{ImageError, Renditions};

/// Largest upload accepted.
pub const MAX_POSTER_BYTES: usize = 4 * 1024 * 1024;

const RULES: Rules = Rules {
    plural: "posters",
    empty: "Choose an image file to upload.",
    max_bytes: MAX_POSTER_BYTES,
    refused: ImageError::InvalidPoster,
};

/// Checks an uploaded poster and returns our JPEG renditions of it. Every refusal says, in
/// words for the uploader, what was wrong. CPU-bound: run it on a blocking thread.
pub fn prepare(bytes: &[u8]) -> Result<Renditions, ImageError> {
    renditions(&upload::decode(bytes, &RULES)?, Fit::Cover)
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use image::{ImageFormat, Rgb, RgbImage};

    use super::*;

    fn encoded(width: u32, height: u32, format: ImageFormat) -> Vec<u8> {
        let image = RgbImage::from_fn(width, height, |x, _| {
            if x < width / 2 {
                Rgb([200, 40, 40])
            } else {
                Rgb([40, 40, 200])
            }
        });
        let mut bytes = Vec::new();
        image
            .write_to(&mut Cursor::new(&mut bytes), format)
            .unwrap();
        bytes
    }

    fn message(result: Result<Renditions, ImageError>) -> String {
        match result {
            Err(ImageError::InvalidPoster(message)) => message,
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn good_posters_are_reencoded_to_both_sizes() {
        for format in [ImageFormat::Png, ImageFormat::Jpeg] {
            let out = prepare(&encoded(1000, 1000, format)).unwrap();
            let large = image::load_from_memory(&out.large.bytes).unwrap().to_rgb8();
            let small = image::load_from_memory(&out.small.bytes).unwrap().to_rgb8();
            assert_eq!(large.dimensions(), (832, 468));
            assert_eq!(small.dimensions(), (416, 234));
            // Cropped to fill: red on the left edge, blue on the right, no bars.
            assert!(large.get_pixel(2, 234)[0] > 150);
            assert!(large.get_pixel(829, 234)[2] > 150);
        }
    }

    #[test]
    fn bad_uploads_are_refused_with_reasons() {
        assert!(message(prepare(&[])).contains("Choose an image"));
        assert!(message(prepare(b"GIF89a....")).contains("JPEG or PNG"));
        assert!(message(prepare(b"<svg xmlns=...>")).contains("JPEG or PNG"));
        let mut fake = b"\x89PNG\r\n\x1a\n".to_vec();
        fake.extend(std::iter::repeat_n(0x41, 5000));
        assert!(message(prepare(&fake)).contains("damaged"));
        let mut fake_jpeg = vec![0xff, 0xd8, 0xff, 0xe0];
        fake_jpeg.extend(std::iter::repeat_n(0x00, 5000));
        assert!(message(prepare(&fake_jpeg)).contains("damaged"));
        // A real PNG cut short.
        let png = encoded(800, 450, ImageFormat::Png);
        assert!(message(prepare(&png[..png.len() / 2])).contains("damaged"));
        let huge = vec![0u8; MAX_POSTER_BYTES + 1];
        assert!(message(prepare(&huge)).contains("at most 4 MB"));
        assert!(message(prepare(&encoded(5000, 100, ImageFormat::Png))).contains("5000×100"));
        assert!(message(prepare(&encoded(100, 50, ImageFormat::Png))).contains("at least"));
    }
}
