//! `shimmer push --protocol rtmp`: an RTMP publisher, so streamers can check the RTMP server and
//! tests can publish without an external encoder.
//!
//! It speaks what ffmpeg and OBS speak: the plain handshake, `connect`, `releaseStream`,
//! `FCPublish`, `createStream`, `publish`, then FLV tags paced in real time, and `FCUnpublish`
//! and `deleteStream` at the end. Media comes from an FLV file (sent as it is, AAC and B-frames
//! included), or from the Annex-B H.264 and Ogg Opus files FTL push reads (Opus goes over
//! Enhanced RTMP, FourCC `Opus`), or an ADTS AAC file as audio.

pub mod tags;

use std::path::{Path, PathBuf};
use std::time::Duration;

use bytes::BytesMut;
use shimmer_ftl::client::Media;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::tcp::OwnedReadHalf;
use tokio::net::TcpStream;
use tokio::time::{sleep_until, timeout, Instant};
use tokio_util::sync::CancellationToken;

use crate::amf0::{self, Amf0Limits, Amf0Value};
use crate::chunk::{ChunkDecoder, ChunkEncoder, ChunkLimits, Message};
use crate::protocol::{csid, message_type, parse_control, u32_payload, Control};
use tags::Tag;

/// The RTMP port when the URL names none.
pub const DEFAULT_PORT: u16 = 1935;
/// Our chunk size (ffmpeg uses 4096 too).
const CHUNK_SIZE: u32 = 4096;
/// How long each step of the handshake and the commands may take.
const STEP_TIMEOUT: Duration = Duration::from_secs(10);
/// Chunk streams for what the publisher sends.
const CSID_AUDIO: u32 = 6;
const CSID_VIDEO: u32 = 7;
const CSID_DATA: u32 = 8;

/// What to publish and where.
#[derive(Debug, Clone)]
pub struct RtmpPushOptions {
    /// `rtmp://host[:port]/app` (app `live` when omitted), or `host[:port]`.
    pub server: String,
    /// The stream key (the publish name).
    pub key: String,
    /// An FLV file to send as it is (instead of `video`/`audio`).
    pub flv: Option<PathBuf>,
    /// Annex-B H.264.
    pub video: Option<PathBuf>,
    /// Ogg Opus, or ADTS AAC (`.aac`).
    pub audio: Option<PathBuf>,
    /// Start over at the end of the media (timestamps keep counting).
    pub looping: bool,
    /// Video frame rate of `video`, for timestamps.
    pub fps: f64,
    /// Stop after this long.
    pub max_duration: Option<Duration>,
    /// Stop when cancelled.
    pub stop: Option<CancellationToken>,
}

/// What a push did.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct RtmpPushSummary {
    /// The protocol (`rtmp`), for output that mixes protocols.
    pub protocol: &'static str,
    /// Video tags sent (sequence headers included).
    pub video_tags: u64,
    /// Audio tags sent (sequence headers included).
    pub audio_tags: u64,
    /// Bytes written to the connection.
    pub bytes_sent: u64,
    /// Wall time streamed.
    pub duration_ms: u64,
    /// Set when the server closed the connection or refused the stream mid-way.
    pub ended_by_server: Option<String>,
}

