//! Why a still image could not be made.

use thiserror::Error;

/// Why a picture could not be made or was refused. The upload variants carry a message a
/// person can act on; the website and the API show it as is.
#[derive(Debug, Error)]
pub enum ImageError {
    /// JPEG encoding failed (it does not for valid images; kept so nothing panics).
    #[error("JPEG encoding failed: {0}")]
    Encode(String),
    /// An uploaded poster was refused; the message says why, in words for the uploader.
    #[error("{0}")]
    InvalidPoster(String),
    /// An uploaded chat background was refused; the message says why, in words for the uploader.
    #[error("{0}")]
    InvalidChatBackground(String),
    /// A thumbnail uploaded by an ingest server was refused; the message says why.
    #[error("{0}")]
    InvalidThumbnail(String),
}
