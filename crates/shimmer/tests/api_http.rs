//! The GraphQL API over HTTP against a real server, replaying the exact requests of the Glimesh
//! clients in the wire reference and asserting what each of them parses.

mod api_support;
mod support;

use api_support::{create_app, graphql, token, Auth};
use serde_json::{json, Value};
use support::Server;

const PASSWORD: &str = "correct horse battery staple";

struct World {
    server: Server,
    client_id: String,
    token: String,
}

async fn world() -> World {
    let server = Server::start();
    server.create_user("streamer1", PASSWORD, true);
    let app = create_app(&server, "streamer1", false);
    let token = token(&server, &app, "public email chat").await;
    World {
        server,
        client_id: app.client_id,
        token,
    }
}

/// Sends a request shaped by `build`, returning the status and the body as JSON.
async fn raw(
    world: &World,
    build: impl FnOnce(&reqwest::Client) -> reqwest::RequestBuilder,
) -> (u16, Value) {
    let response = build(&reqwest::Client::new()).send().await.unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    let _ = world;
    (
        status,
        serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON: {text}")),
    )
}

fn naive_datetime(value: &Value) -> bool {
    let text = value.as_str().unwrap_or_default();
    text.len() == 19 && text.as_bytes()[10] == b'T' && !text.ends_with('Z')
}

#[tokio::test]
async fn every_transport_variant_clients_send_is_understood() {
    let world = world().await;
    let server = &world.server;
    let client_auth = format!("Client-ID {}", world.client_id);

    // glimesh-rs (graphql_client): JSON with `variables: null` and an operation name.
    let (status, body) = raw(&world, |c| {
        c.post(server.url("/api/graph"))
            .header("authorization", &client_auth)
            .json(&json!({
                "query": "query UserDetailsQuery($username: String!) { user(username: $username) { id displayname } }",
                "variables": {"username": "streamer1"},
                "operationName": "UserDetailsQuery"
            }))
    })
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["user"]["displayname"], "streamer1");
    assert!(body["data"]["user"]["id"].is_string());
    let (_, body) = raw(&world, |c| {
        c.post(server.url("/api/graph"))
            .header("authorization", &client_auth)
            .json(&json!({"query": "query { channel(streamerUsername: \"streamer1\") { id status } }", "variables": null, "operationName": null}))
    })
    .await;
    assert_eq!(body["data"]["channel"]["status"], "OFFLINE");

    // CactusDev: JSON without `variables`, legacy `channel(username:)`.
    let (_, body) = raw(&world, |c| {
        c.post(server.url("/api"))
            .header("authorization", &client_auth)
            .json(&json!({"query": "query { channel(username: \"streamer1\") { id } }"}))
    })
    .await;
    let channel_id: i64 = body["data"]["channel"]["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();

    // glimesh4j: raw GraphQL with `application/text`, legacy fields it needs non-null.
    let (_, body) = raw(&world, |c| {
        c.post(server.url("/api"))
            .header("authorization", &client_auth)
            .header("content-type", "application/text; charset=utf-8")
            .body("query {channel(username: \"streamer1\") {chatRulesMd,chatRulesHtml,id,inaccessible,insertedAt,language,status,thumbnail,title,updatedAt,stream{avgViewers,countViewers,id},streamer{avatar,avatarUrl,confirmedAt,displayname,id,profileContentMd,socials{username,id},username,youtubeIntroUrl}}}")
    })
    .await;
    let channel = &body["data"]["channel"];
    assert_eq!(channel["inaccessible"], false, "{body}");
    assert!(naive_datetime(&channel["insertedAt"]));
    assert!(naive_datetime(&channel["streamer"]["confirmedAt"]));
    assert!(channel["streamer"]["avatar"]
        .as_str()
        .unwrap()
        .starts_with('/'));
    assert_eq!(channel["streamer"]["socials"], json!([]));

    // Godot: raw GraphQL, no content type, to /api/graph; Absinthe spelling `avatarURL`.
    let (_, body) = raw(&world, |c| {
        c.post(server.url("/api/graph"))
            .header("authorization", &client_auth)
            .body("query {  channel(streamerUsername: \"streamer1\") {    id streamer { avatarURL } }}")
    })
    .await;
    assert!(body["data"]["channel"]["streamer"]["avatarURL"]
        .as_str()
        .unwrap()
        .starts_with("http"));

    // PHP GlimeshClient: GET /api with a raw body and lower-case `client-id`.
    let (_, body) = raw(&world, |c| {
        c.get(server.url("/api"))
            .header("authorization", format!("client-id {}", world.client_id))
            .body("query {\nchannels(status: LIVE) {\nid\nstatus\n}\n}")
    })
    .await;
    assert_eq!(body, json!({"data": {"channels": []}}));

    // passport-glimesh: POST //api with a lower-case bearer token.
    let (_, body) = raw(&world, |c| {
        c.post(format!("{}//api", server.base_url))
            .header("authorization", format!("bearer {}", world.token))
            .json(&json!({"query": "{ myself { username, avatar, id, displayname } }"}))
    })
    .await;
    assert_eq!(body["data"]["myself"]["username"], "streamer1", "{body}");

    // The document in the `query` parameter, variables as a JSON string.
    let (_, body) = raw(&world, |c| {
        c.post(server.url("/api/graph"))
            .header("authorization", &client_auth)
            .query(&[
                ("query", "query($id: ID) { channel(id: $id) { id } }"),
                ("variables", &format!("{{\"id\": {channel_id}}}")),
            ])
    })
    .await;
    assert_eq!(body["data"]["channel"]["id"], channel_id.to_string());

    // StreamingClientLibrary: `channel(ID: N)` and a string id literal.
    let (_, body) = graphql(
        server,
        "/api/graph",
        Auth::ClientId(&world.client_id),
        &format!(
            "{{ a: channel(ID: {channel_id}) {{ id }} b: channel(id: \"{channel_id}\") {{ id }} }}"
        ),
        Value::Null,
    )
    .await;
    assert_eq!(body["data"]["a"]["id"], body["data"]["b"]["id"]);
}