/// Why a push failed.
#[derive(Debug, thiserror::Error)]
pub enum RtmpPushError {
    /// A media file could not be read.
    #[error("reading {0}: {1}")]
    Read(String, std::io::Error),
    /// A media file is not usable.
    #[error("media: {0}")]
    Media(String),
    /// The server URL is not `rtmp://host[:port]/app`.
    #[error("server must look like rtmp://host[:port]/app: {0}")]
    BadUrl(String),
    /// Network failure.
    #[error("{0}: {1}")]
    Io(&'static str, std::io::Error),
    /// The server refused a command (a wrong key is `NetStream.Publish.BadName`).
    #[error("server refused {step}: {code} ({description})")]
    Refused {
        /// The command.
        step: &'static str,
        /// The status or error code.
        code: String,
        /// The server's description.
        description: String,
    },
    /// The server answered something unexpected or nothing in time.
    #[error("protocol error: {0}")]
    Protocol(String),
}

/// The server address and app of an RTMP URL.
fn parse_server(server: &str) -> Result<(String, String), RtmpPushError> {
    let rest = server.strip_prefix("rtmp://").unwrap_or(server);
    let (authority, app) = rest.split_once('/').unwrap_or((rest, "live"));
    let app = app.trim_end_matches('/');
    if authority.is_empty() || authority.contains(['@', '?', '#']) {
        return Err(RtmpPushError::BadUrl(server.into()));
    }
    let address = if authority
        .rsplit_once(':')
        .is_some_and(|(_, port)| port.parse::<u16>().is_ok())
    {
        authority.to_owned()
    } else {
        format!("{authority}:{DEFAULT_PORT}")
    };
    Ok((
        address,
        if app.is_empty() {
            "live".into()
        } else {
            app.into()
        },
    ))
}

fn read_file(path: &Path) -> Result<Vec<u8>, RtmpPushError> {
    std::fs::read(path).map_err(|e| RtmpPushError::Read(path.display().to_string(), e))
}

/// The media as tags in timestamp order, and how long one pass lasts in milliseconds.
fn load_tags(options: &RtmpPushOptions) -> Result<(Vec<Tag>, u32), RtmpPushError> {
    let media_error =
        |path: &Path, e: String| RtmpPushError::Media(format!("{}: {e}", path.display()));
    let mut tags = Vec::new();
    let mut length = 0u32;
    if let Some(path) = &options.flv {
        tags = tags::parse_flv(&read_file(path)?).map_err(|e| media_error(path, e))?;
        let last = tags.iter().map(|t| t.timestamp).max().unwrap_or(0);
        return Ok((tags, last + 40));
    }
    if let Some(path) = &options.video {
        let media =
            Media::load(Some(path), None).map_err(|e| RtmpPushError::Media(e.to_string()))?;
        let find = |kind: u8| {
            media
                .video
                .iter()
                .flat_map(|f| f.nals.iter())
                .find(|n| n.first().map(|h| h & 0x1F) == Some(kind))
        };
        let (Some(sps), Some(pps)) = (find(7), find(8)) else {
            return Err(media_error(path, "no SPS and PPS found".into()));
        };
        let header = tags::avc_sequence_header(sps, pps)
            .ok_or_else(|| media_error(path, "the SPS is too short".into()))?;
        tags.push(Tag {
            type_id: message_type::VIDEO,
            timestamp: 0,
            body: header,
        });
        let fps = if options.fps > 0.0 { options.fps } else { 30.0 };
        for (i, frame) in media.video.iter().enumerate() {
            let timestamp = (i as f64 * 1000.0 / fps).round() as u32;
            tags.push(Tag {
                type_id: message_type::VIDEO,
                timestamp,
                body: tags::avc_frame(frame.keyframe, &frame.nals),
            });
        }
        length = (media.video.len() as f64 * 1000.0 / fps).round() as u32;
    }
    if let Some(path) = &options.audio {
        let data = read_file(path)?;
        let mut audio = Vec::new();
        if data.starts_with(&[0xFF]) && data.get(1).is_some_and(|b| b & 0xF0 == 0xF0) {
            let adts = tags::parse_adts(&data).map_err(|e| media_error(path, e))?;
            audio.push(Tag {
                type_id: message_type::AUDIO,
                timestamp: 0,
                body: tags::aac_sequence_header(adts.config),
            });
            for (i, frame) in adts.frames.iter().enumerate() {
                let timestamp = (i as u64 * 1024 * 1000 / u64::from(adts.sample_rate)) as u32;
                audio.push(Tag {
                    type_id: message_type::AUDIO,
                    timestamp,
                    body: tags::aac_frame(frame),
                });
            }
            let audio_length =
                (adts.frames.len() as u64 * 1024 * 1000 / u64::from(adts.sample_rate)) as u32;
            length = length.max(audio_length);
        } else {
            let media =
                Media::load(None, Some(path)).map_err(|e| RtmpPushError::Media(e.to_string()))?;
            audio.push(Tag {
                type_id: message_type::AUDIO,
                timestamp: 0,
                body: tags::opus_sequence_header(media.audio_channels),
            });
            let mut samples = 0u64;
            for packet in &media.audio {
                audio.push(Tag {
                    type_id: message_type::AUDIO,
                    timestamp: (samples / 48) as u32,
                    body: tags::opus_frame(&packet.data),
                });
                samples += u64::from(packet.samples);
            }
            length = length.max((samples / 48) as u32);
        }
        tags.extend(audio);
    }
    if tags.is_empty() {
        return Err(RtmpPushError::Media(
            "give an FLV file, or video, audio or both".into(),
        ));
    }
    tags.sort_by_key(|t| t.timestamp);
    Ok((tags, length.max(1)))
}

/// Publishes until the media ends (or forever with `looping`), the duration passes or `stop`
/// is cancelled; then unpublishes.
pub async fn push(options: RtmpPushOptions) -> Result<RtmpPushSummary, RtmpPushError> {
    let (address, app) = parse_server(&options.server)?;
    let (tags, pass_ms) = load_tags(&options)?;
    let stream = timeout(STEP_TIMEOUT, TcpStream::connect(&address))
        .await
        .map_err(|_| RtmpPushError::Protocol(format!("no connection to {address} within 10 s")))?
        .map_err(|e| RtmpPushError::Io("connect", e))?;
    let _ = stream.set_nodelay(true);
    let (reader, mut writer) = stream.into_split();
    let mut conn = Connection {
        reader,
        decoder: ChunkDecoder::new(ChunkLimits::default()),
        buf: BytesMut::new(),
    };
    let encoder = {
        let mut e = ChunkEncoder::default();
        e.set_chunk_size(CHUNK_SIZE);
        e
    };

    // Handshake: C0+C1, read S0+S1+S2, C2 echoes S1.
    let mut c0c1 = vec![3u8, 0, 0, 0, 0, 0, 0, 0, 0];
    c0c1.extend((0..1528).map(|_| rand::random::<u8>()));
    write(&mut writer, &c0c1).await?;
    let mut s0s1s2 = vec![0u8; 1 + 2 * 1536];
    timeout(STEP_TIMEOUT, conn.reader.read_exact(&mut s0s1s2))
        .await
        .map_err(|_| RtmpPushError::Protocol("no handshake reply within 10 s".into()))?
        .map_err(|e| RtmpPushError::Io("handshake", e))?;
    if s0s1s2[0] != 3 {
        return Err(RtmpPushError::Protocol(format!(
            "server speaks RTMP version {}",
            s0s1s2[0]
        )));
    }
    write(&mut writer, &s0s1s2[1..1537]).await?;

    let mut out = Vec::new();
    encoder.write(
        csid::CONTROL,
        0,
        message_type::SET_CHUNK_SIZE,
        0,
        &u32_payload(CHUNK_SIZE),
        &mut out,
    );
    let tc_url = format!("rtmp://{address}/{app}");
    command(
        &encoder,
        0,
        &[
            "connect".into(),
            Amf0Value::Number(1.0),
            Amf0Value::Object(vec![
                ("app".into(), Amf0Value::String(app.clone())),
                ("type".into(), Amf0Value::String("nonprivate".into())),
                (
                    "flashVer".into(),
                    Amf0Value::String("FMLE/3.0 (compatible; shimmer-push)".into()),
                ),
                ("tcUrl".into(), Amf0Value::String(tc_url)),
            ]),
        ],
        &mut out,
    );
    write(&mut writer, &out).await?;
    conn.await_result("connect", 1.0).await?;

    let key = Amf0Value::String(options.key.clone());
    let mut out = Vec::new();
    command(
        &encoder,
        0,
        &[
            "releaseStream".into(),
            Amf0Value::Number(2.0),
            Amf0Value::Null,
            key.clone(),
        ],
        &mut out,
    );
    command(
        &encoder,
        0,
        &[
            "FCPublish".into(),
            Amf0Value::Number(3.0),
            Amf0Value::Null,
            key.clone(),
        ],
        &mut out,
    );
    command(
        &encoder,
        0,
        &[
            "createStream".into(),
            Amf0Value::Number(4.0),
            Amf0Value::Null,
        ],
        &mut out,
    );
    write(&mut writer, &out).await?;
    let stream_id = conn
        .await_result("createStream", 4.0)
        .await?
        .as_number()
        .filter(|id| *id >= 1.0 && *id < f64::from(u32::MAX))
        .ok_or_else(|| RtmpPushError::Protocol("createStream gave no stream id".into()))?
        as u32;

    let mut out = Vec::new();
    command(
        &encoder,
        stream_id,
        &[
            "publish".into(),
            Amf0Value::Number(5.0),
            Amf0Value::Null,
            key.clone(),
            "live".into(),
        ],
        &mut out,
    );
    write(&mut writer, &out).await?;
    conn.await_publish_start().await?;

    let mut out = Vec::new();
    let metadata = amf0::encode_all(&[
        "@setDataFrame".into(),
        "onMetaData".into(),
        Amf0Value::EcmaArray(vec![(
            "encoder".into(),
            Amf0Value::String("shimmer-push".into()),
        )]),
    ]);
    encoder.write(
        CSID_DATA,
        0,
        message_type::DATA_AMF0,
        stream_id,
        &metadata,
        &mut out,
    );
    write(&mut writer, &out).await?;

    // The server says nothing more unless it ends the stream; a reader task watches for that.
    let closed = CancellationToken::new();
    let watcher = tokio::spawn({
        let closed = closed.clone();
        async move {
            let reason = conn.watch().await;
            closed.cancel();
            reason
        }
    });

    let stop = options.stop.clone().unwrap_or_default();
    let started = Instant::now();
    let deadline = options.max_duration.map(|d| started + d);
    let mut summary = RtmpPushSummary {
        protocol: "rtmp",
        bytes_sent: (c0c1.len() + 1536) as u64,
        ..Default::default()
    };
    let mut pass = 0u32;
    'passes: loop {
        let offset = pass.saturating_mul(pass_ms);
        for tag in &tags {
            let timestamp = offset.saturating_add(tag.timestamp);
            let due = started + Duration::from_millis(u64::from(timestamp));
            if deadline.is_some_and(|d| due > d) {
                break 'passes;
            }
            tokio::select! {
                _ = stop.cancelled() => break 'passes,
                _ = closed.cancelled() => break 'passes,
                _ = sleep_until(due) => {}
            }
            let mut out = Vec::with_capacity(tag.body.len() + 32);
            let csid = if tag.type_id == message_type::AUDIO {
                CSID_AUDIO
            } else {
                CSID_VIDEO
            };
            encoder.write(csid, timestamp, tag.type_id, stream_id, &tag.body, &mut out);
            if writer.write_all(&out).await.is_err() {
                break 'passes;
            }
            summary.bytes_sent += out.len() as u64;
            if tag.type_id == message_type::AUDIO {
                summary.audio_tags += 1;
            } else {
                summary.video_tags += 1;
            }
        }
        if !options.looping {
            break;
        }
        pass += 1;
    }

