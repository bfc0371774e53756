//! Why a live stream's thumbnail could not be rendered.

use thiserror::Error;

/// Why a live stream's keyframe could not be rendered as a thumbnail.
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
    /// Encoding the picture failed.
    #[error(transparent)]
    Image(#[from] shimmer_images::ImageError),
}
