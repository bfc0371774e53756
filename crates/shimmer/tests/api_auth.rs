//! Who may do what through the API, against a real server: every mutation and protected field
//! tried by every role (no credentials, a client id, a user token without the scope, with it, a
//! moderator, the channel's owner, staff, and the dedicated ingest credential). File uploads
//! (`uploadStreamThumbnail`) go as real multipart requests.

mod api_support;
mod support;

use api_support::{channel_id, create_app, graphql, graphql_upload, jpeg, token, Auth};
use serde_json::{json, Value};
use support::Server;

const PASSWORD: &str = "correct horse battery staple";
const ALL: &str = "public email chat streamkey follow stream_info";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Anonymous,
    ClientId,
    NoScope,
    Viewer,
    Moderator,
    Owner,
    Staff,
    Ingest,
}

const ROLES: [Role; 8] = [
    Role::Anonymous,
    Role::ClientId,
    Role::NoScope,
    Role::Viewer,
    Role::Moderator,
    Role::Owner,
    Role::Staff,
    Role::Ingest,
];

struct World {
    server: Server,
    client_id: String,
    no_scope: String,
    viewer: String,
    moderator: String,
    owner: String,
    staff: String,
    ingest: String,
    /// The chatter moderation is tried on, and who posts the messages to delete.
    target: String,
    owner_id: i64,
    target_id: i64,
    channel_id: i64,
}

impl World {
    fn auth(&self, role: Role) -> Auth<'_> {
        match role {
            Role::Anonymous => Auth::None,
            Role::ClientId => Auth::ClientId(&self.client_id),
            Role::NoScope => Auth::Bearer(&self.no_scope),
            Role::Viewer => Auth::Bearer(&self.viewer),
            Role::Moderator => Auth::Bearer(&self.moderator),
            Role::Owner => Auth::Bearer(&self.owner),
            Role::Staff => Auth::Bearer(&self.staff),
            Role::Ingest => Auth::Bearer(&self.ingest),
        }
    }

    /// Runs `query` as `role`; true when the root field came back with no error.
    async fn allowed(&self, role: Role, query: &str, variables: Value) -> bool {
        let (status, body) = graphql(
            &self.server,
            "/api/graph",
            self.auth(role),
            query,
            variables,
        )
        .await;
        if role == Role::Anonymous {
            assert_eq!(status, 401, "{body}");
            return false;
        }
        assert_eq!(status, 200, "{body}");
        let data = body["data"].as_object().cloned().unwrap_or_default();
        body.get("errors").is_none() && data.values().all(|value| !value.is_null())
    }

    /// Like [`World::allowed`], with a picture sent as a multipart upload in `$thumbnail`.
    async fn allowed_upload(&self, role: Role, query: &str, variables: Value) -> bool {
        let (status, body) = graphql_upload(
            &self.server,
            "/api/graph",
            self.auth(role),
            query,
            variables,
            jpeg(640, 360, [40, 90, 200]),
        )
        .await;
        if role == Role::Anonymous {
            assert_eq!(status, 401, "{body}");
            return false;
        }
        assert_eq!(status, 200, "{body}");
        let data = body["data"].as_object().cloned().unwrap_or_default();
        body.get("errors").is_none() && data.values().all(|value| !value.is_null())
    }

    /// Asserts that exactly `permitted` roles may run the document.
    async fn check(&self, what: &str, permitted: &[Role], query: &str, variables: Value) {
        for role in ROLES {
            let allowed = self.allowed(role, query, variables.clone()).await;
            assert_eq!(allowed, permitted.contains(&role), "{what} as {role:?}");
        }
    }

    async fn post_as_target(&self, text: &str) -> String {
        let (_, body) = graphql(
            &self.server,
            "/api/graph",
            Auth::Bearer(&self.target),
            "mutation($c: ID!, $t: String) { createChatMessage(channelId: $c, message: {message: $t}) { id } }",
            json!({"c": self.channel_id, "t": text}),
        )
        .await;
        body["data"]["createChatMessage"]["id"]
            .as_str()
            .unwrap()
            .to_owned()
    }
}

