//! The chat socket against a real server: delivery between two chatters, visitors, and bad
//! input (oversized frames, invalid UTF-8, binary and unknown frames, floods, other origins).

mod support;

use std::time::{Duration, Instant};

use futures::{SinkExt, StreamExt};
use serde_json::json;
use support::chat::{channel_of, connect, next, next_of};
use support::{Browser, Server};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;

const PASSWORD: &str = "password123";

#[tokio::test]
async fn messages_reach_everyone_and_visitors_only_read() {
    let server = Server::start();
    server.create_user("host", PASSWORD, true);
    server.create_user("guest", PASSWORD, true);
    let channel = channel_of(&server, "host");
    let host_cookie = Browser::new(&server).session_cookie("host", PASSWORD).await;
    let guest_cookie = Browser::new(&server)
        .session_cookie("guest", PASSWORD)
        .await;

    let mut host = connect(&server, &channel, Some(&host_cookie)).await;
    let welcome = next_of(&mut host, "welcome").await;
    assert_eq!(welcome["user"]["username"], "host");
    assert_eq!(welcome["permissions"]["ban"], true);
    assert_eq!(next(&mut host).await["type"], "history");
    let mut guest = connect(&server, &channel, Some(&guest_cookie)).await;
    let welcome = next_of(&mut guest, "welcome").await;
    assert_eq!(welcome["permissions"]["ban"], false);
    next_of(&mut guest, "history").await;
    let mut visitor = connect(&server, &channel, None).await;
    let welcome = next_of(&mut visitor, "welcome").await;
    assert_eq!(welcome["can_send"], false);
    next_of(&mut visitor, "history").await;

    let sent = Instant::now();
    guest
        .send(Message::Text(
            json!({"type": "send", "text": "hello <b>world</b> https://example.com"})
                .to_string()
                .into(),
        ))
        .await
        .unwrap();
    for socket in [&mut host, &mut guest, &mut visitor] {
        let frame = next_of(socket, "message").await;
        assert_eq!(frame["message"]["username"], "guest");
        let tokens = frame["message"]["tokens"].as_array().unwrap();
        assert_eq!(
            tokens[0],
            json!({"type": "text", "text": "hello <b>world</b> "})
        );
        assert_eq!(tokens[1]["type"], "link");
    }
    assert!(
        sent.elapsed() < Duration::from_secs(1),
        "delivered in {:?}",
        sent.elapsed()
    );

    visitor
        .send(Message::Text(
            json!({"type": "send", "text": "hi"}).to_string().into(),
        ))
        .await
        .unwrap();
    let refused = next_of(&mut visitor, "refused").await;
    assert_eq!(refused["code"], "not_signed_in");

    // History on join includes the message.
    let mut late = connect(&server, &channel, None).await;
    next_of(&mut late, "welcome").await;
    let history = next_of(&mut late, "history").await;
    assert_eq!(history["messages"].as_array().unwrap().len(), 1);

    // A timeout hides the guest's messages for everyone and tells the guest.
    let guest_id = welcome_user_id(&server, "guest").await;
    host.send(Message::Text(
        json!({"type": "moderate", "action": "short_timeout", "user_id": guest_id})
            .to_string()
            .into(),
    ))
    .await
    .unwrap();
    let hidden = next_of(&mut visitor, "hidden").await;
    assert_eq!(hidden["user_id"], guest_id);
    let notice = next_of(&mut guest, "moderation").await;
    assert_eq!(notice["action"], "short_timeout");
    assert!(notice["expires_at"].as_i64().unwrap() > 0);
    guest
        .send(Message::Text(
            json!({"type": "send", "text": "am I muted?"})
                .to_string()
                .into(),
        ))
        .await
        .unwrap();
    assert_eq!(next_of(&mut guest, "refused").await["code"], "timed_out");
}

async fn welcome_user_id(server: &Server, username: &str) -> i64 {
    let cookie = Browser::new(server)
        .session_cookie(username, PASSWORD)
        .await;
    let channel = channel_of(server, username);
    let mut socket = connect(server, &channel, Some(&cookie)).await;
    next_of(&mut socket, "welcome").await["user"]["id"]
        .as_i64()
        .unwrap()
}

