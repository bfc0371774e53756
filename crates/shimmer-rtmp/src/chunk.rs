//! The RTMP chunk stream: messages split into chunks, interleaved across chunk stream ids.
//!
//! Each chunk starts with a basic header (format 0–3 and the chunk stream id, 1–3 bytes) and a
//! message header whose size depends on the format: 11 bytes (absolute timestamp, length, type,
//! message stream id), 7 (timestamp delta, length, type), 3 (delta) or nothing. A timestamp field
//! of 0xFFFFFF means a 4-byte extended timestamp follows; chunks of format 3 repeat it when the
//! header they continue had one. A format-3 chunk that starts a new message adds the previous
//! timestamp field once more (after format 0 that field is the absolute timestamp, as the
//! specification and ffmpeg's reader both have it).
//!
//! [`ChunkDecoder`] never consumes a partial chunk, so the driver can hand it whatever the socket
//! gave. It holds at most [`ChunkLimits::max_chunk_streams`] chunk streams and
//! [`ChunkLimits::max_buffered_bytes`] of unfinished messages; a message longer than
//! [`ChunkLimits::max_message_size`] is refused from its header, before any payload is buffered.

use std::collections::HashMap;

use bytes::{Buf, Bytes, BytesMut};
use thiserror::Error;

/// The chunk size both sides start with.
pub const DEFAULT_CHUNK_SIZE: u32 = 128;
/// The timestamp field value that announces an extended timestamp.
const EXTENDED_TIMESTAMP: u32 = 0xFF_FFFF;

/// Bounds of one connection's chunk stream.
#[derive(Debug, Clone, Copy)]
pub struct ChunkLimits {
    /// Largest chunk size a peer may set.
    pub max_chunk_size: u32,
    /// Largest message (audio, video, command) accepted.
    pub max_message_size: u32,
    /// Most chunk stream ids in use at once.
    pub max_chunk_streams: usize,
    /// Most bytes held in unfinished messages across all chunk streams.
    pub max_buffered_bytes: usize,
}

impl Default for ChunkLimits {
    fn default() -> Self {
        Self {
            max_chunk_size: 1 << 20,
            max_message_size: 8 << 20,
            max_chunk_streams: 64,
            max_buffered_bytes: 16 << 20,
        }
    }
}

/// Why the chunk stream cannot be read further. Each is fatal for the connection.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ChunkError {
    /// A chunk of format 1, 2 or 3 on a chunk stream that never had a format-0 header.
    #[error("chunk stream {csid} continues a header it never sent")]
    NoPreviousHeader {
        /// The chunk stream id.
        csid: u32,
    },
    /// A message header announces more than [`ChunkLimits::max_message_size`].
    #[error("message of {len} bytes exceeds the limit of {max}")]
    MessageTooLarge {
        /// Announced length.
        len: u32,
        /// The limit.
        max: u32,
    },
    /// More chunk stream ids than [`ChunkLimits::max_chunk_streams`].
    #[error("more than {0} chunk streams")]
    TooManyChunkStreams(usize),
    /// Unfinished messages hold more than [`ChunkLimits::max_buffered_bytes`].
    #[error("more than {0} bytes in unfinished messages")]
    TooMuchBuffered(usize),
    /// Set Chunk Size with 0, the reserved top bit, or above [`ChunkLimits::max_chunk_size`].
    #[error("chunk size {size} outside 1..={max}")]
    ChunkSizeOutOfRange {
        /// The requested size.
        size: u32,
        /// The limit.
        max: u32,
    },
}

/// One complete RTMP message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// The chunk stream it arrived on.
    pub csid: u32,
    /// Timestamp in milliseconds (wraps at 2^32).
    pub timestamp: u32,
    /// Message type id (1–6 protocol control, 8 audio, 9 video, 18/20 AMF0 data/command, ...).
    pub type_id: u8,
    /// Message stream id (0 for the connection, the created stream for media).
    pub stream_id: u32,
    /// The payload.
    pub payload: Bytes,
}

#[derive(Debug, Default)]
struct ChunkStream {
    timestamp: u32,
    /// The last timestamp field read: absolute after format 0, a delta after formats 1 and 2.
    timestamp_field: u32,
    length: u32,
    type_id: u8,
    stream_id: u32,
    extended: bool,
    /// The message being assembled (its timestamp already computed), if any.
    partial: Option<BytesMut>,
}

/// Reassembles messages from chunks.
#[derive(Debug)]
pub struct ChunkDecoder {
    limits: ChunkLimits,
    chunk_size: u32,
    streams: HashMap<u32, ChunkStream>,
    buffered: usize,
}

/// What [`ChunkDecoder::take_chunk`] did.
enum Taken {
    /// The chunk's payload has not all arrived; nothing was consumed.
    Incomplete,
    /// A chunk was consumed; its message is not complete yet.
    Chunk,
    /// A chunk was consumed and completed this message.
    Message(Message),
}

