//! One RTMP publisher connection, sans-IO: bytes and time in, bytes to send and events out.
//!
//! ```text
//! C: C0 C1            S: S0 S1 S2          C: C2
//! C: connect(app)     S: Window Ack Size, Set Peer Bandwidth, Set Chunk Size, _result
//! C: releaseStream, FCPublish              S: _result each
//! C: createStream     S: _result(stream id)
//! C: publish(name)    → PublishRequested: the driver checks the name (the stream key), then
//!                       accept_publish (S: Stream Begin, onStatus NetStream.Publish.Start)
//!                       or reject_publish (S: onStatus error; the driver closes)
//! C: @setDataFrame onMetaData, audio, video → events
//! C: FCUnpublish, deleteStream             → Unpublished
//! ```
//!
//! The driver calls [`ServerSession::handle_input`] with what the socket gave,
//! [`ServerSession::take_transmit`] for what to write, and sleeps until
//! [`ServerSession::next_deadline`], then calls [`ServerSession::handle_timeout`]. A
//! [`SessionError`] is fatal: the driver writes what is pending and closes. Anything a publisher
//! may get wrong without harm (an unknown command, a malformed tag, media before `publish`) is an
//! [`Ignored`] event instead, so one odd message never costs a streamer the stream.

use std::time::{Duration, Instant};

use bytes::BytesMut;
use thiserror::Error;

use crate::amf0::{self, Amf0Error, Amf0Limits, Amf0Value};
use crate::chunk::{ChunkDecoder, ChunkEncoder, ChunkError, ChunkLimits, Message};
use crate::flv::{self, AudioTag, FlvError, VideoTag};
use crate::handshake::{HandshakeError, ServerHandshake};
use crate::protocol::{self, csid, message_type, user_control, Control, ControlError};

/// Limits, deadlines and the values the server announces.
#[derive(Debug, Clone)]
pub struct SessionConfig {
    /// Chunk stream bounds.
    pub chunk: ChunkLimits,
    /// AMF0 bounds for commands and metadata.
    pub amf: Amf0Limits,
    /// The chunk size the server sends with.
    pub out_chunk_size: u32,
    /// Window Acknowledgement Size and Set Peer Bandwidth announced to the client.
    pub window_ack_size: u32,
    /// From connection to the end of the handshake.
    pub handshake_timeout: Duration,
    /// From connection to `publish`.
    pub publish_timeout: Duration,
    /// Longest silence (no message at all) once publishing.
    pub idle_timeout: Duration,
    /// Most message streams one connection may create.
    pub max_streams: u32,
}

impl Default for SessionConfig {
    fn default() -> Self {
        Self {
            chunk: ChunkLimits::default(),
            amf: Amf0Limits::default(),
            out_chunk_size: 4096,
            window_ack_size: 2_500_000,
            handshake_timeout: Duration::from_secs(5),
            publish_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(10),
            max_streams: 8,
        }
    }
}

