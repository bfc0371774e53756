//! Uploaded posters: what an offline channel shows in its player and on its card.
//!
//! An upload is trusted for nothing: the type comes from the magic bytes, the header's
//! dimensions are checked before any pixel is decoded, the decoder runs with memory limits, and
//! what is stored is our own re-encoding (cropped to fill both card sizes), never the upload.
//! So a file that only claims to be an image (a PNG header over garbage) is refused, and no
//! metadata or trailing payload of the original survives.

use std::io::Cursor;

use image::{ImageFormat, ImageReader, Limits};

use crate::frame::Fit;
use crate::render::renditions;
use crate::{Renditions, ThumbnailError};

/// Largest upload accepted.
pub const MAX_POSTER_BYTES: usize = 4 * 1024 * 1024;
/// Largest width or height accepted.
pub const MAX_POSTER_SIDE: u32 = 4096;
/// Smallest width and height accepted (anything smaller looks blurry on a card).
pub const MIN_POSTER_SIZE: (u32, u32) = (160, 90);

fn refuse(message: impl Into<String>) -> ThumbnailError {
    ThumbnailError::InvalidPoster(message.into())
}

fn format_of(bytes: &[u8]) -> Option<(ImageFormat, &'static str)> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some((ImageFormat::Png, "PNG"))
    } else if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
        Some((ImageFormat::Jpeg, "JPEG"))
    } else {
        None
    }
}

/// Checks an uploaded poster and returns our JPEG renditions of it. Every refusal says, in
/// words for the uploader, what was wrong. CPU-bound: run it on a blocking thread.
pub fn prepare(bytes: &[u8]) -> Result<Renditions, ThumbnailError> {
    if bytes.is_empty() {
        return Err(refuse("Choose an image file to upload."));
    }
    if bytes.len() > MAX_POSTER_BYTES {
        return Err(refuse("That file is too large: posters are at most 4 MB."));
    }
    let (format, name) =
        format_of(bytes).ok_or_else(|| refuse("Posters must be JPEG or PNG images."))?;
    let damaged = || {
        refuse(format!(
            "That {name} file is damaged or is not really an image."
        ))
    };
    let (width, height) = ImageReader::with_format(Cursor::new(bytes), format)
        .into_dimensions()
        .map_err(|_| damaged())?;
    if width > MAX_POSTER_SIDE || height > MAX_POSTER_SIDE {
        return Err(refuse(format!(
            "That image is {width}×{height} pixels; posters can be at most \
             {MAX_POSTER_SIDE}×{MAX_POSTER_SIDE}."
        )));
    }
    let (min_w, min_h) = MIN_POSTER_SIZE;
    if width < min_w || height < min_h {
        return Err(refuse(format!(
            "That image is {width}×{height} pixels; posters are at least {min_w}×{min_h}."
        )));
    }
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_POSTER_SIDE);
    limits.max_image_height = Some(MAX_POSTER_SIDE);
    limits.max_alloc = Some(256 * 1024 * 1024);
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(limits);
    let image = reader.decode().map_err(|_| damaged())?.to_rgb8();
    renditions(&image, Fit::Cover)
}

#[cfg(test)]
mod tests {
    use image::{Rgb, RgbImage};

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

    fn message(result: Result<Renditions, ThumbnailError>) -> String {
        match result {
            Err(ThumbnailError::InvalidPoster(message)) => message,
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