/// The parsed header of the chunk at the front of the buffer.
struct Header {
    fmt: u8,
    csid: u32,
    len: usize,
    timestamp_field: Option<u32>,
    length: Option<u32>,
    type_id: Option<u8>,
    stream_id: Option<u32>,
    extended: bool,
}

impl ChunkDecoder {
    /// A decoder at the default chunk size of 128.
    pub fn new(limits: ChunkLimits) -> Self {
        Self {
            limits,
            chunk_size: DEFAULT_CHUNK_SIZE,
            streams: HashMap::new(),
            buffered: 0,
        }
    }

    /// The peer's current chunk size.
    pub fn chunk_size(&self) -> u32 {
        self.chunk_size
    }

    /// Applies the peer's Set Chunk Size.
    pub fn set_chunk_size(&mut self, size: u32) -> Result<(), ChunkError> {
        if size == 0 || size > self.limits.max_chunk_size || size & 0x8000_0000 != 0 {
            return Err(ChunkError::ChunkSizeOutOfRange {
                size,
                max: self.limits.max_chunk_size,
            });
        }
        self.chunk_size = size;
        Ok(())
    }

    /// Applies the peer's Abort Message: drops the unfinished message on `csid`.
    pub fn abort(&mut self, csid: u32) {
        if let Some(stream) = self.streams.get_mut(&csid) {
            if let Some(partial) = stream.partial.take() {
                self.buffered -= partial.len();
            }
        }
    }

    /// Reads chunks from the front of `buf` until a message is complete (returned) or the next
    /// chunk is incomplete (None; nothing of it is consumed).
    pub fn next_message(&mut self, buf: &mut BytesMut) -> Result<Option<Message>, ChunkError> {
        loop {
            let Some(header) = self.parse_header(buf)? else {
                return Ok(None);
            };
            match self.take_chunk(header, buf)? {
                Taken::Incomplete => return Ok(None),
                Taken::Chunk => {}
                Taken::Message(message) => return Ok(Some(message)),
            }
        }
    }

    fn parse_header(&self, buf: &[u8]) -> Result<Option<Header>, ChunkError> {
        let Some(&first) = buf.first() else {
            return Ok(None);
        };
        let fmt = first >> 6;
        let (csid, mut pos) = match first & 0x3F {
            0 => match buf.get(1) {
                Some(&b) => (64 + u32::from(b), 2),
                None => return Ok(None),
            },
            1 => match (buf.get(1), buf.get(2)) {
                (Some(&lo), Some(&hi)) => (64 + u32::from(lo) + 256 * u32::from(hi), 3),
                _ => return Ok(None),
            },
            id => (u32::from(id), 1),
        };
        let previous = self.streams.get(&csid);
        if fmt != 0 && previous.is_none() {
            return Err(ChunkError::NoPreviousHeader { csid });
        }
        if previous.is_none() && self.streams.len() >= self.limits.max_chunk_streams {
            return Err(ChunkError::TooManyChunkStreams(
                self.limits.max_chunk_streams,
            ));
        }
        let header_len = [11, 7, 3, 0][usize::from(fmt)];
        let Some(fields) = buf.get(pos..pos + header_len) else {
            return Ok(None);
        };
        pos += header_len;
        let u24 = |b: &[u8]| u32::from_be_bytes([0, b[0], b[1], b[2]]);
        let mut header = Header {
            fmt,
            csid,
            len: 0,
            timestamp_field: None,
            length: None,
            type_id: None,
            stream_id: None,
            extended: false,
        };
        if fmt <= 2 {
            header.timestamp_field = Some(u24(&fields[0..3]));
        }
        if fmt <= 1 {
            let length = u24(&fields[3..6]);
            if length > self.limits.max_message_size {
                return Err(ChunkError::MessageTooLarge {
                    len: length,
                    max: self.limits.max_message_size,
                });
            }
            header.length = Some(length);
            header.type_id = Some(fields[6]);
        }
        if fmt == 0 {
            header.stream_id = Some(u32::from_le_bytes([
                fields[7], fields[8], fields[9], fields[10],
            ]));
        }
        header.extended = match header.timestamp_field {
            Some(field) => field == EXTENDED_TIMESTAMP,
            None => previous.is_some_and(|p| p.extended),
        };
        if header.extended {
            let Some(ext) = buf.get(pos..pos + 4) else {
                return Ok(None);
            };
            let ext = u32::from_be_bytes([ext[0], ext[1], ext[2], ext[3]]);
            if header.timestamp_field.is_some() {
                header.timestamp_field = Some(ext);
            } else if previous.is_some_and(|p| p.partial.is_none()) {
                // A format-3 chunk starting a message: its extended field is the delta to reuse.
                header.timestamp_field = Some(ext);
            }
            pos += 4;
        }
        header.len = pos;
        Ok(Some(header))
    }

