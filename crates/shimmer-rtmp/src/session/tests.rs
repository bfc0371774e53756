use super::*;
use crate::flv::{AudioCodec, AudioPacket, FrameType, VideoCodec, VideoPacket};
use crate::handshake::HANDSHAKE_LEN;

/// Plays the client side: handshake bytes and chunked messages.
struct Client {
    encoder: ChunkEncoder,
    session: ServerSession,
    now: Instant,
    received: Vec<u8>,
    reader: ChunkDecoder,
}

impl Client {
    fn new() -> Self {
        Self::with_config(SessionConfig::default())
    }

    fn with_config(config: SessionConfig) -> Self {
        let now = Instant::now();
        Self {
            encoder: ChunkEncoder::default(),
            session: ServerSession::new(config, now, &[1, 2, 3, 4]),
            now,
            received: Vec::new(),
            reader: ChunkDecoder::new(ChunkLimits::default()),
        }
    }

    fn feed(&mut self, bytes: &[u8]) -> Result<Vec<SessionEvent>, SessionError> {
        let events = self.session.handle_input(self.now, bytes);
        self.received.extend(self.session.take_transmit());
        events
    }

    fn handshake(&mut self) {
        let mut c0c1 = vec![3u8];
        c0c1.extend(std::iter::repeat_n(7u8, HANDSHAKE_LEN));
        assert!(self.feed(&c0c1).unwrap().is_empty());
        assert_eq!(self.received.len(), 1 + 2 * HANDSHAKE_LEN);
        self.received.clear();
        assert!(self.feed(&[0u8; HANDSHAKE_LEN]).unwrap().is_empty());
    }

    fn command(&mut self, stream_id: u32, values: &[Amf0Value]) -> Vec<SessionEvent> {
        let mut wire = Vec::new();
        let payload = amf0::encode_all(values);
        self.encoder.write(
            3,
            0,
            message_type::COMMAND_AMF0,
            stream_id,
            &payload,
            &mut wire,
        );
        self.feed(&wire).unwrap()
    }

    fn message(
        &mut self,
        csid: u32,
        ts: u32,
        type_id: u8,
        stream_id: u32,
        payload: &[u8],
    ) -> Vec<SessionEvent> {
        let mut wire = Vec::new();
        self.encoder
            .write(csid, ts, type_id, stream_id, payload, &mut wire);
        self.feed(&wire).unwrap()
    }

    /// Decoded replies since the last call.
    fn replies(&mut self) -> Vec<(Message, Vec<Amf0Value>)> {
        let mut buf = BytesMut::from(&std::mem::take(&mut self.received)[..]);
        let mut messages = Vec::new();
        while let Some(message) = self.reader.next_message(&mut buf).unwrap() {
            if let Some(Ok(Control::SetChunkSize(size))) =
                protocol::parse_control(message.type_id, &message.payload)
            {
                self.reader.set_chunk_size(size).unwrap();
            }
            messages.push(message);
        }
        assert!(buf.is_empty());
        messages
            .into_iter()
            .map(|m| {
                let values = if m.type_id == message_type::COMMAND_AMF0 {
                    amf0::decode_all(&m.payload, Amf0Limits::default()).unwrap()
                } else {
                    Vec::new()
                };
                (m, values)
            })
            .collect()
    }

    fn connect(&mut self) {
        self.handshake();
        let events = self.command(
            0,
            &[
                Amf0Value::String("connect".into()),
                Amf0Value::Number(1.0),
                Amf0Value::Object(vec![
                    ("app".into(), Amf0Value::String("live".into())),
                    ("flashVer".into(), Amf0Value::String("FMLE/3.0".into())),
                    (
                        "tcUrl".into(),
                        Amf0Value::String("rtmp://127.0.0.1/live".into()),
                    ),
                ]),
            ],
        );
        assert_eq!(
            events,
            vec![SessionEvent::Connected {
                app: "live".into(),
                tc_url: Some("rtmp://127.0.0.1/live".into()),
                flash_ver: Some("FMLE/3.0".into()),
            }]
        );
    }

