//! The API's WebSockets against a real server: the Phoenix frame sequences Glimesh clients send
//! (joins and documents back to back, refs of every JSON type, heartbeats, the misspelled
//! heartbeat topic), subscription pushes reaching both API generations, and
//! graphql-transport-ws.

mod api_support;
mod support;

use api_support::{channel_id, connect, create_app, graphql, next, next_text, send, token, Auth};
use serde_json::{json, Value};
use support::Server;

const PASSWORD: &str = "correct horse battery staple";

struct World {
    server: Server,
    client_id: String,
    chat_token: String,
    channel_id: i64,
}

async fn world() -> World {
    let server = Server::start();
    server.create_user("streamer1", PASSWORD, true);
    let app = create_app(&server, "streamer1", false);
    let chat_token = token(&server, &app, "public chat").await;
    let channel_id = channel_id(&server, Auth::ClientId(&app.client_id), "streamer1").await;
    World {
        server,
        client_id: app.client_id,
        chat_token,
        channel_id,
    }
}

async fn say(world: &World, text: &str) {
    let (_, body) = graphql(
        &world.server,
        "/api/graph",
        Auth::Bearer(&world.chat_token),
        "mutation($id: ID!, $text: String) { createChatMessage(channelId: $id, message: {message: $text}) { id message } }",
        json!({"id": world.channel_id, "text": text}),
    )
    .await;
    assert_eq!(body["data"]["createChatMessage"]["message"], text, "{body}");
}