#[tokio::test]
async fn bad_frames_are_refused_and_floods_closed() {
    let server = Server::start();
    server.create_user("host", PASSWORD, true);
    let channel = channel_of(&server, "host");
    let cookie = Browser::new(&server).session_cookie("host", PASSWORD).await;
    let mut socket = connect(&server, &channel, Some(&cookie)).await;
    next_of(&mut socket, "history").await;

    socket
        .send(Message::Text("{\"type\":\"launch_missiles\"}".into()))
        .await
        .unwrap();
    assert!(next_of(&mut socket, "error").await["message"]
        .as_str()
        .unwrap()
        .contains("Unknown or malformed frame"));
    socket.send(Message::Text("not json".into())).await.unwrap();
    next_of(&mut socket, "error").await;
    socket
        .send(Message::Binary(vec![0, 1, 2].into()))
        .await
        .unwrap();
    assert!(next_of(&mut socket, "error").await["message"]
        .as_str()
        .unwrap()
        .contains("Binary frames"));
    socket
        .send(Message::Text(
            json!({"type": "send", "text": "x".repeat(501)})
                .to_string()
                .into(),
        ))
        .await
        .unwrap();
    assert_eq!(next_of(&mut socket, "refused").await["code"], "too_long");
    socket.send(Message::Ping(vec![1].into())).await.unwrap();

    // A flood is refused, then the socket is closed. Sending may fail first (the server has
    // closed), so read everything the server sent either way.
    for index in 0..200 {
        if socket
            .send(Message::Text(
                json!({"type": "ping", "n": index}).to_string().into(),
            ))
            .await
            .is_err()
        {
            break;
        }
    }
    let mut saw_refusal = false;
    let mut closed = false;
    while !closed {
        match tokio::time::timeout(Duration::from_secs(5), socket.next()).await {
            Ok(Some(Ok(Message::Text(text)))) => saw_refusal |= text.contains("rate_limited"),
            Ok(Some(Ok(Message::Close(frame)))) => {
                assert_eq!(frame.map(|frame| u16::from(frame.code)), Some(1008));
                closed = true;
            }
            Ok(Some(Ok(_))) => {}
            Ok(None | Some(Err(_))) => closed = true,
            Err(_) => break,
        }
    }
    assert!(
        saw_refusal && closed,
        "refused {saw_refusal}, closed {closed}"
    );

    // An oversized frame ends the connection.
    let mut socket = connect(&server, &channel, Some(&cookie)).await;
    next_of(&mut socket, "history").await;
    let _ = socket
        .send(Message::Text("x".repeat(64 * 1024).into()))
        .await;
    let ended = tokio::time::timeout(Duration::from_secs(5), async {
        loop {
            match socket.next().await {
                None | Some(Err(_)) | Some(Ok(Message::Close(_))) => return true,
                Some(Ok(_)) => continue,
            }
        }
    })
    .await
    .unwrap_or(false);
    assert!(ended, "an oversized frame closes the socket");

    // The server still serves chat afterwards.
    let mut socket = connect(&server, &channel, Some(&cookie)).await;
    next_of(&mut socket, "history").await;
    socket
        .send(Message::Text(
            json!({"type": "send", "text": "still here"})
                .to_string()
                .into(),
        ))
        .await
        .unwrap();
    next_of(&mut socket, "message").await;
}

#[tokio::test]
async fn invalid_utf8_and_foreign_origins_are_refused() {
    let server = Server::start();
    server.create_user("host", PASSWORD, true);
    let channel = channel_of(&server, "host");
    let address = server.base_url.trim_start_matches("http://").to_owned();

    // A hand-made handshake, then a text frame whose payload is not UTF-8.
    let mut stream = tokio::net::TcpStream::connect(&address).await.unwrap();
    let handshake = format!(
        "GET /chat/{channel}/socket HTTP/1.1\r\nHost: {address}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
         Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
    );
    stream.write_all(handshake.as_bytes()).await.unwrap();
    let mut buffer = vec![0u8; 4096];
    let read = stream.read(&mut buffer).await.unwrap();
    assert!(String::from_utf8_lossy(&buffer[..read]).starts_with("HTTP/1.1 101"));
    let payload = [0xff_u8, 0xfe, 0xfd];
    let mask = [1u8, 2, 3, 4];
    let mut frame = vec![0x81, 0x80 | payload.len() as u8];
    frame.extend_from_slice(&mask);
    frame.extend(
        payload
            .iter()
            .enumerate()
            .map(|(index, byte)| byte ^ mask[index % 4]),
    );
    stream.write_all(&frame).await.unwrap();
    let closed = tokio::time::timeout(Duration::from_secs(5), async {
        let mut received = Vec::new();
        loop {
            let mut chunk = [0u8; 4096];
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return true,
                Ok(count) => {
                    received.extend_from_slice(&chunk[..count]);
                    // A close frame (opcode 8) from the server.
                    if received.windows(1).any(|byte| byte[0] == 0x88) {
                        return true;
                    }
                }
            }
        }
    })
    .await
    .unwrap_or(false);
    assert!(closed, "invalid UTF-8 closes the socket");

    let url = server
        .url(&format!("/chat/{channel}/socket"))
        .replace("http://", "ws://");
    let mut request = url.into_client_request().unwrap();
    request
        .headers_mut()
        .insert("origin", "https://evil.example".parse().unwrap());
    let refused = tokio_tungstenite::connect_async(request).await;
    assert!(
        refused.is_err(),
        "a foreign origin cannot open the chat socket"
    );
    let unknown = tokio_tungstenite::connect_async(
        server
            .url("/chat/999999/socket")
            .replace("http://", "ws://"),
    )
    .await;
    assert!(unknown.is_err(), "an unknown channel has no socket");
}