    fn publish(&mut self, key: &str) -> Vec<SessionEvent> {
        for (i, name) in ["releaseStream", "FCPublish"].iter().enumerate() {
            self.command(
                0,
                &[
                    Amf0Value::String((*name).into()),
                    Amf0Value::Number(2.0 + i as f64),
                    Amf0Value::Null,
                    Amf0Value::String(key.into()),
                ],
            );
        }
        self.command(
            0,
            &[
                Amf0Value::String("createStream".into()),
                Amf0Value::Number(4.0),
                Amf0Value::Null,
            ],
        );
        self.command(
            1,
            &[
                Amf0Value::String("publish".into()),
                Amf0Value::Number(5.0),
                Amf0Value::Null,
                Amf0Value::String(key.into()),
                Amf0Value::String("live".into()),
            ],
        )
    }
}

fn name_of(values: &[Amf0Value]) -> Option<&str> {
    values.first().and_then(Amf0Value::as_str)
}

fn status_code(values: &[Amf0Value]) -> Option<&str> {
    values.get(3)?.get("code")?.as_str()
}

#[test]
fn connect_is_answered_with_window_bandwidth_chunk_size_and_result() {
    let mut client = Client::new();
    client.connect();
    let replies = client.replies();
    let types: Vec<u8> = replies.iter().map(|(m, _)| m.type_id).collect();
    assert_eq!(types, vec![5, 6, 1, 20]);
    let (_, result) = &replies[3];
    assert_eq!(name_of(result), Some("_result"));
    assert_eq!(result[1], Amf0Value::Number(1.0));
    assert_eq!(status_code(result), Some("NetConnection.Connect.Success"));
}

#[test]
fn full_publish_flow_with_accept() {
    let mut client = Client::new();
    client.connect();
    client.replies();
    let events = client.publish("42-secret");
    assert_eq!(
        events,
        vec![SessionEvent::PublishRequested {
            app: "live".into(),
            name: "42-secret".into()
        }]
    );
    let replies = client.replies();
    let names: Vec<_> = replies
        .iter()
        .map(|(_, v)| name_of(v).unwrap_or(""))
        .collect();
    assert_eq!(names, vec!["_result", "_result", "_result"]);
    assert_eq!(
        replies[2].1[3],
        Amf0Value::Number(1.0),
        "createStream gives stream 1"
    );
    assert!(!client.session.is_publishing());
    assert_eq!(
        client.session.next_deadline(),
        None,
        "no deadline while the key is checked"
    );

    client.session.accept_publish();
    client.received.extend(client.session.take_transmit());
    let replies = client.replies();
    assert_eq!(replies[0].0.type_id, message_type::USER_CONTROL);
    assert_eq!(
        replies[0].0.payload.as_ref(),
        &protocol::user_control_payload(0, 1)
    );
    assert_eq!(replies[1].0.stream_id, 1);
    assert_eq!(name_of(&replies[1].1), Some("onStatus"));
    assert_eq!(status_code(&replies[1].1), Some("NetStream.Publish.Start"));
    assert!(client.session.is_publishing());

    // Metadata, an AAC sequence header and an AVC keyframe on stream 1.
    let meta = amf0::encode_all(&[
        Amf0Value::String("@setDataFrame".into()),
        Amf0Value::String("onMetaData".into()),
        Amf0Value::EcmaArray(vec![("width".into(), Amf0Value::Number(1280.0))]),
    ]);
    let events = client.message(4, 0, message_type::DATA_AMF0, 1, &meta);
    assert_eq!(
        events,
        vec![SessionEvent::Metadata(vec![(
            "width".into(),
            Amf0Value::Number(1280.0)
        )])]
    );
    let events = client.message(4, 0, message_type::AUDIO, 1, &[0xAF, 0, 0x12, 0x10]);
    let [SessionEvent::Audio { timestamp: 0, tag }] = events.as_slice() else {
        panic!("{events:?}");
    };
    assert_eq!(tag.codec, AudioCodec::Aac);
    assert!(matches!(tag.packet, AudioPacket::SequenceStart(_)));
    let events = client.message(
        6,
        40,
        message_type::VIDEO,
        1,
        &[0x17, 1, 0, 0, 0, 0, 0, 0, 1, 0x65],
    );
    let [SessionEvent::Video { timestamp: 40, tag }] = events.as_slice() else {
        panic!("{events:?}");
    };
    assert_eq!(
        (tag.frame_type, tag.codec),
        (FrameType::Key, VideoCodec::Avc)
    );
    assert!(matches!(tag.packet, VideoPacket::CodedFrames { .. }));

    let events = client.command(
        0,
        &[
            Amf0Value::String("FCUnpublish".into()),
            Amf0Value::Number(6.0),
            Amf0Value::Null,
            Amf0Value::String("42-secret".into()),
        ],
    );
    assert_eq!(events, vec![SessionEvent::Unpublished]);
    let events = client.command(
        0,
        &[
            Amf0Value::String("deleteStream".into()),
            Amf0Value::Number(7.0),
            Amf0Value::Null,
            Amf0Value::Number(1.0),
        ],
    );
    assert!(events.is_empty(), "already unpublished: {events:?}");
}