#[tokio::test]
async fn errors_are_graphql_errors_with_locations_and_the_right_status() {
    let world = world().await;
    let server = &world.server;

    let (status, body) = graphql(
        server,
        "/api/graph",
        Auth::None,
        "{ myself { id } }",
        Value::Null,
    )
    .await;
    assert_eq!(
        (status, body),
        (
            401,
            json!({"errors": [{"message": "You must be logged in to access the api"}]})
        )
    );
    let (status, body) = graphql(
        server,
        "/api/graph",
        Auth::Bearer("nope"),
        "{ myself { id } }",
        Value::Null,
    )
    .await;
    assert_eq!(status, 401);
    assert_eq!(body["errors"][0]["header_error"], "invalid_access_token");

    let client = Auth::ClientId(&world.client_id);
    let (status, body) = graphql(server, "/api/graph", client, "", Value::Null).await;
    assert_eq!(
        (status, body["errors"][0]["message"].clone()),
        (400, json!("No query document supplied"))
    );

    let (status, body) = graphql(
        server,
        "/api/graph",
        client,
        "{ channel(id: 1) { nope } }",
        Value::Null,
    )
    .await;
    assert_eq!(status, 200);
    assert!(body.get("data").is_none());
    assert_eq!(body["errors"][0]["locations"][0]["line"], 1);
    assert!(
        body["errors"][0]["locations"][0]["column"]
            .as_i64()
            .unwrap()
            > 0
    );

    let (status, body) = graphql(
        server,
        "/api/graph",
        client,
        "{ channel(id: 1 { id }",
        Value::Null,
    )
    .await;
    assert_eq!(status, 200);
    assert!(body["errors"][0]["locations"].is_array(), "{body}");

    let (status, body) = graphql(
        server,
        "/api/graph",
        client,
        "query($id: ID) { channel(id: $id) { id } }",
        json!({"id": {"no": 1}}),
    )
    .await;
    assert_eq!(status, 200);
    assert!(body["errors"].is_array(), "{body}");

    // Lookups of nothing are null without errors; lookups without arguments explain.
    let (_, body) = graphql(server, "/api/graph", client, "{ channel(streamerUsername: \"ghost\") { id } user(id: 999) { id } category(slug: \"nope\") { id } }", Value::Null).await;
    assert_eq!(
        body,
        json!({"data": {"channel": null, "user": null, "category": null}})
    );
    let (_, body) = graphql(
        server,
        "/api/graph",
        client,
        "{ channel { id } }",
        Value::Null,
    )
    .await;
    assert_eq!(body["data"]["channel"], Value::Null);
    assert!(body["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("streamerUsername"));
    assert_eq!(body["errors"][0]["path"], json!(["channel"]));

    // A client id cannot act: the mutation is null with "unauthorized".
    let (_, body) = graphql(
        server,
        "/api/graph",
        client,
        "mutation { createChatMessage(channelId: 1, message: {message: \"hi\"}) { id } }",
        Value::Null,
    )
    .await;
    assert_eq!(body["data"]["createChatMessage"], Value::Null);
    assert_eq!(body["errors"][0]["message"], "unauthorized");

    // Mutations cannot use GET.
    let response = reqwest::Client::new()
        .get(server.url("/api/graph"))
        .header("authorization", format!("Client-ID {}", world.client_id))
        .query(&[("query", "mutation { unfollow(streamerId: 1) { id } }")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 405);

    // Deep and huge documents are refused before they run.
    let deep = format!(
        "{{ channel(id: 1) {{ {} id {} }} }}",
        "streamer { channel { ".repeat(12),
        "} } ".repeat(12)
    );
    let (status, body) = graphql(server, "/api/graph", client, &deep, Value::Null).await;
    assert_eq!(status, 200);
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains("nested"),
        "{body}"
    );
    let wide = format!(
        "{{ {} }}",
        (0..600)
            .map(|i| format!("a{i}: categories {{ id }}"))
            .collect::<Vec<_>>()
            .join(" ")
    );
    let (_, body) = graphql(server, "/api/graph", client, &wide, Value::Null).await;
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains("complex"),
        "{body}"
    );
    let huge = format!("{{ categories {{ id }} }} #{}", "x".repeat(70_000));
    let (status, _) = graphql(server, "/api/graph", client, &huge, Value::Null).await;
    assert_eq!(status, 413);
}

#[tokio::test]
async fn connections_page_and_count_and_legacy_lists_are_plain() {
    let world = world().await;
    let server = &world.server;
    for n in 2..=4 {
        server.create_user(&format!("viewer{n}"), PASSWORD, false);
    }
    let client = Auth::ClientId(&world.client_id);
    let (_, body) = graphql(server, "/api/graph", client, "{ users(first: 2) { count totalCount edges { cursor node { username } } pageInfo { hasNextPage hasPreviousPage endCursor } } }", Value::Null).await;
    let users = &body["data"]["users"];
    assert_eq!(
        (users["count"].as_i64(), users["totalCount"].as_i64()),
        (Some(2), Some(4)),
        "{body}"
    );
    assert_eq!(users["pageInfo"]["hasNextPage"], true);
    let after = users["pageInfo"]["endCursor"].as_str().unwrap().to_owned();
    let (_, body) = graphql(server, "/api/graph", client, "query($after: String) { users(first: 1000000, after: $after) { count edges { node { username } } pageInfo { hasNextPage hasPreviousPage } } }", json!({"after": after})).await;
    let users = &body["data"]["users"];
    assert_eq!(users["count"], 2, "{body}");
    assert_eq!(users["pageInfo"]["hasNextPage"], false);
    assert_eq!(users["pageInfo"]["hasPreviousPage"], true);
    let (_, body) = graphql(server, "/api/graph", client, "{ users(last: 1) { edges { node { username } } } homepageChannels { count } channels(status: OFFLINE) { totalCount } }", Value::Null).await;
    assert_eq!(
        body["data"]["users"]["edges"][0]["node"]["username"],
        "viewer4"
    );
    assert_eq!(body["data"]["homepageChannels"]["count"], 0);
    assert_eq!(body["data"]["channels"]["totalCount"], 4);
    let (_, body) = graphql(
        server,
        "/api/graph",
        client,
        "{ users(first: -1) { count } }",
        Value::Null,
    )
    .await;
    assert!(body["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("negative"));

    let (_, body) = graphql(server, "/api", client, "{ users { username } channels { id } subscriptions(streamerUsername: \"streamer1\") { id } categories { slug } }", Value::Null).await;
    assert_eq!(body["data"]["users"].as_array().unwrap().len(), 4, "{body}");
    assert_eq!(body["data"]["subscriptions"], json!([]));
    assert_eq!(body["data"]["categories"].as_array().unwrap().len(), 6);
    // The legacy schema keeps its own argument names.
    let (_, body) = graphql(
        server,
        "/api",
        client,
        "{ channel(streamerUsername: \"streamer1\") { id } }",
        Value::Null,
    )
    .await;
    assert!(body["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("streamerUsername"));
}

#[tokio::test]
async fn rate_limits_are_per_credential_with_a_clear_429() {
    let temp = tempfile::tempdir().unwrap();
    let server = Server::start_in(
        temp.path(),
        &[
            ("SHIMMER_API__REQUESTS_PER_SECOND", "1"),
            ("SHIMMER_API__BURST", "3"),
        ],
    );
    server.create_user("streamer1", PASSWORD, true);
    let first = create_app(&server, "streamer1", false);
    let second = create_app(&server, "streamer1", false);
    let query = "{ categories { id } }";
    for _ in 0..3 {
        let (status, _) = graphql(
            &server,
            "/api/graph",
            Auth::ClientId(&first.client_id),
            query,
            Value::Null,
        )
        .await;
        assert_eq!(status, 200);
    }
    let response = reqwest::Client::new()
        .post(server.url("/api/graph"))
        .header("authorization", format!("Client-ID {}", first.client_id))
        .body(query)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 429);
    assert!(response.headers().get("retry-after").is_some());
    let body: Value = response.json().await.unwrap();
    assert!(body["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("Too many requests"));
    let (status, _) = graphql(
        &server,
        "/api/graph",
        Auth::ClientId(&second.client_id),
        query,
        Value::Null,
    )
    .await;
    assert_eq!(status, 200, "another client id has its own allowance");

    let metrics = server.metrics().await;
    assert!(metrics.contains("api_operations_total"), "{metrics}");
    assert!(metrics.contains("operation=\"categories\""));
    assert!(metrics.contains("api_operation_duration_seconds"));
}

/// Uploads a 300×300 PNG as `username`'s avatar through the profile settings form.
async fn upload_avatar(server: &Server, username: &str) {
    let browser = support::Browser::new(server);
    assert_eq!(browser.login(username, PASSWORD).await, 303);
    let image = image::RgbImage::from_pixel(300, 300, image::Rgb([20, 160, 90]));
    let mut png = std::io::Cursor::new(Vec::new());
    image.write_to(&mut png, image::ImageFormat::Png).unwrap();
    let token = browser.csrf("/users/settings/profile").await;
    let form = reqwest::multipart::Form::new().part(
        "avatar",
        reqwest::multipart::Part::bytes(png.into_inner()).file_name("me.png"),
    );
    let response = browser
        .client
        .post(server.url(&format!("/users/settings/avatar?_csrf={token}")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 303);
}

#[tokio::test]
async fn avatars_are_real_urls_once_uploaded_and_the_placeholder_before() {
    let world = world().await;
    let server = &world.server;
    let viewer_id = server.create_user("plainviewer", PASSWORD, true);
    let auth = Auth::ClientId(&world.client_id);
    let query = "{ user(username: \"streamer1\") { id avatar avatarUrl } }";

    let (_, body) = graphql(server, "/api", auth, query, Value::Null).await;
    assert_eq!(
        body["data"]["user"]["avatar"], "/static/favicon.svg",
        "{body}"
    );
    let url = body["data"]["user"]["avatarUrl"].as_str().unwrap();
    assert!(
        url.starts_with("http") && url.ends_with("/static/favicon.svg"),
        "{url}"
    );

    upload_avatar(server, "streamer1").await;
    let user_id = body["data"]["user"]["id"].as_str().unwrap().to_owned();
    let path = format!("/avatars/{user_id}/256.png?v=1");
    for endpoint in ["/api", "/api/graph"] {
        let (_, body) = graphql(server, endpoint, auth, query, Value::Null).await;
        assert_eq!(body["data"]["user"]["avatar"], path, "{endpoint}: {body}");
        let url = body["data"]["user"]["avatarUrl"].as_str().unwrap();
        assert!(url.starts_with("http") && url.ends_with(&path), "{url}");
    }
    let served = reqwest::get(server.url(&path)).await.unwrap();
    assert_eq!(served.status(), 200);
    let bytes = served.bytes().await.unwrap();
    let decoded = image::load_from_memory(&bytes).unwrap();
    assert_eq!((decoded.width(), decoded.height()), (256, 256));

    // Someone without an avatar still gets the placeholder.
    let query = format!("{{ user(id: {viewer_id}) {{ avatar }} }}");
    let (_, body) = graphql(server, "/api/graph", auth, &query, Value::Null).await;
    assert_eq!(
        body["data"]["user"]["avatar"], "/static/favicon.svg",
        "{body}"
    );
}

/// A counter's value on the metrics listener's `/metrics`; 0 before it was first counted.
async fn counter(server: &Server, name: &str) -> u64 {
    let metrics = server.metrics().await;
    metrics
        .lines()
        .find_map(|line| line.strip_prefix(name)?.strip_prefix(' '))
        .map_or(0, |value| value.trim().parse().unwrap())
}

/// How many avatar queries and how many users' avatars a request cost.
async fn avatar_reads(
    server: &Server,
    request: impl std::future::Future<Output = Value>,
) -> (Value, u64, u64) {
    let batches = counter(server, "api_avatar_batches_total").await;
    let keys = counter(server, "api_avatar_keys_total").await;
    let body = request.await;
    (
        body,
        counter(server, "api_avatar_batches_total").await - batches,
        counter(server, "api_avatar_keys_total").await - keys,
    )
}

#[tokio::test]
async fn a_chat_history_and_a_followers_list_read_every_avatar_in_one_query() {
    let world = world().await;
    let server = &world.server;
    let auth = Auth::ClientId(&world.client_id);
    let (_, body) = graphql(
        server,
        "/api/graph",
        auth,
        "{ channel(streamerUsername: \"streamer1\") { id streamer { id } } }",
        Value::Null,
    )
    .await;
    let channel_id: i64 = body["data"]["channel"]["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let streamer_id: i64 = body["data"]["channel"]["streamer"]["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();

    // Fifty viewers, every third with an uploaded avatar, each following the streamer and
    // writing one chat line. Written straight to the database: the CLI and the chat would
    // take minutes for this many accounts.
    let mut expected = std::collections::HashMap::new();
    {
        use sqlx::Executor;
        let mut db = server.database().await;
        for n in 0..50 {
            let name = format!("chatter{n}");
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO users (username, username_lower, display_name, email, email_lower, \
                 password_hash, email_confirmed_at, is_admin, created_at, updated_at) \
                 VALUES ($1, $1, $1, $2, $2, 'x', 1, 0, 1, 1) RETURNING id",
            )
            .bind(&name)
            .bind(format!("{name}@example.com"))
            .fetch_one(&mut db)
            .await
            .unwrap();
            let avatar = if n % 3 == 0 {
                let version = n + 1;
                sqlx::query(
                    "INSERT INTO profiles (user_id, avatar_version, updated_at) VALUES ($1, $2, 1)",
                )
                .bind(id)
                .bind(version)
                .execute(&mut db)
                .await
                .unwrap();
                format!("/avatars/{id}/256.png?v={version}")
            } else {
                "/static/favicon.svg".to_owned()
            };
            expected.insert(id.to_string(), avatar);
            db.execute(
                sqlx::query(
                    "INSERT INTO follows (follower_id, streamer_id, created_at) VALUES ($1, $2, $3)",
                )
                .bind(id)
                .bind(streamer_id)
                .bind(1000 + n),
            )
            .await
            .unwrap();
            db.execute(
                sqlx::query(
                    "INSERT INTO chat_messages (channel_id, user_id, badges, body, tokens, \
                     created_at) VALUES ($1, $2, '', 'hi', '[{\"type\":\"text\",\"text\":\"hi\"}]', $3)",
                )
                .bind(channel_id)
                .bind(id)
                .bind(1000 + n),
            )
            .await
            .unwrap();
        }
    }
    let check = |users: Vec<&Value>, body: &Value| {
        assert_eq!(users.len(), 50, "{body}");
        for user in users {
            let id = user["id"].as_str().unwrap();
            assert_eq!(
                user["avatar"].as_str(),
                Some(expected[id].as_str()),
                "{user}"
            );
            let url = user["avatarUrl"].as_str().unwrap();
            assert!(
                url.starts_with("http") && url.ends_with(&expected[id]),
                "{url}"
            );
        }
    };

    let history = "{ channel(streamerUsername: \"streamer1\") { chatMessages(first: 50) { edges { node { user { id avatar avatarUrl } } } } } }";
    let (body, batches, keys) = avatar_reads(server, async {
        graphql(server, "/api/graph", auth, history, Value::Null)
            .await
            .1
    })
    .await;
    let edges = body["data"]["channel"]["chatMessages"]["edges"]
        .as_array()
        .unwrap();
    check(
        edges.iter().map(|edge| &edge["node"]["user"]).collect(),
        &body,
    );
    assert_eq!(
        (batches, keys),
        (1, 50),
        "one avatar query for the whole history"
    );

    let legacy =
        "{ channel(username: \"streamer1\") { chatMessages { user { id avatar avatarUrl } } } }";
    let (body, batches, keys) = avatar_reads(server, async {
        graphql(server, "/api", auth, legacy, Value::Null).await.1
    })
    .await;
    let messages = body["data"]["channel"]["chatMessages"].as_array().unwrap();
    check(
        messages.iter().map(|message| &message["user"]).collect(),
        &body,
    );
    assert_eq!((batches, keys), (1, 50), "legacy: {body}");

    let followers = format!("{{ followers(streamerId: {streamer_id}, first: 50) {{ edges {{ node {{ user {{ id avatar avatarUrl }} }} }} }} }}");
    let (body, batches, keys) = avatar_reads(server, async {
        graphql(server, "/api/graph", auth, &followers, Value::Null)
            .await
            .1
    })
    .await;
    let edges = body["data"]["followers"]["edges"].as_array().unwrap();
    check(
        edges.iter().map(|edge| &edge["node"]["user"]).collect(),
        &body,
    );
    assert_eq!((batches, keys), (1, 50), "followers: {body}");

    // The fields of one object resolve in order, so the streamer's avatar (the same on every
    // row) is a batch of its own, of one user, before the followers' batch.
    let both = format!("{{ followers(streamerId: {streamer_id}, first: 50) {{ edges {{ node {{ streamer {{ avatar }} user {{ avatar }} }} }} }} }}");
    let (body, batches, keys) = avatar_reads(server, async {
        graphql(server, "/api/graph", auth, &both, Value::Null)
            .await
            .1
    })
    .await;
    let edges = body["data"]["followers"]["edges"].as_array().unwrap();
    assert!(
        edges
            .iter()
            .all(|edge| edge["node"]["streamer"]["avatar"] == "/static/favicon.svg"),
        "{body}"
    );
    assert_eq!((batches, keys), (2, 51), "streamer and followers: {body}");
}

#[tokio::test]
async fn a_channels_streams_and_their_metadata_are_paged() {
    let world = world().await;
    let server = &world.server;
    let ingest_app = create_app(server, "streamer1", true);
    let ingest = token(server, &ingest_app, "").await;
    let auth = Auth::ClientId(&world.client_id);
    let (_, body) = graphql(
        server,
        "/api/graph",
        auth,
        "{ channel(streamerUsername: \"streamer1\") { id streams(first: 5) { count edges { node { id } } } } }",
        Value::Null,
    )
    .await;
    let channel_id = body["data"]["channel"]["id"].as_str().unwrap().to_owned();
    assert_eq!(
        body["data"]["channel"]["streams"]["edges"],
        json!([]),
        "{body}"
    );

    let mut started = Vec::new();
    for _ in 0..3 {
        let (_, body) = graphql(
            server,
            "/api/graph",
            Auth::Bearer(&ingest),
            "mutation($c: ID!) { startStream(channelId: $c) { id } }",
            json!({"c": channel_id}),
        )
        .await;
        let stream_id = body["data"]["startStream"]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        for bitrate in [2_500_000, 2_600_000] {
            let (_, body) = graphql(
                server,
                "/api/graph",
                Auth::Bearer(&ingest),
                "mutation($s: ID!, $b: Int) { logStreamMetadata(streamId: $s, metadata: {vendorName: \"OBS\", videoCodec: \"h264\", sourceBitrate: $b}) { id } }",
                json!({"s": stream_id, "b": bitrate}),
            )
            .await;
            assert!(body["errors"].is_null(), "{body}");
        }
        let (_, body) = graphql(
            server,
            "/api/graph",
            Auth::Bearer(&ingest),
            "mutation($s: ID!) { endStream(streamId: $s) { id } }",
            json!({"s": stream_id}),
        )
        .await;
        assert!(body["errors"].is_null(), "{body}");
        started.push(stream_id);
    }
    started.reverse();

    let page = "query($after: String) { channel(streamerUsername: \"streamer1\") { streams(first: 2, after: $after) { count pageInfo { hasNextPage endCursor } edges { node { id endedAt } } } } }";
    let (_, body) = graphql(server, "/api/graph", auth, page, Value::Null).await;
    let streams = &body["data"]["channel"]["streams"];
    let ids: Vec<&str> = streams["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|edge| edge["node"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [started[0].as_str(), started[1].as_str()], "{body}");
    assert_eq!(streams["pageInfo"]["hasNextPage"], true);
    assert!(naive_datetime(&streams["edges"][0]["node"]["endedAt"]));
    let cursor = streams["pageInfo"]["endCursor"].clone();
    let (_, body) = graphql(server, "/api/graph", auth, page, json!({"after": cursor})).await;
    let streams = &body["data"]["channel"]["streams"];
    assert_eq!(
        streams["edges"][0]["node"]["id"],
        started[2].as_str(),
        "{body}"
    );
    assert_eq!(streams["pageInfo"]["hasNextPage"], false);

    // A stream's metadata snapshots, oldest first, each pointing back at its stream.
    let query = "query($after: String) { channel(streamerUsername: \"streamer1\") { streams(first: 1) { edges { node { id metadata(first: 1, after: $after) { count pageInfo { hasNextPage endCursor } edges { node { id vendorName videoCodec sourceBitrate insertedAt stream { id } } } } } } } } }";
    let (_, body) = graphql(server, "/api/graph", auth, query, Value::Null).await;
    let metadata = &body["data"]["channel"]["streams"]["edges"][0]["node"]["metadata"];
    let first = &metadata["edges"][0]["node"];
    assert_eq!(first["vendorName"], "OBS", "{body}");
    assert_eq!(first["videoCodec"], "h264");
    assert_eq!(first["sourceBitrate"], 2_500_000);
    assert_eq!(first["stream"]["id"], started[0].as_str());
    assert!(naive_datetime(&first["insertedAt"]));
    assert_eq!(metadata["pageInfo"]["hasNextPage"], true);
    let cursor = metadata["pageInfo"]["endCursor"].clone();
    let (_, body) = graphql(server, "/api/graph", auth, query, json!({"after": cursor})).await;
    let metadata = &body["data"]["channel"]["streams"]["edges"][0]["node"]["metadata"];
    assert_eq!(
        metadata["edges"][0]["node"]["sourceBitrate"], 2_600_000,
        "{body}"
    );
    assert_eq!(metadata["pageInfo"]["hasNextPage"], false);

    // The legacy API gives plain lists.
    let (_, body) = graphql(
        server,
        "/api",
        auth,
        "{ channel(username: \"streamer1\") { streams { metadata { sourceBitrate } } } }",
        Value::Null,
    )
    .await;
    assert_eq!(
        body["data"]["channel"]["streams"][0]["metadata"],
        json!([{"sourceBitrate": 2_500_000}, {"sourceBitrate": 2_600_000}]),
        "{body}"
    );

    let (_, body) = graphql(
        server,
        "/api",
        auth,
        "{ channel(username: \"streamer1\") { streams { id } } }",
        Value::Null,
    )
    .await;
    assert_eq!(
        body["data"]["channel"]["streams"],
        json!(started
            .iter()
            .map(|id| json!({"id": id}))
            .collect::<Vec<_>>()),
        "{body}"
    );
}

#[tokio::test]
async fn watch_channel_routes_to_this_servers_whep_endpoint() {
    let world = world().await;
    let server = &world.server;
    let auth = Auth::Bearer(&world.token);
    let (_, body) = graphql(
        server,
        "/api/graph",
        auth,
        "{ channel(streamerUsername: \"streamer1\") { id } }",
        Value::Null,
    )
    .await;
    let channel_id = body["data"]["channel"]["id"].as_str().unwrap().to_owned();
    let watch = "mutation($c: ID!, $country: String!) { watchChannel(channelId: $c, country: $country) { id hostname url available priority countryCodes insertedAt } }";

    let (status, body) = graphql(
        server,
        "/api/graph",
        auth,
        watch,
        json!({"c": channel_id, "country": "US"}),
    )
    .await;
    assert_eq!(status, 200);
    let route = &body["data"]["watchChannel"];
    let url = route["url"].as_str().unwrap_or_else(|| panic!("{body}"));
    assert!(url.ends_with(&format!("/api/whep/{channel_id}")), "{url}");
    assert!(url.contains(route["hostname"].as_str().unwrap()));
    assert!(route["id"].is_null());
    assert_eq!(route["available"], 1);
    assert!(naive_datetime(&route["insertedAt"]));
    // The route names this server's WHEP endpoint, which answers for the channel.
    let path = &url[url.find("/api/whep/").unwrap()..];
    let preflight = reqwest::Client::new()
        .request(reqwest::Method::OPTIONS, server.url(path))
        .send()
        .await
        .unwrap();
    assert!(preflight.status().is_success(), "{}", preflight.status());

    let (_, body) = graphql(
        server,
        "/api/graph",
        auth,
        watch,
        json!({"c": channel_id, "country": "United States"}),
    )
    .await;
    assert!(body["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("two-letter country code"));
    let (_, body) = graphql(
        server,
        "/api/graph",
        auth,
        watch,
        json!({"c": "999999", "country": "US"}),
    )
    .await;
    assert_eq!(body["errors"][0]["message"], "Could not find resource");
}
