//! Encoding a picture as the site's JPEGs, in one size or in both card sizes.

use image::codecs::jpeg::JpegEncoder;
use image::RgbImage;

use crate::frame::{fit, Fit};
use crate::{ImageError, Jpeg, Renditions, ThumbnailSize};

/// JPEG quality of thumbnails and posters: small files, no visible blocking at card sizes.
pub const JPEG_QUALITY: u8 = 82;

/// Encodes an RGB image as a baseline JPEG.
pub fn encode_jpeg(image: &RgbImage) -> Result<Jpeg, ImageError> {
    let mut bytes = Vec::with_capacity(64 * 1024);
    JpegEncoder::new_with_quality(&mut bytes, JPEG_QUALITY)
        .encode_image(image)
        .map_err(|e| ImageError::Encode(e.to_string()))?;
    Ok(Jpeg::new(bytes))
}

/// Both card sizes of a picture: the large one fitted as asked, the small one scaled from it.
pub fn renditions(image: &RgbImage, how: Fit) -> Result<Renditions, ImageError> {
    let (lw, lh) = ThumbnailSize::Large.dimensions();
    let (sw, sh) = ThumbnailSize::Small.dimensions();
    let large = fit(image, lw, lh, how);
    let small = fit(&large, sw, sh, Fit::Letterbox);
    Ok(Renditions {
        large: encode_jpeg(&large)?,
        small: encode_jpeg(&small)?,
    })
}
