//! The chat WebSocket as a signed-in browser or a visitor uses it: find a channel's id, open its
//! socket with a session cookie, and read JSON frames.

use std::time::Duration;

use futures::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;

use super::{Server, Socket};

/// The channel id of `username`'s channel: chat sockets are addressed by it, and the stream key
/// starts with it.
pub fn channel_of(server: &Server, username: &str) -> String {
    server
        .stream_key(username)
        .split_once('-')
        .unwrap()
        .0
        .to_owned()
}

/// Opens the channel's chat socket, with a session cookie header when given (a visitor without).
pub async fn connect(server: &Server, channel_id: &str, cookie: Option<&str>) -> Socket {
    let url = server
        .url(&format!("/chat/{channel_id}/socket"))
        .replace("http://", "ws://");
    let mut request = url.into_client_request().unwrap();
    if let Some(cookie) = cookie {
        request
            .headers_mut()
            .insert("cookie", cookie.parse().unwrap());
    }
    let (socket, _) = tokio_tungstenite::connect_async(request).await.unwrap();
    socket
}

/// The next JSON frame, within 5 s; pings and pongs are skipped, anything else fails the test.
pub async fn next(socket: &mut Socket) -> Value {
    loop {
        let frame = tokio::time::timeout(Duration::from_secs(5), socket.next())
            .await
            .expect("a frame within 5 s");
        match frame {
            Some(Ok(Message::Text(text))) => return serde_json::from_str(&text).unwrap(),
            Some(Ok(Message::Ping(_) | Message::Pong(_))) => continue,
            other => panic!("expected a text frame, got {other:?}"),
        }
    }
}

/// The next JSON frame of type `kind`, skipping frames of other types.
pub async fn next_of(socket: &mut Socket, kind: &str) -> Value {
    loop {
        let frame = next(socket).await;
        if frame["type"] == kind {
            return frame;
        }
    }
}

/// Sends one chat message.
pub async fn send(socket: &mut Socket, text: &str) {
    socket
        .send(Message::Text(
            json!({"type": "send", "text": text}).to_string().into(),
        ))
        .await
        .unwrap();
}

/// Every JSON frame that arrives within `window`.
pub async fn frames_within(socket: &mut Socket, window: Duration) -> Vec<Value> {
    let deadline = tokio::time::Instant::now() + window;
    let mut frames = Vec::new();
    while let Ok(Some(Ok(frame))) = tokio::time::timeout_at(deadline, socket.next()).await {
        if let Message::Text(text) = frame {
            frames.push(serde_json::from_str(&text).unwrap());
        }
    }
    frames
}

/// The chat texts among `frames` (`message` frames).
pub fn texts(frames: &[Value]) -> Vec<String> {
    frames
        .iter()
        .filter(|frame| frame["type"] == "message")
        .flat_map(|frame| {
            frame["message"]["tokens"]
                .as_array()
                .cloned()
                .unwrap_or_default()
        })
        .filter_map(|token| token["text"].as_str().map(str::to_owned))
        .collect()
}

/// Sends `text` until the reader hears it (for up to 20 s): across nodes the first message
/// can overtake the reader's subscription, and after an outage the bus takes a moment to
/// reconnect.
pub async fn until_heard(sender: &mut Socket, reader: &mut Socket, text: &str) {
    for attempt in 0..40 {
        send(sender, &format!("{text} {attempt}")).await;
        let frames = frames_within(reader, Duration::from_millis(500)).await;
        if texts(&frames).iter().any(|heard| heard.starts_with(text)) {
            return;
        }
    }
    panic!("the reader never heard {text:?}");
}