#[test]
fn rejected_publish_gets_bad_name_and_closes() {
    let mut client = Client::new();
    client.connect();
    client.replies();
    client.publish("wrong");
    client.replies();
    client
        .session
        .reject_publish(PublishRefusal::BadName, "Unknown stream key.");
    client.received.extend(client.session.take_transmit());
    let replies = client.replies();
    assert_eq!(
        status_code(&replies[0].1),
        Some("NetStream.Publish.BadName")
    );
    assert_eq!(
        replies[0].1[3].get("level").and_then(Amf0Value::as_str),
        Some("error")
    );
    assert_eq!(client.feed(&[0]), Err(SessionError::Closed));
}

#[test]
fn media_before_publish_is_ignored_and_unknown_commands_get_error() {
    let mut client = Client::new();
    client.connect();
    client.replies();
    let events = client.message(6, 0, message_type::VIDEO, 1, &[0x17, 0]);
    assert_eq!(
        events,
        vec![SessionEvent::Ignored(Ignored::MediaOutsidePublish)]
    );
    let events = client.command(
        0,
        &[
            Amf0Value::String("_checkbw".into()),
            Amf0Value::Number(9.0),
            Amf0Value::Null,
        ],
    );
    assert_eq!(
        events,
        vec![SessionEvent::Ignored(Ignored::UnknownCommand(
            "_checkbw".into()
        ))]
    );
    let replies = client.replies();
    assert_eq!(name_of(&replies[0].1), Some("_error"));
    assert_eq!(replies[0].1[1], Amf0Value::Number(9.0));
}

#[test]
fn publish_without_created_stream_or_name_is_refused_in_band() {
    let mut client = Client::new();
    client.connect();
    client.replies();
    let events = client.command(
        1,
        &[
            Amf0Value::String("publish".into()),
            Amf0Value::Number(5.0),
            Amf0Value::Null,
            Amf0Value::String("key".into()),
        ],
    );
    assert!(events.is_empty());
    assert_eq!(
        status_code(&client.replies()[0].1),
        Some("NetStream.Publish.BadName")
    );
}

#[test]
fn commands_before_connect_and_garbage_close_the_session() {
    let mut client = Client::new();
    client.handshake();
    let mut wire = Vec::new();
    let payload = amf0::encode_all(&[Amf0Value::String("publish".into()), Amf0Value::Number(1.0)]);
    client.encoder.write(3, 0, 20, 0, &payload, &mut wire);
    assert_eq!(
        client.feed(&wire),
        Err(SessionError::CommandBeforeConnect("publish".into()))
    );

    let mut client = Client::new();
    client.handshake();
    let mut wire = Vec::new();
    client.encoder.write(3, 0, 20, 0, &[0x02, 0xFF], &mut wire);
    assert_eq!(
        client.feed(&wire),
        Err(SessionError::Command(Amf0Error::Truncated))
    );

    let mut client = Client::new();
    assert_eq!(
        client.feed(b"\x16\x03\x01 TLS hello"),
        Err(SessionError::Handshake(HandshakeError::UnsupportedVersion(
            0x16
        )))
    );

    let mut client = Client::new();
    client.connect();
    let mut wire = Vec::new();
    client
        .encoder
        .write(2, 0, 1, 0, &protocol::u32_payload(0x7FFF_FFFF), &mut wire);
    assert!(matches!(
        client.feed(&wire),
        Err(SessionError::Chunk(ChunkError::ChunkSizeOutOfRange { .. }))
    ));
}

