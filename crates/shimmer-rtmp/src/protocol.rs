//! RTMP message types, protocol control messages (types 1–6) and user control events.

use thiserror::Error;

/// Message type ids.
pub mod message_type {
    /// Set Chunk Size.
    pub const SET_CHUNK_SIZE: u8 = 1;
    /// Abort Message.
    pub const ABORT: u8 = 2;
    /// Acknowledgement.
    pub const ACKNOWLEDGEMENT: u8 = 3;
    /// User Control Message.
    pub const USER_CONTROL: u8 = 4;
    /// Window Acknowledgement Size.
    pub const WINDOW_ACK_SIZE: u8 = 5;
    /// Set Peer Bandwidth.
    pub const SET_PEER_BANDWIDTH: u8 = 6;
    /// Audio (an FLV audio tag body).
    pub const AUDIO: u8 = 8;
    /// Video (an FLV video tag body).
    pub const VIDEO: u8 = 9;
    /// Data message, AMF3 envelope (a format byte, then AMF0 in practice).
    pub const DATA_AMF3: u8 = 15;
    /// Command message, AMF3 envelope.
    pub const COMMAND_AMF3: u8 = 17;
    /// Data message, AMF0 (`@setDataFrame`).
    pub const DATA_AMF0: u8 = 18;
    /// Command message, AMF0 (`connect`, `publish`, ...).
    pub const COMMAND_AMF0: u8 = 20;
    /// Aggregate message.
    pub const AGGREGATE: u8 = 22;
}

/// User control event types (message type 4).
pub mod user_control {
    /// Stream Begin (server → client).
    pub const STREAM_BEGIN: u16 = 0;
    /// Set Buffer Length (client → server).
    pub const SET_BUFFER_LENGTH: u16 = 3;
    /// Ping Request.
    pub const PING_REQUEST: u16 = 6;
    /// Ping Response.
    pub const PING_RESPONSE: u16 = 7;
}

/// Chunk stream ids used for what the server sends.
pub mod csid {
    /// Protocol control messages.
    pub const CONTROL: u32 = 2;
    /// Command replies on the connection (`_result`, `_error`).
    pub const COMMAND: u32 = 3;
    /// Status messages on a stream (`onStatus`).
    pub const STATUS: u32 = 5;
}

/// A protocol control message from the peer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Control {
    /// Set Chunk Size.
    SetChunkSize(u32),
    /// Abort the message on a chunk stream.
    Abort(u32),
    /// The peer acknowledges this many bytes.
    Acknowledgement(u32),
    /// The peer's acknowledgement window.
    WindowAckSize(u32),
    /// Set Peer Bandwidth (window, limit type).
    SetPeerBandwidth(u32, u8),
    /// A user control event: type and its data.
    UserControl(u16, u32),
}

/// A malformed protocol control message.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("protocol control message of type {type_id} has {len} bytes, too few")]
pub struct ControlError {
    /// The message type.
    pub type_id: u8,
    /// Its payload length.
    pub len: usize,
}

fn be32(p: &[u8]) -> Option<u32> {
    Some(u32::from_be_bytes(p.get(0..4)?.try_into().ok()?))
}

/// Parses a protocol control message (types 1–6); None for any other type.
pub fn parse_control(type_id: u8, payload: &[u8]) -> Option<Result<Control, ControlError>> {
    let err = ControlError {
        type_id,
        len: payload.len(),
    };
    let parsed = match type_id {
        message_type::SET_CHUNK_SIZE => be32(payload).map(Control::SetChunkSize),
        message_type::ABORT => be32(payload).map(Control::Abort),
        message_type::ACKNOWLEDGEMENT => be32(payload).map(Control::Acknowledgement),
        message_type::WINDOW_ACK_SIZE => be32(payload).map(Control::WindowAckSize),
        message_type::SET_PEER_BANDWIDTH => be32(payload)
            .zip(payload.get(4).copied())
            .map(|(w, l)| Control::SetPeerBandwidth(w, l)),
        message_type::USER_CONTROL => payload.get(0..2).map(|t| {
            let event = u16::from_be_bytes([t[0], t[1]]);
            Control::UserControl(event, be32(&payload[2..]).unwrap_or(0))
        }),
        _ => return None,
    };
    Some(parsed.ok_or(err))
}

/// The payload of a 4-byte control message (Set Chunk Size, Ack, Window Ack Size).
pub fn u32_payload(value: u32) -> [u8; 4] {
    value.to_be_bytes()
}

/// The payload of Set Peer Bandwidth.
pub fn peer_bandwidth_payload(window: u32, limit_type: u8) -> [u8; 5] {
    let w = window.to_be_bytes();
    [w[0], w[1], w[2], w[3], limit_type]
}

/// The payload of a user control event with a 4-byte argument.
pub fn user_control_payload(event: u16, value: u32) -> [u8; 6] {
    let e = event.to_be_bytes();
    let v = value.to_be_bytes();
    [e[0], e[1], v[0], v[1], v[2], v[3]]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_messages_parse_and_short_ones_are_refused() {
        assert_eq!(
            parse_control(1, &u32_payload(4096)),
            Some(Ok(Control::SetChunkSize(4096)))
        );
        assert_eq!(
            parse_control(6, &peer_bandwidth_payload(2_500_000, 2)),
            Some(Ok(Control::SetPeerBandwidth(2_500_000, 2)))
        );
        assert_eq!(
            parse_control(4, &user_control_payload(6, 77)),
            Some(Ok(Control::UserControl(6, 77)))
        );
        assert_eq!(
            parse_control(5, &[0, 1]),
            Some(Err(ControlError { type_id: 5, len: 2 }))
        );
        assert_eq!(parse_control(9, &[]), None);
    }
}