/// Why the connection must be closed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SessionError {
    /// The handshake failed.
    #[error(transparent)]
    Handshake(#[from] HandshakeError),
    /// The chunk stream is broken or over a limit.
    #[error(transparent)]
    Chunk(#[from] ChunkError),
    /// A malformed protocol control message.
    #[error(transparent)]
    Control(#[from] ControlError),
    /// A command message that is not valid AMF0.
    #[error("malformed command: {0}")]
    Command(Amf0Error),
    /// A command message without a name and transaction id.
    #[error("command message without a name")]
    CommandWithoutName,
    /// A command other than `connect` before `connect`.
    #[error("command `{0}` before connect")]
    CommandBeforeConnect(String),
    /// `connect` without an `app`.
    #[error("connect without an app name")]
    ConnectWithoutApp,
    /// A deadline passed.
    #[error("timed out: {0}")]
    Timeout(Phase),
    /// Used after a fatal error or a rejected publish.
    #[error("the session is closed")]
    Closed,
}

/// The phase whose deadline passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum Phase {
    /// No complete handshake within `handshake_timeout`.
    #[error("no handshake")]
    Handshake,
    /// No `publish` within `publish_timeout`.
    #[error("no publish")]
    Publish,
    /// Nothing received for `idle_timeout` while publishing.
    #[error("publisher silent")]
    Idle,
}

/// A message that was dropped without closing the connection.
#[derive(Debug, Clone, PartialEq)]
pub enum Ignored {
    /// An unknown command (answered with `_error` when it had a transaction id).
    UnknownCommand(String),
    /// Audio or video before the publish was accepted, or on another message stream.
    MediaOutsidePublish,
    /// An audio or video tag that could not be parsed.
    BadTag(FlvError),
    /// A data message that is not valid AMF0.
    BadData(Amf0Error),
    /// A message type this server does not handle (aggregate, shared object, ...).
    MessageType(u8),
    /// A second `publish` while one is pending or live (answered with BadName).
    SecondPublish,
}

/// What happened, for the driver.
#[derive(Debug, Clone, PartialEq)]
pub enum SessionEvent {
    /// `connect` was answered.
    Connected {
        /// The application (`live` in `rtmp://host/live`).
        app: String,
        /// The URL the client connected to, if it said.
        tc_url: Option<String>,
        /// The client's `flashVer` (encoder name), if it said.
        flash_ver: Option<String>,
    },
    /// `publish`: the driver must call [`ServerSession::accept_publish`] or
    /// [`ServerSession::reject_publish`].
    PublishRequested {
        /// The application from `connect`.
        app: String,
        /// The publishing name (the stream key).
        name: String,
    },
    /// `@setDataFrame onMetaData` (or a bare `onMetaData`).
    Metadata(Vec<(String, Amf0Value)>),
    /// A video tag of the published stream.
    Video {
        /// Decode timestamp in milliseconds.
        timestamp: u32,
        /// The parsed tag.
        tag: VideoTag,
    },
    /// An audio tag of the published stream.
    Audio {
        /// Timestamp in milliseconds.
        timestamp: u32,
        /// The parsed tag.
        tag: AudioTag,
    },
    /// `FCUnpublish`, `deleteStream` or `closeStream` ended the publish.
    Unpublished,
    /// A message was dropped.
    Ignored(Ignored),
}

/// Why a publish is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PublishRefusal {
    /// Unknown or wrong stream key: `NetStream.Publish.BadName`.
    BadName,
    /// The channel may not stream now (banned, platform failure): `NetStream.Publish.Denied`.
    Denied,
}

impl PublishRefusal {
    fn code(self) -> &'static str {
        match self {
            PublishRefusal::BadName => "NetStream.Publish.BadName",
            PublishRefusal::Denied => "NetStream.Publish.Denied",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Handshake,
    AwaitConnect,
    Connected,
    PublishPending { stream_id: u32 },
    Publishing { stream_id: u32 },
    Closed,
}

/// The server side of one RTMP connection.
#[derive(Debug)]
pub struct ServerSession {
    config: SessionConfig,
    state: State,
    started: Instant,
    last_received: Instant,
    handshake: ServerHandshake,
    decoder: ChunkDecoder,
    encoder: ChunkEncoder,
    input: BytesMut,
    transmit: Vec<u8>,
    app: String,
    next_stream_id: u32,
    bytes_received: u64,
    ack_window: Option<u32>,
    last_ack: u64,
}

impl ServerSession {
    /// A session for a connection accepted at `now`; `random` fills the handshake's S1.
    pub fn new(config: SessionConfig, now: Instant, random: &[u8]) -> Self {
        let decoder = ChunkDecoder::new(config.chunk);
        Self {
            config,
            state: State::Handshake,
            started: now,
            last_received: now,
            handshake: ServerHandshake::new(0, random),
            decoder,
            encoder: ChunkEncoder::default(),
            input: BytesMut::new(),
            transmit: Vec::new(),
            app: String::new(),
            next_stream_id: 1,
            bytes_received: 0,
            ack_window: None,
            last_ack: 0,
        }
    }

    /// Bytes to write to the socket now.
    pub fn take_transmit(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.transmit)
    }

    /// True while a publish is accepted and not ended.
    pub fn is_publishing(&self) -> bool {
        matches!(self.state, State::Publishing { .. })
    }

    /// Total bytes received.
    pub fn bytes_received(&self) -> u64 {
        self.bytes_received
    }

    /// When [`ServerSession::handle_timeout`] must next be called.
    pub fn next_deadline(&self) -> Option<Instant> {
        match self.state {
            State::Handshake => Some(
                self.started
                    + self
                        .config
                        .handshake_timeout
                        .min(self.config.publish_timeout),
            ),
            State::AwaitConnect | State::Connected => {
                Some(self.started + self.config.publish_timeout)
            }
            State::Publishing { .. } => Some(self.last_received + self.config.idle_timeout),
            State::PublishPending { .. } | State::Closed => None,
        }
    }