#[tokio::test]
async fn phoenix_clients_subscribe_and_receive_pushes_on_both_apis() {
    let world = world().await;
    let query = format!("vsn=2.0.0&client_id={}", world.client_id);

    // Casterlabs on the legacy socket: string refs "1" everywhere, doc sent right after the join.
    let mut legacy = connect(&world.server, "/api/socket/websocket", &query)
        .await
        .unwrap();
    send(
        &mut legacy,
        json!(["1", "1", "__absinthe__:control", "phx_join", {}]),
    )
    .await;
    let document = format!(
        "subscription{{chatMessage(channelId: {}){{id,message,user{{username,avatar}},channel{{id}}}}}}",
        world.channel_id
    );
    send(
        &mut legacy,
        json!(["1", "1", "__absinthe__:control", "doc", {"query": document, "variables": {}}]),
    )
    .await;
    assert_eq!(
        next_text(&mut legacy, 5).await.unwrap(),
        r#"["1","1","__absinthe__:control","phx_reply",{"response":{},"status":"ok"}]"#
    );
    let reply = next(&mut legacy).await;
    assert_eq!(reply[4]["status"], "ok", "{reply}");
    let legacy_id = reply[4]["response"]["subscriptionId"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(legacy_id.starts_with("__absinthe__:doc:"));

    // glimesh-rs on the current socket: UUID refs, a document with variables and snake_case
    // fields read back under the names written.
    let mut current = connect(&world.server, "/api/graph/websocket", &query)
        .await
        .unwrap();
    let join_ref = "0d6b8f2e-3c1a-4f7e-9a3b-5e2d1c0b9a87";
    send(
        &mut current,
        json!([join_ref, join_ref, "__absinthe__:control", "phx_join", {}]),
    )
    .await;
    assert_eq!(next(&mut current).await[0], join_ref);
    send(
        &mut current,
        json!([join_ref, "5b3f7c1e-2d4a-4b6c-8e9f-0a1b2c3d4e5f", "__absinthe__:control", "doc", {
            "query": "subscription ChatMessagesSubscription($id: ID!) { chatMessage(channelId: $id) { message is_followed_message user { displayname } metadata { streamer platform_founder_subscriber } } }",
            "variables": {"id": world.channel_id.to_string()}
        }]),
    )
    .await;
    let reply = next(&mut current).await;
    assert_eq!(reply[1], "5b3f7c1e-2d4a-4b6c-8e9f-0a1b2c3d4e5f");
    let current_id = reply[4]["response"]["subscriptionId"]
        .as_str()
        .unwrap()
        .to_owned();

    say(&world, "hello both APIs").await;
    let push = next(&mut legacy).await;
    assert_eq!(push[0], Value::Null);
    assert_eq!(push[1], Value::Null);
    assert_eq!(push[2], legacy_id.as_str());
    assert_eq!(push[3], "subscription:data");
    assert_eq!(push[4]["subscriptionId"], legacy_id.as_str());
    let message = &push[4]["result"]["data"]["chatMessage"];
    assert_eq!(message["message"], "hello both APIs");
    assert_eq!(message["user"]["username"], "streamer1");
    assert_eq!(message["channel"]["id"], world.channel_id.to_string());
    let push = next(&mut current).await;
    assert_eq!(push[2], current_id.as_str());
    let message = &push[4]["result"]["data"]["chatMessage"];
    assert_eq!(message["is_followed_message"], false, "{push}");
    assert_eq!(message["metadata"]["streamer"], true);
    assert_eq!(message["metadata"]["platform_founder_subscriber"], false);
    assert_eq!(message["user"]["displayname"], "streamer1");

    // Unsubscribing stops the pushes; the other socket still hears.
    send(
        &mut legacy,
        json!(["1", "1", "__absinthe__:control", "unsubscribe", {"subscriptionId": legacy_id}]),
    )
    .await;
    let reply = next(&mut legacy).await;
    assert_eq!(
        reply[4],
        json!({"response": {"subscriptionId": legacy_id}, "status": "ok"})
    );
    say(&world, "second").await;
    assert_eq!(
        next(&mut current).await[4]["result"]["data"]["chatMessage"]["message"],
        "second"
    );
    assert!(
        next_text(&mut legacy, 1).await.is_none(),
        "no push after unsubscribe"
    );
}

#[tokio::test]
async fn heartbeats_unknown_topics_queries_and_bad_credentials() {
    let world = world().await;
    let query = format!("vsn=2.0.0&client_id={}", world.client_id);
    let mut socket = connect(&world.server, "/api/socket/websocket", &query)
        .await
        .unwrap();

    // Chat-Lib compares the heartbeat reply as a string.
    send(
        &mut socket,
        json!([Value::Null, "1", "phoenix", "heartbeat", {}]),
    )
    .await;
    assert_eq!(
        next_text(&mut socket, 5).await.unwrap(),
        r#"[null,"1","phoenix","phx_reply",{"response":{},"status":"ok"}]"#
    );
    // The PHP client's misspelled topic and integer refs: an error reply, the socket stays.
    send(&mut socket, json!([1, 1, "pheonix", "heartbeat", {}])).await;
    assert_eq!(
        next_text(&mut socket, 5).await.unwrap(),
        r#"[null,1,"pheonix","phx_reply",{"response":{"reason":"unmatched topic"},"status":"error"}]"#
    );
    send(
        &mut socket,
        json!([1, 2, "__absinthe__:control", "phx_join", {}]),
    )
    .await;
    assert_eq!(next(&mut socket).await[4]["status"], "ok");

    // A query over the socket, and a document that fails validation.
    send(&mut socket, json!([1, 3, "__absinthe__:control", "doc", {"query": "query { channel(username: \"streamer1\") { id status } }"}])).await;
    let reply = next(&mut socket).await;
    assert_eq!(reply[1], 3);
    assert_eq!(reply[4]["status"], "ok");
    assert_eq!(reply[4]["response"]["data"]["channel"]["status"], "OFFLINE");
    send(
        &mut socket,
        json!([1, 4, "__absinthe__:control", "doc", {"query": "query { nope }"}]),
    )
    .await;
    let reply = next(&mut socket).await;
    assert_eq!(reply[4]["status"], "error");
    assert!(reply[4]["response"]["errors"][0]["message"].is_string());
    // A client id cannot send chat: the mutation answers "unauthorized".
    send(&mut socket, json!([1, 5, "__absinthe__:control", "doc", {"query": format!("mutation {{ createChatMessage(channelId: {}, message: {{ message: \"x\" }}) {{ message }} }}", world.channel_id)}])).await;
    let reply = next(&mut socket).await;
    assert_eq!(reply[4]["response"]["errors"][0]["message"], "unauthorized");
    // Malformed frames are ignored; the socket keeps working.
    use futures::SinkExt;
    socket
        .send(tokio_tungstenite::tungstenite::Message::Text(
            "not json".into(),
        ))
        .await
        .unwrap();
    send(
        &mut socket,
        json!([Value::Null, "9", "phoenix", "heartbeat", {}]),
    )
    .await;
    assert_eq!(next(&mut socket).await[1], "9");

    // Invalid credentials fail the upgrade with 403, as clients expect.
    for bad in [
        "vsn=2.0.0&token=nope",
        "vsn=2.0.0&client_id=nope",
        "vsn=2.0.0",
    ] {
        assert_eq!(
            connect(&world.server, "/api/graph/websocket", bad)
                .await
                .err(),
            Some(403),
            "{bad}"
        );
    }
    let token_query = format!("vsn=2.0.0&token={}", world.chat_token);
    let mut with_token = connect(&world.server, "/api/graph/websocket", &token_query)
        .await
        .unwrap();
    send(
        &mut with_token,
        json!(["1", "1", "__absinthe__:control", "phx_join", {}]),
    )
    .await;
    send(
        &mut with_token,
        json!(["1", "2", "__absinthe__:control", "doc", {"query": "{ myself { username } }"}]),
    )
    .await;
    next(&mut with_token).await;
    assert_eq!(
        next(&mut with_token).await[4]["response"]["data"]["myself"]["username"],
        "streamer1"
    );
}

#[tokio::test]
async fn channel_and_moderation_subscriptions_follow_the_bus() {
    let world = world().await;
    let query = format!("vsn=2.0.0&client_id={}", world.client_id);
    let mut socket = connect(&world.server, "/api/graph/websocket", &query)
        .await
        .unwrap();
    send(
        &mut socket,
        json!(["1", "1", "__absinthe__:control", "phx_join", {}]),
    )
    .await;
    next(&mut socket).await;
    send(&mut socket, json!(["1", "2", "__absinthe__:control", "doc", {"query": format!("subscription {{ channel(ID: {}) {{ title id }} }}", world.channel_id)}])).await;
    let channel_sub = next(&mut socket).await[4]["response"]["subscriptionId"]
        .as_str()
        .unwrap()
        .to_owned();
    send(&mut socket, json!(["1", "3", "__absinthe__:control", "doc", {"query": "subscription { chatMessagesDeleted { messageIds user { username } } }"}])).await;
    let deleted_sub = next(&mut socket).await[4]["response"]["subscriptionId"]
        .as_str()
        .unwrap()
        .to_owned();

    let (_, body) = graphql(
        &world.server,
        "/api/graph",
        Auth::Bearer(&world.chat_token),
        "mutation($id: ID!) { createChatMessage(channelId: $id, message: {message: \"oops\"}) { id } }",
        json!({"id": world.channel_id}),
    )
    .await;
    let message_id = body["data"]["createChatMessage"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (_, body) = graphql(
        &world.server,
        "/api/graph",
        Auth::Bearer(&world.chat_token),
        "mutation($c: ID!, $m: ID!) { deleteChatMessage(channelId: $c, messageId: $m) { action moderator { username } } }",
        json!({"c": world.channel_id, "m": message_id}),
    )
    .await;
    assert_eq!(
        body["data"]["deleteChatMessage"]["action"], "delete_message",
        "{body}"
    );
    let push = next(&mut socket).await;
    assert_eq!(push[2], deleted_sub.as_str());
    assert_eq!(
        push[4]["result"]["data"]["chatMessagesDeleted"]["messageIds"],
        json!([message_id])
    );

    // A stream starting (through the ingest credential) is a channel push.
    let ingest = create_app(&world.server, "streamer1", true);
    let ingest_token = token(&world.server, &ingest, "").await;
    let (_, body) = graphql(
        &world.server,
        "/api/graph",
        Auth::Bearer(&ingest_token),
        "mutation($c: ID!) { startStream(channelId: $c) { id } }",
        json!({"c": world.channel_id}),
    )
    .await;
    assert!(body["data"]["startStream"]["id"].is_string(), "{body}");
    let push = next(&mut socket).await;
    assert_eq!(push[2], channel_sub.as_str());
    assert_eq!(
        push[4]["result"]["data"]["channel"]["id"],
        world.channel_id.to_string()
    );
}

#[tokio::test]
async fn graphql_transport_ws_clients_subscribe_too() {
    let world = world().await;
    let url = format!(
        "{}/api/graph/websocket",
        world.server.base_url.replace("http://", "ws://")
    );
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    let mut request = url.into_client_request().unwrap();
    request.headers_mut().insert(
        "sec-websocket-protocol",
        "graphql-transport-ws".parse().unwrap(),
    );
    let (mut socket, response) = tokio_tungstenite::connect_async(request).await.unwrap();
    assert_eq!(
        response.headers()["sec-websocket-protocol"],
        "graphql-transport-ws"
    );
    send(&mut socket, json!({"type": "connection_init", "payload": {"authorization": format!("Bearer {}", world.chat_token)}})).await;
    assert_eq!(next(&mut socket).await, json!({"type": "connection_ack"}));
    send(&mut socket, json!({"type": "ping"})).await;
    assert_eq!(next(&mut socket).await, json!({"type": "pong"}));
    send(
        &mut socket,
        json!({"id": "q1", "type": "subscribe", "payload": {"query": "{ myself { username } }"}}),
    )
    .await;
    let result = next(&mut socket).await;
    assert_eq!(
        result["payload"]["data"]["myself"]["username"], "streamer1",
        "{result}"
    );
    assert_eq!(
        next(&mut socket).await,
        json!({"id": "q1", "type": "complete"})
    );
    send(&mut socket, json!({"id": "s1", "type": "subscribe", "payload": {"query": "subscription($c: ID) { chatMessage(channelId: $c) { message } }", "variables": {"c": world.channel_id}}})).await;
    // The subscription is open once a published message arrives.
    let mut received = None;
    for attempt in 0..10 {
        say(&world, &format!("modern {attempt}")).await;
        if let Some(text) = next_text(&mut socket, 1).await {
            received = Some(serde_json::from_str::<Value>(&text).unwrap());
            break;
        }
    }
    let received = received.expect("a next message");
    assert_eq!(received["id"], "s1");
    assert!(received["payload"]["data"]["chatMessage"]["message"]
        .as_str()
        .unwrap()
        .starts_with("modern"));
}

#[tokio::test]
async fn silent_sockets_close_and_subscriptions_are_capped() {
    let temp = tempfile::tempdir().unwrap();
    let server = Server::start_in(
        temp.path(),
        &[
            ("SHIMMER_API__SOCKET_IDLE_TIMEOUT_SECS", "1"),
            ("SHIMMER_API__MAX_SUBSCRIPTIONS_PER_SOCKET", "1"),
        ],
    );
    server.create_user("streamer1", PASSWORD, true);
    let app = create_app(&server, "streamer1", false);
    let query = format!("vsn=2.0.0&client_id={}", app.client_id);
    let mut socket = connect(&server, "/api/socket/websocket", &query)
        .await
        .unwrap();
    send(
        &mut socket,
        json!(["1", "1", "__absinthe__:control", "phx_join", {}]),
    )
    .await;
    next(&mut socket).await;
    let subscription = json!(["1", "2", "__absinthe__:control", "doc", {"query": "subscription { chatMessage { message } }"}]);
    send(&mut socket, subscription.clone()).await;
    assert_eq!(next(&mut socket).await[4]["status"], "ok");
    send(&mut socket, subscription).await;
    let refused = next(&mut socket).await;
    assert_eq!(refused[4]["status"], "error");
    assert!(refused[4]["response"]["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("1 subscriptions"));
    // Frames keep a socket open; silence closes it.
    for _ in 0..3 {
        tokio::time::sleep(std::time::Duration::from_millis(600)).await;
        send(
            &mut socket,
            json!([Value::Null, "3", "phoenix", "heartbeat", {}]),
        )
        .await;
        next(&mut socket).await;
    }
    let started = std::time::Instant::now();
    assert!(next_text(&mut socket, 5).await.is_none());
    assert!(
        started.elapsed() < std::time::Duration::from_secs(4),
        "a silent socket is closed by the server, not left to the client's timeout"
    );
}
