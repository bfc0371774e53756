//! FTL reply codes (ftl-sdk's `ftl_response_code_t`).

/// A reply code the server sends on the control connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u16)]
pub enum ReplyCode {
    /// Success.
    Ok = 200,
    /// Answer to `PING`.
    Pong = 201,
    /// Malformed command, attribute or line.
    BadRequest = 400,
    /// The channel may not stream (e.g. refused by the platform), or a command needs
    /// authentication first.
    Unauthorized = 401,
    /// The client's protocol version is not supported.
    OldVersion = 402,
    /// The audio SSRC is already used by another stream from the same address.
    AudioSsrcCollision = 403,
    /// The video SSRC is already used by another stream from the same address.
    VideoSsrcCollision = 404,
    /// Unknown channel or wrong stream key (HMAC mismatch).
    InvalidStreamKey = 405,
    /// The channel is already streaming (not sent by Shimmer: a new session replaces the old).
    AlreadyStreaming = 406,
    /// Region unsupported (never sent by Shimmer).
    RegionUnsupported = 407,
    /// No media arrived in time.
    NoMediaTimeout = 408,
    /// The game/category is blocked.
    GameBlocked = 409,
    /// The server ended the stream (handshake or keepalive timeout, shutdown, replaced, bitrate).
    ServerTerminated = 410,
    /// Server-side failure (e.g. the platform is unreachable).
    InternalError = 500,
}

impl ReplyCode {
    /// The numeric code as sent on the wire.
    pub fn as_u16(self) -> u16 {
        self as u16
    }

    /// The reply line for an error code (`"405"`); clients only parse the number.
    pub fn line(self) -> String {
        self.as_u16().to_string()
    }
}