/// A busy room gathers the frames of a tick into one `batch` frame, in order and with every
/// message; the tick is stretched here (20 ms per listener, at most 50 ms) so three sockets make
/// a busy room.
#[tokio::test]
async fn busy_rooms_send_frames_in_batches_in_order() {
    let (server, _log) =
        Server::start_with_log(&[("SHIMMER_CHAT__BATCH_US_PER_LISTENER", "20000")]);
    server.create_user("host", PASSWORD, true);
    server.create_user("guest", PASSWORD, true);
    let channel = channel_of(&server, "host");
    let host_cookie = Browser::new(&server).session_cookie("host", PASSWORD).await;
    let guest_cookie = Browser::new(&server)
        .session_cookie("guest", PASSWORD)
        .await;
    let mut host = connect(&server, &channel, Some(&host_cookie)).await;
    next_of(&mut host, "history").await;
    let mut guest = connect(&server, &channel, Some(&guest_cookie)).await;
    next_of(&mut guest, "history").await;
    let mut visitor = connect(&server, &channel, None).await;
    next_of(&mut visitor, "history").await;

    // One sender, so the order sent is the order accepted.
    const SENT: usize = 6;
    for n in 0..SENT {
        host.send(Message::Text(
            json!({"type": "send", "text": format!("line {n}")})
                .to_string()
                .into(),
        ))
        .await
        .unwrap();
    }
    let mut texts = Vec::new();
    let mut ids = Vec::new();
    let mut batches = 0;
    while texts.len() < SENT {
        let frame = next(&mut visitor).await;
        let frames = match frame["type"].as_str() {
            Some("batch") => {
                batches += 1;
                let inner = frame["frames"].as_array().unwrap().clone();
                assert!(inner.len() >= 2, "a batch carries several frames: {frame}");
                inner
            }
            _ => vec![frame],
        };
        for frame in frames {
            assert_eq!(frame["type"], "message", "only messages were sent: {frame}");
            texts.push(
                frame["message"]["tokens"][0]["text"]
                    .as_str()
                    .unwrap()
                    .to_owned(),
            );
            ids.push(frame["message"]["id"].as_i64().unwrap());
        }
    }
    let expected: Vec<String> = (0..SENT).map(|n| format!("line {n}")).collect();
    assert_eq!(texts, expected, "every message, in the order sent");
    assert!(
        ids.windows(2).all(|pair| pair[0] < pair[1]),
        "ids rise: {ids:?}"
    );
    assert!(batches >= 1, "six messages within a tick came in a batch");
}

/// A listening chat socket costs the server a few KiB, not a 128 KiB read buffer each: 300
/// visitors in one channel may grow the server by at most 40 KiB per socket (the default buffer
/// alone would be 128 KiB).
#[tokio::test]
async fn a_listening_socket_costs_the_server_little_memory() {
    const SOCKETS: u64 = 300;
    let server = Server::start();
    server.create_user("host", PASSWORD, true);
    let channel = channel_of(&server, "host");
    let mut warm_up = connect(&server, &channel, None).await;
    next_of(&mut warm_up, "history").await;
    let before = server.resident_kib();
    let mut sockets = Vec::new();
    for _ in 0..SOCKETS {
        let mut socket = connect(&server, &channel, None).await;
        next_of(&mut socket, "history").await;
        sockets.push(socket);
    }
    // Every socket's task has read at least once (its first read waits for a frame).
    tokio::time::sleep(Duration::from_millis(300)).await;
    let grown = server.resident_kib().saturating_sub(before);
    assert!(
        grown < SOCKETS * 40,
        "{SOCKETS} sockets grew the server by {grown} KiB ({} KiB each)",
        grown / SOCKETS
    );
}