#[test]
fn set_chunk_size_applies_to_the_next_chunk_and_pings_are_answered() {
    let mut client = Client::new();
    client.connect();
    client.replies();
    let mut wire = Vec::new();
    client
        .encoder
        .write(2, 0, 1, 0, &protocol::u32_payload(4096), &mut wire);
    client.encoder.set_chunk_size(4096);
    let big = amf0::encode_all(&[
        Amf0Value::String("noSuchThing".into()),
        Amf0Value::Number(0.0),
        Amf0Value::Null,
        Amf0Value::String("x".repeat(3000)),
    ]);
    client.encoder.write(3, 0, 20, 0, &big, &mut wire);
    client.encoder.write(
        2,
        0,
        4,
        0,
        &protocol::user_control_payload(6, 1234),
        &mut wire,
    );
    let events = client.feed(&wire).unwrap();
    assert_eq!(
        events,
        vec![SessionEvent::Ignored(Ignored::UnknownCommand(
            "noSuchThing".into()
        ))]
    );
    let replies = client.replies();
    assert_eq!(
        replies.len(),
        1,
        "no _error for transaction 0, one ping response"
    );
    assert_eq!(
        replies[0].0.payload.as_ref(),
        &protocol::user_control_payload(7, 1234)
    );
}

#[test]
fn acknowledgements_follow_the_peer_window() {
    let mut client = Client::new();
    client.connect();
    client.replies();
    client.message(2, 0, 5, 0, &protocol::u32_payload(5000));
    let filler = vec![0u8; 6000];
    client.message(4, 0, message_type::AUDIO, 1, &filler);
    let replies = client.replies();
    assert_eq!(replies[0].0.type_id, message_type::ACKNOWLEDGEMENT);
    let acked = u32::from_be_bytes(replies[0].0.payload[..4].try_into().unwrap());
    assert_eq!(u64::from(acked), client.session.bytes_received());
}

#[test]
fn deadlines_close_idle_connections() {
    let mut client = Client::new();
    let start = client.now;
    assert_eq!(
        client.session.next_deadline(),
        Some(start + Duration::from_secs(5))
    );
    assert_eq!(
        client
            .session
            .handle_timeout(start + Duration::from_secs(4)),
        Ok(())
    );
    assert_eq!(
        client
            .session
            .handle_timeout(start + Duration::from_secs(5)),
        Err(SessionError::Timeout(Phase::Handshake))
    );

    let mut client = Client::new();
    client.connect();
    assert_eq!(
        client
            .session
            .handle_timeout(start + Duration::from_secs(11)),
        Err(SessionError::Timeout(Phase::Publish))
    );

    let mut client = Client::new();
    client.connect();
    client.publish("k");
    client.session.accept_publish();
    client.now += Duration::from_secs(3);
    client.message(4, 0, message_type::AUDIO, 1, &[0xAF, 1, 0]);
    let deadline = client.session.next_deadline().unwrap();
    assert_eq!(deadline, client.now + Duration::from_secs(10));
    assert_eq!(
        client.session.handle_timeout(deadline),
        Err(SessionError::Timeout(Phase::Idle))
    );
}

#[test]
fn enhanced_rtmp_connect_is_answered_with_fourcc_list() {
    let mut client = Client::new();
    client.handshake();
    client.command(
        0,
        &[
            Amf0Value::String("connect".into()),
            Amf0Value::Number(1.0),
            Amf0Value::Object(vec![
                ("app".into(), Amf0Value::String("live".into())),
                (
                    "fourCcList".into(),
                    Amf0Value::StrictArray(vec![
                        Amf0Value::String("avc1".into()),
                        Amf0Value::String("hvc1".into()),
                    ]),
                ),
            ]),
        ],
    );
    let replies = client.replies();
    let result = &replies.last().unwrap().1;
    assert_eq!(
        result[2].get("fourCcList"),
        Some(&Amf0Value::StrictArray(vec![Amf0Value::String(
            "avc1".into()
        )]))
    );
}
