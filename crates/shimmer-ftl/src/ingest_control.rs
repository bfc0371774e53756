//! The boundary between FTL ingest and the platform (stream keys, stream lifecycle, metadata).
//! shimmer-platform implements [`IngestControl`]; tests and the benchmark use in-memory versions.

use std::net::SocketAddr;

use crate::control::MediaAnnounce;
use crate::reply::ReplyCode;
use crate::stats::StreamStats;

pub use shimmer_bus::StreamEndReason;

/// A platform call failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ControlError {
    /// The platform considers this stream over (e.g. ended by a moderator): ingest ends it.
    #[error("the stream has ended on the platform")]
    StreamEnded,
    /// Anything else (database down, ...): logged, the stream continues.
    #[error("platform call failed: {0}")]
    Failed(String),
}

/// Why a stream may not start; each maps to an FTL reply code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StartError {
    /// The channel may not stream (unconfirmed email, banned, ...): 401.
    #[error("channel not authorized to stream: {0}")]
    NotAuthorized(String),
    /// The category is blocked: 409.
    #[error("blocked: {0}")]
    Blocked(String),
    /// The platform failed: 500.
    #[error("platform failure: {0}")]
    Internal(String),
}

impl StartError {
    /// The FTL reply code sent to the client.
    pub fn reply_code(&self) -> ReplyCode {
        match self {
            StartError::NotAuthorized(_) => ReplyCode::Unauthorized,
            StartError::Blocked(_) => ReplyCode::GameBlocked,
            StartError::Internal(_) => ReplyCode::InternalError,
        }
    }
}

/// What the platform learns when a stream starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StreamStartInfo {
    /// The authenticated channel.
    pub channel_id: i64,
    /// The encoder's control-connection address.
    pub client_addr: SocketAddr,
    /// What the encoder announced (vendor, codecs, SSRCs).
    pub announce: MediaAnnounce,
}

/// The platform side of ingest. Every call is made off the packet path, from the stream's own
/// task, under the configured deadline (`call_timeout_ms`); a call that misses it counts as failed.
#[async_trait::async_trait]
pub trait IngestControl: Send + Sync + 'static {
    /// The channel's stream-key secret (the part after `<channel_id>-`); None if no such channel.
    async fn channel_secret(&self, channel_id: i64) -> Result<Option<String>, ControlError>;

    /// Starts a stream after a good handshake and returns its id. A channel that is already live
    /// was ended first (`end_stream(.., Replaced)`), so this may assume the channel is offline.
    async fn start_stream(
        &self,
        channel_id: i64,
        info: &StreamStartInfo,
    ) -> Result<i64, StartError>;

    /// Called every `metadata_interval_ms` while live.
    async fn report_metadata(
        &self,
        channel_id: i64,
        stream_id: i64,
        stats: &StreamStats,
    ) -> Result<(), ControlError>;

    /// Called exactly once when a started stream ends, for any reason.
    async fn end_stream(
        &self,
        channel_id: i64,
        stream_id: i64,
        reason: StreamEndReason,
    ) -> Result<(), ControlError>;
}

/// Splits a stream key `<channel id>-<secret>` as RTMP and WHIP encoders send it whole (a query
/// string after `?` is ignored, as some encoders append one). FTL sends the channel id and an
/// HMAC of the secret instead.
pub fn parse_stream_key(key: &str) -> Option<(i64, &str)> {
    let key = key.split('?').next().unwrap_or_default();
    let (id, secret) = key.split_once('-')?;
    let id = id.parse::<i64>().ok().filter(|id| *id > 0)?;
    (!secret.is_empty()).then_some((id, secret))
}

#[cfg(test)]
mod tests {
    use super::parse_stream_key;

    #[test]
    fn stream_keys_split_into_channel_and_secret() {
        assert_eq!(parse_stream_key("42-abc"), Some((42, "abc")));
        assert_eq!(parse_stream_key("42-abc?token=x"), Some((42, "abc")));
        assert_eq!(parse_stream_key("42-"), None);
        assert_eq!(parse_stream_key("x-abc"), None);
        assert_eq!(parse_stream_key("-1-abc"), None);
        assert_eq!(parse_stream_key("abc"), None);
    }
}