async fn world() -> World {
    let server = Server::start();
    let owner_id = server.create_user("streamer1", PASSWORD, true);
    let moderator_id = server.create_user("mod1", PASSWORD, true);
    server.create_user("viewer1", PASSWORD, true);
    let target_id = server.create_user("target1", PASSWORD, true);
    server.create_admin("boss1", PASSWORD);
    let viewer_app = create_app(&server, "viewer1", false);
    let owner_app = create_app(&server, "streamer1", false);
    let moderator_app = create_app(&server, "mod1", false);
    let staff_app = create_app(&server, "boss1", false);
    let target_app = create_app(&server, "target1", false);
    let ingest_app = create_app(&server, "boss1", true);
    let channel_id = channel_id(&server, Auth::ClientId(&viewer_app.client_id), "streamer1").await;
    // mod1 moderates with the default permissions: timeouts and deletions, no bans.
    let mut database = server.database().await;
    sqlx::query(
        "INSERT INTO channel_moderators (channel_id, user_id, can_short_timeout, can_long_timeout, \
         can_ban, can_unban, can_delete, created_at) VALUES (?, ?, 1, 1, 0, 0, 1, 0)",
    )
    .bind(channel_id)
    .bind(moderator_id)
    .execute(&mut database)
    .await
    .unwrap();
    World {
        client_id: viewer_app.client_id.clone(),
        no_scope: token(&server, &viewer_app, "public").await,
        viewer: token(&server, &viewer_app, ALL).await,
        moderator: token(&server, &moderator_app, ALL).await,
        owner: token(&server, &owner_app, ALL).await,
        staff: token(&server, &staff_app, ALL).await,
        ingest: token(&server, &ingest_app, "").await,
        target: token(&server, &target_app, ALL).await,
        server,
        owner_id,
        target_id,
        channel_id,
    }
}

#[tokio::test]
async fn chat_and_moderation_mutations_per_role() {
    use Role::*;
    let world = world().await;
    let ids = json!({"c": world.channel_id, "u": world.target_id});
    world
        .check(
            "createChatMessage",
            &[Viewer, Moderator, Owner, Staff],
            "mutation($c: ID!) { createChatMessage(channelId: $c, message: {message: \"hello\"}) { id } }",
            ids.clone(),
        )
        .await;
    for role in ROLES {
        let message = world.post_as_target(&format!("delete me {role:?}")).await;
        let allowed = world
            .allowed(
                role,
                "mutation($c: ID!, $m: ID!) { deleteChatMessage(channelId: $c, messageId: $m) { id action } }",
                json!({"c": world.channel_id, "m": message}),
            )
            .await;
        assert_eq!(
            allowed,
            [Moderator, Owner, Staff].contains(&role),
            "deleteChatMessage as {role:?}"
        );
    }
    for (name, permitted) in [
        ("shortTimeoutUser", &[Moderator, Owner, Staff][..]),
        ("longTimeoutUser", &[Moderator, Owner, Staff][..]),
        ("banUser", &[Owner, Staff][..]),
        ("unbanUser", &[Owner, Staff][..]),
    ] {
        world
            .check(
                name,
                permitted,
                &format!("mutation($c: ID!, $u: ID!) {{ {name}(channelId: $c, userId: $u) {{ id action user {{ username }} }} }}"),
                ids.clone(),
            )
            .await;
    }
}

