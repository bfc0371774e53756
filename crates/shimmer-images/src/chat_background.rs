//! Chat backgrounds: a picture a streamer puts behind their channel's chat (on the channel page
//! and the pop-out chat).
//!
//! The upload goes through the checks every upload does ([`crate::upload`]: type from the magic
//! bytes, dimensions before pixels, a decoder with memory limits). What is stored is our own
//! JPEG, scaled down (never up) to fit [`MAX_SIDE`] keeping its shape, since the chat's box
//! changes shape with the window and the page crops the picture to fill it.

use image::imageops;

use crate::encode::encode_jpeg;
use crate::frame::contained_size;
use crate::upload::{self, Rules};
use crate::{ImageError, Jpeg};

/// Largest upload accepted.
pub const MAX_CHAT_BACKGROUND_BYTES: usize = 4 * 1024 * 1024;
/// The stored picture's longest side at most, in pixels.
pub const MAX_SIDE: u32 = 1280;

const RULES: Rules = Rules {
    plural: "chat backgrounds",
    empty: "Choose an image file to upload.",
    max_bytes: MAX_CHAT_BACKGROUND_BYTES,
    refused: ImageError::InvalidChatBackground,
};

/// Checks an uploaded chat background and returns our JPEG of it. Every refusal says, in words
/// for the uploader, what was wrong. CPU-bound: run it on a blocking thread.
pub fn prepare(bytes: &[u8]) -> Result<Jpeg, ImageError> {
    let image = upload::decode(bytes, &RULES)?;
    let (width, height) = image.dimensions();
    if width <= MAX_SIDE && height <= MAX_SIDE {
        return encode_jpeg(&image);
    }
    let (w, h) = contained_size(width, height, MAX_SIDE, MAX_SIDE);
    encode_jpeg(&imageops::thumbnail(&image, w, h))
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use image::{ImageFormat, Rgb, RgbImage};

    use super::*;

    fn encoded(width: u32, height: u32, format: ImageFormat) -> Vec<u8> {
        let image = RgbImage::from_fn(width, height, |_, y| {
            if y < height / 2 {
                Rgb([220, 60, 40])
            } else {
                Rgb([30, 60, 200])
            }
        });
        let mut bytes = Vec::new();
        image
            .write_to(&mut Cursor::new(&mut bytes), format)
            .unwrap();
        bytes
    }

    fn message(result: Result<Jpeg, ImageError>) -> String {
        match result {
            Err(ImageError::InvalidChatBackground(message)) => message,
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    fn dimensions(jpeg: &Jpeg) -> (u32, u32) {
        image::load_from_memory(&jpeg.bytes)
            .unwrap()
            .to_rgb8()
            .dimensions()
    }

    #[test]
    fn good_backgrounds_keep_their_shape_and_are_never_enlarged() {
        for format in [ImageFormat::Png, ImageFormat::Jpeg] {
            // A tall picture, as a chat column is: kept as it is.
            let tall = prepare(&encoded(400, 900, format)).unwrap();
            assert_eq!(dimensions(&tall), (400, 900));
            // A large one is scaled to fit 1280 on its longest side.
            let large = prepare(&encoded(3000, 1500, format)).unwrap();
            assert_eq!(dimensions(&large), (1280, 640));
            let decoded = image::load_from_memory(&large.bytes).unwrap().to_rgb8();
            assert!(decoded.get_pixel(640, 10)[0] > 150, "red stays on top");
            assert!(decoded.get_pixel(640, 630)[2] > 150, "blue stays below");
        }
        let small = prepare(&encoded(200, 120, ImageFormat::Png)).unwrap();
        assert_eq!(dimensions(&small), (200, 120));
    }

    #[test]
    fn bad_uploads_are_refused_with_reasons() {
        assert!(message(prepare(&[])).contains("Choose an image"));
        assert_eq!(
            message(prepare(b"GIF89a....")),
            "Chat backgrounds must be JPEG or PNG images."
        );
        assert!(message(prepare(b"<svg xmlns=...>")).contains("JPEG or PNG"));
        let mut fake = b"\x89PNG\r\n\x1a\n".to_vec();
        fake.extend(std::iter::repeat_n(0x41, 5000));
        assert!(message(prepare(&fake)).contains("damaged"));
        let png = encoded(800, 450, ImageFormat::Png);
        assert!(message(prepare(&png[..png.len() / 2])).contains("damaged"));
        let huge = vec![0u8; MAX_CHAT_BACKGROUND_BYTES + 1];
        assert_eq!(
            message(prepare(&huge)),
            "That file is too large: chat backgrounds are at most 4 MB."
        );
        assert_eq!(
            message(prepare(&encoded(5000, 100, ImageFormat::Png))),
            "That image is 5000×100 pixels; chat backgrounds can be at most 4096×4096."
        );
        assert_eq!(
            message(prepare(&encoded(100, 50, ImageFormat::Png))),
            "That image is 100×50 pixels; chat backgrounds are at least 160×90."
        );
    }
}
