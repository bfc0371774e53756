//! Raids against a real server with two live streams: `/raid <channel>` in the streamer's chat
//! announces the raid in both chats and tells the raider's channel pages (their event stream)
//! where to take their viewers; only the live streamer may raid, only another live channel
//! that accepts raids.

mod support;

use std::time::Duration;

use serde_json::Value;
use support::chat::{channel_of, connect, frames_within, next_of, send};
use support::{push, wait_until, Browser, Server, Socket};

const PASSWORD: &str = "correct horse battery";

fn is_live(server: &Server, username: &str) -> bool {
    let output = server.cli(&["channel", "status", username]);
    String::from_utf8_lossy(&output.stdout).starts_with("live")
}

/// The frames of `kind` among what arrives within a second.
async fn frames_of(socket: &mut Socket, kind: &str) -> Vec<Value> {
    frames_within(socket, Duration::from_secs(1))
        .await
        .into_iter()
        .filter(|frame| frame["type"] == kind)
        .collect()
}

/// The message of the refusal `text` earns when `socket`'s user sends it.
async fn refusal(socket: &mut Socket, text: &str) -> String {
    send(socket, text).await;
    let refused = frames_of(socket, "refused").await;
    assert_eq!(refused.len(), 1, "{text}: {refused:?}");
    refused[0]["message"].as_str().unwrap().to_owned()
}

/// Reads the server-sent events of a channel page until one of type `kind` (within 5 s).
async fn next_event(events: &mut reqwest::Response, kind: &str) -> Value {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    let mut buffer = String::new();
    loop {
        let chunk = tokio::time::timeout_at(deadline, events.chunk())
            .await
            .unwrap_or_else(|_| panic!("no {kind} event in 5 s: {buffer}"))
            .unwrap()
            .expect("the event stream stays open");
        buffer.push_str(&String::from_utf8_lossy(&chunk));
        for line in buffer.lines() {
            if let Some(data) = line.strip_prefix("data: ") {
                let event: Value = serde_json::from_str(data).unwrap();
                if event["type"] == kind {
                    return event;
                }
            }
        }
    }
}

#[tokio::test]
async fn a_live_streamer_raids_another_live_channel_and_both_chats_see_it() {
    let server = Server::start();
    for name in ["alice", "bob", "carol", "dave"] {
        server.create_user(name, PASSWORD, true);
    }
    let mut pushes = Vec::new();
    for name in ["alice", "bob"] {
        pushes.push(push(server.ftl_port, &server.stream_key(name), &["--loop"]));
        assert!(wait_until(20, || is_live(&server, name)), "{name} live");
    }
    let (alice_channel, bob_channel) = (channel_of(&server, "alice"), channel_of(&server, "bob"));
    let alice_cookie = Browser::new(&server)
        .session_cookie("alice", PASSWORD)
        .await;
    let carol_cookie = Browser::new(&server)
        .session_cookie("carol", PASSWORD)
        .await;
    let mut alice = connect(&server, &alice_channel, Some(&alice_cookie)).await;
    let mut carol = connect(&server, &alice_channel, Some(&carol_cookie)).await;
    let mut bob_chat = connect(&server, &bob_channel, None).await;
    for socket in [&mut alice, &mut carol, &mut bob_chat] {
        next_of(socket, "welcome").await;
    }
    let mut events = reqwest::get(server.url(&format!("/api/channels/{alice_channel}/events")))
        .await
        .unwrap();
    next_event(&mut events, "status").await;

    // Refused, each in words: a viewer, the streamer's own channel, an offline channel, nobody.
    assert!(refusal(&mut carol, "/raid bob")
        .await
        .contains("Only the streamer"));
    assert!(refusal(&mut alice, "/raid alice")
        .await
        .contains("your own channel"));
    assert!(refusal(&mut alice, "/raid dave").await.contains("not live"));
    assert!(refusal(&mut alice, "/raid nobody_here")
        .await
        .contains("no channel named nobody_here"));
    assert!(refusal(&mut alice, "/raid").await.contains("Usage: /raid"));

    // Bob stops accepting raids: refused; he accepts them again: the raid goes.
    let bob = Browser::new(&server);
    bob.session_cookie("bob", PASSWORD).await;
    let save = |accept: bool| {
        let mut fields = vec![("min_account_age_hours", "0"), ("slow_mode_seconds", "0")];
        if accept {
            fields.push(("accept_raids", "on"));
        }
        fields
    };
    let (status, _, body) = bob
        .post_form("/users/settings/chat", "/users/settings/chat", &save(false))
        .await;
    assert_eq!(status, 303, "{body}");
    assert!(refusal(&mut alice, "/raid bob")
        .await
        .contains("does not accept raids"));
    let (status, _, body) = bob
        .post_form("/users/settings/chat", "/users/settings/chat", &save(true))
        .await;
    assert_eq!(status, 303, "{body}");

    send(&mut alice, "/raid @Bob").await;
    let raid = next_event(&mut events, "raid").await;
    assert_eq!(raid["to_username"], "bob", "{raid}");
    assert_eq!(raid["from_display_name"], "alice", "{raid}");
    let announced = |frames: Vec<Value>| -> Vec<String> {
        frames
            .into_iter()
            .filter(|frame| frame["kind"] == "raid")
            .map(|frame| frame["text"].as_str().unwrap().to_owned())
            .collect()
    };
    let alice_frames = frames_within(&mut alice, Duration::from_secs(1)).await;
    assert!(
        alice_frames.iter().any(|frame| frame["text"]
            .as_str()
            .is_some_and(|text| text.starts_with("Raiding bob with"))),
        "the streamer is told: {alice_frames:?}"
    );
    let outgoing = announced(alice_frames);
    assert_eq!(outgoing.len(), 1, "{outgoing:?}");
    assert!(
        outgoing[0].starts_with("alice is raiding bob with"),
        "{outgoing:?}"
    );
    let incoming = announced(frames_of(&mut bob_chat, "system").await);
    assert_eq!(incoming.len(), 1, "{incoming:?}");
    assert!(
        incoming[0].starts_with("alice is raiding with"),
        "{incoming:?}"
    );

    for mut child in pushes {
        let _ = child.kill();
        let _ = child.wait();
    }
}