    /// Fails with the phase whose deadline has passed at `now`.
    pub fn handle_timeout(&mut self, now: Instant) -> Result<(), SessionError> {
        let phase = match self.state {
            State::Handshake => Phase::Handshake,
            State::AwaitConnect | State::Connected => Phase::Publish,
            State::Publishing { .. } => Phase::Idle,
            State::PublishPending { .. } | State::Closed => return Ok(()),
        };
        match self.next_deadline() {
            Some(deadline) if now >= deadline => {
                self.state = State::Closed;
                Err(SessionError::Timeout(phase))
            }
            _ => Ok(()),
        }
    }

    /// Accepts the pending publish: Stream Begin and `NetStream.Publish.Start`.
    pub fn accept_publish(&mut self) {
        if let State::PublishPending { stream_id } = self.state {
            self.send_user_control(user_control::STREAM_BEGIN, stream_id);
            self.send_status(
                stream_id,
                "status",
                "NetStream.Publish.Start",
                "Publishing started.",
            );
            self.state = State::Publishing { stream_id };
        }
    }

    /// Refuses the pending publish with an `onStatus` error; the session is closed after it
    /// (write [`ServerSession::take_transmit`], then close the socket).
    pub fn reject_publish(&mut self, refusal: PublishRefusal, description: &str) {
        if let State::PublishPending { stream_id } = self.state {
            self.send_status(stream_id, "error", refusal.code(), description);
        }
        self.state = State::Closed;
    }

    /// Feeds bytes read from the socket at `now`.
    pub fn handle_input(
        &mut self,
        now: Instant,
        bytes: &[u8],
    ) -> Result<Vec<SessionEvent>, SessionError> {
        if self.state == State::Closed {
            return Err(SessionError::Closed);
        }
        self.last_received = now;
        self.bytes_received += bytes.len() as u64;
        self.input.extend_from_slice(bytes);
        let result = self.process();
        if result.is_err() {
            self.state = State::Closed;
        }
        result
    }

    fn process(&mut self) -> Result<Vec<SessionEvent>, SessionError> {
        let mut events = Vec::new();
        if self.state == State::Handshake {
            let progress = self.handshake.feed(&self.input)?;
            let _ = self.input.split_to(progress.consumed);
            self.transmit.extend_from_slice(&progress.transmit);
            if !progress.done {
                return Ok(events);
            }
            self.state = State::AwaitConnect;
        }
        while self.state != State::Closed {
            let Some(message) = self.decoder.next_message(&mut self.input)? else {
                break;
            };
            self.handle_message(message, &mut events)?;
        }
        self.maybe_acknowledge();
        Ok(events)
    }

    fn maybe_acknowledge(&mut self) {
        if let Some(window) = self.ack_window {
            if self.bytes_received - self.last_ack >= u64::from(window) {
                self.last_ack = self.bytes_received;
                let payload = protocol::u32_payload(self.bytes_received as u32);
                self.send(csid::CONTROL, 0, message_type::ACKNOWLEDGEMENT, 0, &payload);
            }
        }
    }

    fn handle_message(
        &mut self,
        message: Message,
        events: &mut Vec<SessionEvent>,
    ) -> Result<(), SessionError> {
        if let Some(control) = protocol::parse_control(message.type_id, &message.payload) {
            return self.handle_control(control?);
        }
        match message.type_id {
            message_type::COMMAND_AMF0 => self.handle_command(&message.payload, &message, events),
            message_type::COMMAND_AMF3 => {
                let body = message.payload.get(1..).unwrap_or_default();
                self.handle_command(body, &message, events)
            }
            message_type::DATA_AMF0 => {
                self.handle_data(&message.payload, events);
                Ok(())
            }
            message_type::DATA_AMF3 => {
                self.handle_data(message.payload.get(1..).unwrap_or_default(), events);
                Ok(())
            }
            message_type::AUDIO | message_type::VIDEO => {
                self.handle_media(message, events);
                Ok(())
            }
            other => {
                events.push(SessionEvent::Ignored(Ignored::MessageType(other)));
                Ok(())
            }
        }
    }

    fn handle_control(&mut self, control: Control) -> Result<(), SessionError> {
        match control {
            Control::SetChunkSize(size) => self.decoder.set_chunk_size(size)?,
            Control::Abort(csid) => self.decoder.abort(csid),
            Control::WindowAckSize(window) => self.ack_window = (window > 0).then_some(window),
            Control::UserControl(user_control::PING_REQUEST, stamp) => {
                self.send_user_control(user_control::PING_RESPONSE, stamp);
            }
            Control::Acknowledgement(_)
            | Control::SetPeerBandwidth(..)
            | Control::UserControl(..) => {}
        }
        Ok(())
    }

