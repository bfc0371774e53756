//! Why a thumbnail or poster could not be made.

use thiserror::Error;

/// Why a thumbnail or poster could not be made. The upload variants carry a message a person
/// can act on; the website shows it as is.
#[derive(Debug, Error)]
pub enum ThumbnailError {
    /// The keyframe had no usable SPS, PPS and IDR slice.
    #[error("the keyframe is incomplete: {0}")]
    IncompleteKeyframe(&'static str),
    /// The stream's picture is larger than the thumbnailer decodes.
    #[error("the picture is {width}×{height}, larger than the thumbnailer decodes")]
    PictureTooLarge {
        /// Width from the SPS.
        width: u32,
        /// Height from the SPS.
        height: u32,
    },
    /// The stream's format is one no browser (and not OpenH264) decodes, e.g. High 4:4:4.
    #[error("{0}")]
    UnsupportedFormat(shimmer_media::h264::PlaybackWarning),
    /// OpenH264 refused the bit stream.
    #[error("the H.264 decoder failed: {0}")]
    Decode(String),
    /// The decoder accepted the keyframe but produced no picture.
    #[error("the H.264 decoder produced no picture")]
    NoPicture,
    /// JPEG encoding failed (it does not for valid images; kept so nothing panics).
    #[error("JPEG encoding failed: {0}")]
    Encode(String),
    /// An uploaded poster was refused; the message says why, in words for the uploader.
    #[error("{0}")]
    InvalidPoster(String),
    /// A thumbnail uploaded by an ingest server was refused; the message says why.
    #[error("{0}")]
    InvalidThumbnail(String),
}