    if closed.is_cancelled() {
        summary.ended_by_server = Some(watcher.await.unwrap_or_else(|_| "closed".into()));
    } else {
        watcher.abort();
        let mut out = Vec::new();
        command(
            &encoder,
            0,
            &[
                "FCUnpublish".into(),
                Amf0Value::Number(6.0),
                Amf0Value::Null,
                key,
            ],
            &mut out,
        );
        command(
            &encoder,
            0,
            &[
                "deleteStream".into(),
                Amf0Value::Number(7.0),
                Amf0Value::Null,
                Amf0Value::Number(f64::from(stream_id)),
            ],
            &mut out,
        );
        let _ = writer.write_all(&out).await;
        let _ = writer.shutdown().await;
    }
    summary.duration_ms = started.elapsed().as_millis() as u64;
    Ok(summary)
}

async fn write(
    writer: &mut tokio::net::tcp::OwnedWriteHalf,
    bytes: &[u8],
) -> Result<(), RtmpPushError> {
    writer
        .write_all(bytes)
        .await
        .map_err(|e| RtmpPushError::Io("send", e))
}

/// Appends an AMF0 command on the command chunk stream.
fn command(encoder: &ChunkEncoder, stream_id: u32, values: &[Amf0Value], out: &mut Vec<u8>) {
    encoder.write(
        csid::COMMAND,
        0,
        message_type::COMMAND_AMF0,
        stream_id,
        &amf0::encode_all(values),
        out,
    );
}