#[tokio::test]
async fn follows_stream_info_and_ingest_per_role() {
    use Role::*;
    let world = world().await;
    let streamer = json!({"s": world.owner_id});
    world
        .check(
            "follow",
            &[Viewer, Moderator, Staff],
            "mutation($s: ID!) { follow(streamerId: $s, liveNotifications: true) { id hasLiveNotifications streamer { username } } }",
            streamer.clone(),
        )
        .await;
    world
        .check(
            "unfollow",
            &[Viewer, Moderator, Staff],
            "mutation($s: ID!) { unfollow(streamerId: $s) { id } }",
            streamer,
        )
        .await;
    world
        .check(
            "updateStreamInfo",
            &[Owner, Staff],
            "mutation($c: ID!) { updateStreamInfo(channelId: $c, title: \"New title\") { id title } }",
            json!({"c": world.channel_id}),
        )
        .await;

    let channel = json!({"c": world.channel_id});
    for field in ["streamKey", "hmacKey"] {
        world
            .check(
                field,
                &[Ingest],
                &format!("query($c: ID) {{ channel(id: $c) {{ {field} }} }}"),
                channel.clone(),
            )
            .await;
    }
    // A refused nested field reads null, with its path on the error; its siblings still answer.
    let (_, body) = graphql(
        &world.server,
        "/api/graph",
        Auth::Bearer(&world.viewer),
        "query($c: ID) { channel(id: $c) { id key: streamKey title } }",
        channel.clone(),
    )
    .await;
    assert_eq!(
        body["data"]["channel"].get("key"),
        Some(&Value::Null),
        "{body}"
    );
    assert!(body["data"]["channel"]["title"].is_string(), "{body}");
    assert_eq!(
        body["errors"][0]["path"],
        json!(["channel", "key"]),
        "{body}"
    );
    world
        .check(
            "email",
            &[Viewer, Moderator, Owner, Staff],
            "{ myself { email } }",
            Value::Null,
        )
        .await;
    assert!(
        !world
            .allowed(
                Viewer,
                "query($u: Int) { user(id: $u) { email } }",
                json!({"u": world.owner_id})
            )
            .await,
        "nobody reads another user's email"
    );

    for role in ROLES.into_iter().filter(|role| *role != Ingest) {
        let query = "mutation($c: ID!) { startStream(channelId: $c) { id } }";
        assert!(
            !world.allowed(role, query, channel.clone()).await,
            "startStream as {role:?}"
        );
    }
    let (_, body) = graphql(
        &world.server,
        "/api/graph",
        Auth::Bearer(&world.ingest),
        "mutation($c: ID!) { startStream(channelId: $c) { id } }",
        channel.clone(),
    )
    .await;
    let stream_id = body["data"]["startStream"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let stream = json!({"s": stream_id});
    world
        .check(
            "logStreamMetadata",
            &[Ingest],
            "mutation($s: ID!) { logStreamMetadata(streamId: $s, metadata: {vendorName: \"OBS\", videoCodec: \"h264\", video_width: 1280, sourceBitrate: 2500000}) { id } }",
            stream.clone(),
        )
        .await;
    for role in ROLES {
        let query = "mutation($s: ID!, $thumbnail: Upload!) { uploadStreamThumbnail(streamId: $s, thumbnail: $thumbnail) { id } }";
        assert_eq!(
            world.allowed_upload(role, query, stream.clone()).await,
            role == Ingest,
            "uploadStreamThumbnail as {role:?}"
        );
    }
    for role in ROLES.into_iter().filter(|role| *role != Ingest) {
        let query = "mutation($s: ID!) { endStream(streamId: $s) { id } }";
        assert!(
            !world.allowed(role, query, stream.clone()).await,
            "endStream as {role:?}"
        );
    }
    let (_, body) = graphql(
        &world.server,
        "/api/graph",
        Auth::Bearer(&world.ingest),
        "mutation($s: ID!) { endStream(streamId: $s) { id endedAt } }",
        stream,
    )
    .await;
    assert!(body["data"]["endStream"]["endedAt"].is_string(), "{body}");
}

/// `channel(streamerUsername:)` is served from a short cache; every change made on this node
/// must show in the very next read.
#[tokio::test]
async fn channel_reads_by_name_show_changes_at_once() {
    let world = world().await;
    let read = || async {
        let (_, body) = graphql(
            &world.server,
            "/api/graph",
            Auth::ClientId(&world.client_id),
            "{ channel(streamerUsername: \"streamer1\") { title status } }",
            Value::Null,
        )
        .await;
        body["data"]["channel"].clone()
    };
    let channel = json!({"c": world.channel_id});
    assert_eq!(read().await["status"], "OFFLINE");
    for title in ["First fresh title", "Second fresh title"] {
        let (_, body) = graphql(
            &world.server,
            "/api/graph",
            Auth::Bearer(&world.owner),
            "mutation($c: ID!, $t: String!) { updateStreamInfo(channelId: $c, title: $t) { id } }",
            json!({"c": world.channel_id, "t": title}),
        )
        .await;
        assert!(body.get("errors").is_none(), "{body}");
        assert_eq!(read().await["title"], title);
    }
    let (_, body) = graphql(
        &world.server,
        "/api/graph",
        Auth::Bearer(&world.ingest),
        "mutation($c: ID!) { startStream(channelId: $c) { id } }",
        channel.clone(),
    )
    .await;
    let stream_id = body["data"]["startStream"]["id"].clone();
    assert_eq!(read().await["status"], "LIVE");
    graphql(
        &world.server,
        "/api/graph",
        Auth::Bearer(&world.ingest),
        "mutation($s: ID!) { endStream(streamId: $s) { id } }",
        json!({"s": stream_id}),
    )
    .await;
    assert_eq!(read().await["status"], "OFFLINE");
}

#[tokio::test]
async fn channel_moderators_are_public_on_the_legacy_api_only() {
    use Role::*;
    let world = world().await;
    // The legacy API answered every client, as Glimesh did (CactusDev's glimesh-chat asks with a
    // client id); chat badges show who moderates anyway.
    let legacy = "query { channel(username: \"streamer1\") { moderators { user { username } \
                  canBan canLongTimeout canShortTimeout canUnTimeout canUnban } } }";
    for role in ROLES.into_iter().filter(|role| *role != Anonymous) {
        let (status, body) =
            graphql(&world.server, "/api", world.auth(role), legacy, Value::Null).await;
        assert_eq!(status, 200, "{role:?}: {body}");
        assert!(body.get("errors").is_none(), "{role:?}: {body}");
        let moderators = &body["data"]["channel"]["moderators"];
        assert_eq!(
            moderators[0]["user"]["username"], "mod1",
            "{role:?}: {body}"
        );
        assert_eq!(moderators[0]["canBan"], false);
        assert_eq!(moderators[0]["canShortTimeout"], true);
    }
    // The current API keeps the list to the channel's managers, and bans stay private on both.
    world
        .check(
            "moderators on /api/graph",
            &[Owner, Staff],
            "query { channel(streamerUsername: \"streamer1\") { moderators { edges { node { id } } } } }",
            Value::Null,
        )
        .await;
    let (_, body) = graphql(
        &world.server,
        "/api",
        world.auth(ClientId),
        "query { channel(username: \"streamer1\") { bans { reason } } }",
        Value::Null,
    )
    .await;
    assert!(body.get("errors").is_some(), "{body}");
}
