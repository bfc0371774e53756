//! The checks every uploaded picture goes through, whether it becomes a poster or a live
//! thumbnail sent by an external ingest server.
//!
//! An upload is trusted for nothing: the type comes from the magic bytes, the header's
//! dimensions are checked before any pixel is decoded, and the decoder runs with memory limits.
//! What is kept is always our own re-encoding, never the upload, so a file that only claims to
//! be an image (a PNG header over garbage) is refused and nothing of the original survives.

use std::io::Cursor;

use image::{ImageFormat, ImageReader, Limits, RgbImage};

use crate::ImageError;

/// Largest width or height accepted.
pub(crate) const MAX_SIDE: u32 = 4096;
/// Smallest width and height accepted (anything smaller looks blurry on a card).
pub(crate) const MIN_SIZE: (u32, u32) = (160, 90);

/// What one kind of upload is called and how large it may be.
pub(crate) struct Rules {
    /// The kind, plural and lower case, as messages name it ("posters").
    pub plural: &'static str,
    /// What an empty upload is told.
    pub empty: &'static str,
    /// Largest file accepted, in bytes.
    pub max_bytes: usize,
    /// The refusal this kind of upload is reported as.
    pub refused: fn(String) -> ImageError,
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

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Decodes an uploaded JPEG or PNG within the limits; every refusal says, in words for the
/// uploader, what was wrong. CPU-bound: run it on a blocking thread.
pub(crate) fn decode(bytes: &[u8], rules: &Rules) -> Result<RgbImage, ImageError> {
    let refuse = |message: String| (rules.refused)(message);
    let plural = rules.plural;
    if bytes.is_empty() {
        return Err(refuse(rules.empty.to_owned()));
    }
    if bytes.len() > rules.max_bytes {
        let megabytes = rules.max_bytes / (1024 * 1024);
        return Err(refuse(format!(
            "That file is too large: {plural} are at most {megabytes} MB."
        )));
    }
    let (format, name) = format_of(bytes).ok_or_else(|| {
        refuse(format!(
            "{} must be JPEG or PNG images.",
            capitalised(plural)
        ))
    })?;
    let damaged = || {
        refuse(format!(
            "That {name} file is damaged or is not really an image."
        ))
    };
    let (width, height) = ImageReader::with_format(Cursor::new(bytes), format)
        .into_dimensions()
        .map_err(|_| damaged())?;
    if width > MAX_SIDE || height > MAX_SIDE {
        return Err(refuse(format!(
            "That image is {width}×{height} pixels; {plural} can be at most {MAX_SIDE}×{MAX_SIDE}."
        )));
    }
    let (min_w, min_h) = MIN_SIZE;
    if width < min_w || height < min_h {
        return Err(refuse(format!(
            "That image is {width}×{height} pixels; {plural} are at least {min_w}×{min_h}."
        )));
    }
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(256 * 1024 * 1024);
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(limits);
    Ok(reader.decode().map_err(|_| damaged())?.to_rgb8())
}