    fn handle_media(&mut self, message: Message, events: &mut Vec<SessionEvent>) {
        let State::Publishing { stream_id } = self.state else {
            events.push(SessionEvent::Ignored(Ignored::MediaOutsidePublish));
            return;
        };
        if message.stream_id != stream_id {
            events.push(SessionEvent::Ignored(Ignored::MediaOutsidePublish));
            return;
        }
        let event = if message.type_id == message_type::VIDEO {
            flv::parse_video(&message.payload).map(|tag| SessionEvent::Video {
                timestamp: message.timestamp,
                tag,
            })
        } else {
            flv::parse_audio(&message.payload).map(|tag| SessionEvent::Audio {
                timestamp: message.timestamp,
                tag,
            })
        };
        events.push(event.unwrap_or_else(|e| SessionEvent::Ignored(Ignored::BadTag(e))));
    }

    fn handle_data(&mut self, payload: &[u8], events: &mut Vec<SessionEvent>) {
        let values = match amf0::decode_all(payload, self.config.amf) {
            Ok(values) => values,
            Err(e) => {
                events.push(SessionEvent::Ignored(Ignored::BadData(e)));
                return;
            }
        };
        let mut values = values.into_iter();
        let mut first = values.next();
        if first.as_ref().and_then(Amf0Value::as_str) == Some("@setDataFrame") {
            first = values.next();
        }
        if first.as_ref().and_then(Amf0Value::as_str) != Some("onMetaData") {
            return;
        }
        if let Some(props) = values.next().as_ref().and_then(Amf0Value::properties) {
            events.push(SessionEvent::Metadata(props.to_vec()));
        }
    }

    fn handle_command(
        &mut self,
        payload: &[u8],
        message: &Message,
        events: &mut Vec<SessionEvent>,
    ) -> Result<(), SessionError> {
        let values = amf0::decode_all(payload, self.config.amf).map_err(SessionError::Command)?;
        let mut values = values.into_iter();
        let name = match values.next() {
            Some(Amf0Value::String(name)) => name,
            _ => return Err(SessionError::CommandWithoutName),
        };
        let transaction = values.next().and_then(|v| v.as_number()).unwrap_or(0.0);
        let object = values.next();
        let args: Vec<Amf0Value> = values.collect();

        if self.state == State::AwaitConnect {
            if name != "connect" {
                return Err(SessionError::CommandBeforeConnect(name));
            }
            return self.handle_connect(transaction, object, events);
        }
        match name.as_str() {
            "releaseStream" | "FCPublish" | "FCUnpublish" => {
                self.send_result(transaction, Amf0Value::Undefined);
                if name == "FCUnpublish" {
                    self.end_publish(events);
                }
            }
            "createStream" => {
                if self.next_stream_id > self.config.max_streams {
                    self.send_error(transaction, "NetConnection.Call.Failed", "too many streams");
                } else {
                    let id = self.next_stream_id;
                    self.next_stream_id += 1;
                    self.send_result(transaction, Amf0Value::Number(f64::from(id)));
                }
            }
            "publish" => self.handle_publish(message.stream_id, &args, events),
            "deleteStream" | "closeStream" => self.end_publish(events),
            _ => {
                if transaction != 0.0 {
                    let description = format!("unknown command {name}");
                    self.send_error(transaction, "NetConnection.Call.Failed", &description);
                }
                events.push(SessionEvent::Ignored(Ignored::UnknownCommand(name)));
            }
        }
        Ok(())
    }