/// The receiving half: messages from the server, protocol control applied.
struct Connection {
    reader: OwnedReadHalf,
    decoder: ChunkDecoder,
    buf: BytesMut,
}

impl Connection {
    /// The next message that is not protocol control.
    async fn next(&mut self) -> Result<Option<Message>, RtmpPushError> {
        loop {
            match self.decoder.next_message(&mut self.buf) {
                Ok(Some(message)) => match parse_control(message.type_id, &message.payload) {
                    Some(Ok(Control::SetChunkSize(size))) => {
                        self.decoder
                            .set_chunk_size(size)
                            .map_err(|e| RtmpPushError::Protocol(e.to_string()))?;
                    }
                    Some(_) => {}
                    None => return Ok(Some(message)),
                },
                Ok(None) => {
                    let mut chunk = [0u8; 8192];
                    let n = self
                        .reader
                        .read(&mut chunk)
                        .await
                        .map_err(|e| RtmpPushError::Io("receive", e))?;
                    if n == 0 {
                        return Ok(None);
                    }
                    self.buf.extend_from_slice(&chunk[..n]);
                }
                Err(e) => return Err(RtmpPushError::Protocol(e.to_string())),
            }
        }
    }

    /// The next AMF0 command's values, within the step deadline.
    async fn next_command(&mut self, step: &'static str) -> Result<Vec<Amf0Value>, RtmpPushError> {
        loop {
            let message = timeout(STEP_TIMEOUT, self.next())
                .await
                .map_err(|_| RtmpPushError::Protocol(format!("no answer to {step} within 10 s")))??
                .ok_or_else(|| {
                    RtmpPushError::Protocol(format!(
                        "the server closed the connection during {step}"
                    ))
                })?;
            if message.type_id == message_type::COMMAND_AMF0 {
                return amf0::decode_all(&message.payload, Amf0Limits::default())
                    .map_err(|e| RtmpPushError::Protocol(e.to_string()));
            }
        }
    }