    /// Consumes the chunk if its payload is all there.
    fn take_chunk(&mut self, header: Header, buf: &mut BytesMut) -> Result<Taken, ChunkError> {
        let stream = self.streams.get(&header.csid);
        let length = header
            .length
            .or(stream.map(|s| s.length))
            .unwrap_or_default();
        let continuing = header.fmt == 3 && stream.is_some_and(|s| s.partial.is_some());
        let have = if continuing {
            stream
                .and_then(|s| s.partial.as_ref())
                .map_or(0, |p| p.len())
        } else {
            0
        };
        let payload_len = (length as usize - have).min(self.chunk_size as usize);
        if buf.len() < header.len + payload_len {
            return Ok(Taken::Incomplete);
        }
        let dropped = if continuing {
            0
        } else {
            stream
                .and_then(|s| s.partial.as_ref())
                .map_or(0, |p| p.len())
        };
        let new_buffered = self.buffered - dropped + payload_len;
        if new_buffered > self.limits.max_buffered_bytes && payload_len < length as usize - have {
            return Err(ChunkError::TooMuchBuffered(self.limits.max_buffered_bytes));
        }

        buf.advance(header.len);
        let payload = buf.split_to(payload_len);
        let stream = self.streams.entry(header.csid).or_default();
        if !continuing {
            // A new message: a header of format 0–2 mid-message discards the unfinished one,
            // as ffmpeg's reader does.
            stream.partial = None;
            self.buffered -= dropped;
            if let Some(field) = header.timestamp_field {
                stream.timestamp_field = field;
            }
            stream.timestamp = if header.fmt == 0 {
                stream.timestamp_field
            } else {
                stream.timestamp.wrapping_add(stream.timestamp_field)
            };
            stream.length = length;
            if let Some(type_id) = header.type_id {
                stream.type_id = type_id;
            }
            if let Some(stream_id) = header.stream_id {
                stream.stream_id = stream_id;
            }
            stream.extended = header.extended;
        }
        let mut body = stream.partial.take().unwrap_or_default();
        self.buffered -= body.len();
        body.extend_from_slice(&payload);
        if body.len() < length as usize {
            self.buffered += body.len();
            stream.partial = Some(body);
            return Ok(Taken::Chunk);
        }
        Ok(Taken::Message(Message {
            csid: header.csid,
            timestamp: stream.timestamp,
            type_id: stream.type_id,
            stream_id: stream.stream_id,
            payload: body.freeze(),
        }))
    }
}

/// Splits outgoing messages into chunks: format 0 for the first chunk of each message and
/// format 3 for the rest (simple, and valid for every reader).
#[derive(Debug)]
pub struct ChunkEncoder {
    chunk_size: u32,
}

impl Default for ChunkEncoder {
    fn default() -> Self {
        Self {
            chunk_size: DEFAULT_CHUNK_SIZE,
        }
    }
}

impl ChunkEncoder {
    /// Our chunk size from now on (after sending Set Chunk Size with it).
    pub fn set_chunk_size(&mut self, size: u32) {
        self.chunk_size = size.max(1);
    }

    /// Appends `payload` as one message on chunk stream `csid` (2..=65599) to `out`.
    pub fn write(
        &self,
        csid: u32,
        timestamp: u32,
        type_id: u8,
        stream_id: u32,
        payload: &[u8],
        out: &mut Vec<u8>,
    ) {
        let extended = timestamp >= EXTENDED_TIMESTAMP;
        let field = timestamp.min(EXTENDED_TIMESTAMP);
        basic_header(0, csid, out);
        out.extend_from_slice(&field.to_be_bytes()[1..]);
        out.extend_from_slice(&(payload.len() as u32).to_be_bytes()[1..]);
        out.push(type_id);
        out.extend_from_slice(&stream_id.to_le_bytes());
        if extended {
            out.extend_from_slice(&timestamp.to_be_bytes());
        }
        let mut chunks = payload.chunks(self.chunk_size as usize);
        if let Some(first) = chunks.next() {
            out.extend_from_slice(first);
        }
        for chunk in chunks {
            basic_header(3, csid, out);
            if extended {
                out.extend_from_slice(&timestamp.to_be_bytes());
            }
            out.extend_from_slice(chunk);
        }
    }
}

fn basic_header(fmt: u8, csid: u32, out: &mut Vec<u8>) {
    let fmt = fmt << 6;
    match csid {
        2..=63 => out.push(fmt | csid as u8),
        64..=319 => out.extend_from_slice(&[fmt, (csid - 64) as u8]),
        _ => {
            let id = csid.clamp(320, 65599) - 64;
            out.extend_from_slice(&[fmt | 1, id as u8, (id >> 8) as u8]);
        }
    }
}

#[cfg(test)]
mod tests;