    fn handle_connect(
        &mut self,
        transaction: f64,
        object: Option<Amf0Value>,
        events: &mut Vec<SessionEvent>,
    ) -> Result<(), SessionError> {
        let object = object.unwrap_or(Amf0Value::Null);
        let text = |key: &str| {
            object
                .get(key)
                .and_then(Amf0Value::as_str)
                .map(String::from)
        };
        let app = text("app").ok_or(SessionError::ConnectWithoutApp)?;
        let window = self.config.window_ack_size;
        self.send(
            csid::CONTROL,
            0,
            message_type::WINDOW_ACK_SIZE,
            0,
            &protocol::u32_payload(window),
        );
        self.send(
            csid::CONTROL,
            0,
            message_type::SET_PEER_BANDWIDTH,
            0,
            &protocol::peer_bandwidth_payload(window, 2),
        );
        let chunk_size = self.config.out_chunk_size;
        self.send(
            csid::CONTROL,
            0,
            message_type::SET_CHUNK_SIZE,
            0,
            &protocol::u32_payload(chunk_size),
        );
        self.encoder.set_chunk_size(chunk_size);

        let mut properties = vec![
            ("fmsVer".into(), Amf0Value::String("FMS/3,5,7,7009".into())),
            ("capabilities".into(), Amf0Value::Number(31.0)),
            ("mode".into(), Amf0Value::Number(1.0)),
        ];
        if object.get("fourCcList").is_some() {
            // Enhanced RTMP: name the FourCCs this server ingests.
            properties.push((
                "fourCcList".into(),
                Amf0Value::StrictArray(vec![Amf0Value::String("avc1".into())]),
            ));
        }
        let info = Amf0Value::Object(vec![
            ("level".into(), Amf0Value::String("status".into())),
            (
                "code".into(),
                Amf0Value::String("NetConnection.Connect.Success".into()),
            ),
            (
                "description".into(),
                Amf0Value::String("Connection succeeded.".into()),
            ),
            ("objectEncoding".into(), Amf0Value::Number(0.0)),
        ]);
        let reply = amf0::encode_all(&[
            Amf0Value::String("_result".into()),
            Amf0Value::Number(transaction),
            Amf0Value::Object(properties),
            info,
        ]);
        self.send(csid::COMMAND, 0, message_type::COMMAND_AMF0, 0, &reply);
        self.app = app.clone();
        self.state = State::Connected;
        events.push(SessionEvent::Connected {
            app,
            tc_url: text("tcUrl"),
            flash_ver: text("flashVer"),
        });
        Ok(())
    }

    fn handle_publish(
        &mut self,
        stream_id: u32,
        args: &[Amf0Value],
        events: &mut Vec<SessionEvent>,
    ) {
        if self.state != State::Connected {
            self.send_status(
                stream_id,
                "error",
                "NetStream.Publish.BadName",
                "This connection is already publishing.",
            );
            events.push(SessionEvent::Ignored(Ignored::SecondPublish));
            return;
        }
        let name = args.first().and_then(Amf0Value::as_str).unwrap_or_default();
        if stream_id == 0 || stream_id >= self.next_stream_id || name.is_empty() {
            self.send_status(
                stream_id,
                "error",
                "NetStream.Publish.BadName",
                "publish needs a stream key on a created stream.",
            );
            return;
        }
        self.state = State::PublishPending { stream_id };
        events.push(SessionEvent::PublishRequested {
            app: self.app.clone(),
            name: name.to_string(),
        });
    }

    fn end_publish(&mut self, events: &mut Vec<SessionEvent>) {
        if let State::Publishing { stream_id } = self.state {
            self.send_status(
                stream_id,
                "status",
                "NetStream.Unpublish.Success",
                "Publishing stopped.",
            );
            self.state = State::Connected;
            events.push(SessionEvent::Unpublished);
        }
    }

    fn send(&mut self, csid: u32, timestamp: u32, type_id: u8, stream_id: u32, payload: &[u8]) {
        self.encoder.write(
            csid,
            timestamp,
            type_id,
            stream_id,
            payload,
            &mut self.transmit,
        );
    }

    fn send_user_control(&mut self, event: u16, value: u32) {
        let payload = protocol::user_control_payload(event, value);
        self.send(csid::CONTROL, 0, message_type::USER_CONTROL, 0, &payload);
    }

    fn send_result(&mut self, transaction: f64, value: Amf0Value) {
        let reply = amf0::encode_all(&[
            Amf0Value::String("_result".into()),
            Amf0Value::Number(transaction),
            Amf0Value::Null,
            value,
        ]);
        self.send(csid::COMMAND, 0, message_type::COMMAND_AMF0, 0, &reply);
    }

    fn send_error(&mut self, transaction: f64, code: &str, description: &str) {
        let reply = amf0::encode_all(&[
            Amf0Value::String("_error".into()),
            Amf0Value::Number(transaction),
            Amf0Value::Null,
            status_object("error", code, description),
        ]);
        self.send(csid::COMMAND, 0, message_type::COMMAND_AMF0, 0, &reply);
    }

    fn send_status(&mut self, stream_id: u32, level: &str, code: &str, description: &str) {
        let reply = amf0::encode_all(&[
            Amf0Value::String("onStatus".into()),
            Amf0Value::Number(0.0),
            Amf0Value::Null,
            status_object(level, code, description),
        ]);
        self.send(
            csid::STATUS,
            0,
            message_type::COMMAND_AMF0,
            stream_id,
            &reply,
        );
    }
}

fn status_object(level: &str, code: &str, description: &str) -> Amf0Value {
    Amf0Value::Object(vec![
        ("level".into(), Amf0Value::String(level.into())),
        ("code".into(), Amf0Value::String(code.into())),
        ("description".into(), Amf0Value::String(description.into())),
    ])
}

#[cfg(test)]
mod tests;