    /// Waits for `_result` of `transaction` and returns its last value; `_error` is a refusal.
    async fn await_result(
        &mut self,
        step: &'static str,
        transaction: f64,
    ) -> Result<Amf0Value, RtmpPushError> {
        loop {
            let values = self.next_command(step).await?;
            let name = values
                .first()
                .and_then(Amf0Value::as_str)
                .unwrap_or_default();
            if values.get(1).and_then(Amf0Value::as_number) != Some(transaction) {
                continue;
            }
            match name {
                "_result" => return Ok(values.last().cloned().unwrap_or(Amf0Value::Undefined)),
                "_error" => return Err(refusal(step, values.last())),
                _ => {}
            }
        }
    }

    /// Waits for `onStatus` `NetStream.Publish.Start`; any other status refuses the publish.
    async fn await_publish_start(&mut self) -> Result<(), RtmpPushError> {
        loop {
            let values = self.next_command("publish").await?;
            if values.first().and_then(Amf0Value::as_str) != Some("onStatus") {
                continue;
            }
            let info = values.last();
            return match info.and_then(|i| i.get("code")).and_then(Amf0Value::as_str) {
                Some("NetStream.Publish.Start") => Ok(()),
                _ => Err(refusal("publish", info)),
            };
        }
    }

    /// Reads until the server closes the connection or sends an error status; says which.
    async fn watch(mut self) -> String {
        loop {
            match self.next().await {
                Ok(Some(message)) if message.type_id == message_type::COMMAND_AMF0 => {
                    let values = amf0::decode_all(&message.payload, Amf0Limits::default())
                        .unwrap_or_default();
                    let info = values.last();
                    if info
                        .and_then(|i| i.get("level"))
                        .and_then(Amf0Value::as_str)
                        == Some("error")
                    {
                        return info
                            .and_then(|i| i.get("code"))
                            .and_then(Amf0Value::as_str)
                            .unwrap_or("error")
                            .to_owned();
                    }
                }
                Ok(Some(_)) => {}
                Ok(None) => return "closed".into(),
                Err(e) => return e.to_string(),
            }
        }
    }
}

fn refusal(step: &'static str, info: Option<&Amf0Value>) -> RtmpPushError {
    let field = |name: &str| {
        info.and_then(|i| i.get(name))
            .and_then(Amf0Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    RtmpPushError::Refused {
        step,
        code: field("code"),
        description: field("description"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_urls_give_address_and_app() {
        let parse = |s: &str| parse_server(s).unwrap();
        assert_eq!(
            parse("rtmp://127.0.0.1:1936/live"),
            ("127.0.0.1:1936".into(), "live".into())
        );
        assert_eq!(
            parse("rtmp://example.com/app/"),
            ("example.com:1935".into(), "app".into())
        );
        assert_eq!(
            parse("example.com"),
            ("example.com:1935".into(), "live".into())
        );
        assert_eq!(
            parse("[::1]:1940/live"),
            ("[::1]:1940".into(), "live".into())
        );
        assert!(parse_server("rtmp:///live").is_err());
        assert!(parse_server("rtmp://user@host/live").is_err());
    }
}
