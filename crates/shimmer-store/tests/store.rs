//! The store test suite. Every case runs on SQLite and, when `SHIMMER_TEST_POSTGRES_URL` names a
//! server (the README's test command starts a throwaway one), on PostgreSQL in a fresh database.

mod backends;

use backends::on_every_backend;

use shimmer_store::{
    AppDetails, ChannelSettings, LiveStatus, NewOAuthApp, NewOAuthCode, NewOAuthToken, NewUser,
    Store, StoreError, StreamMetadata, StreamOwner, TokenPurpose,
};

fn new_user<'a>(username: &'a str, email: &'a str) -> NewUser<'a> {
    NewUser {
        username,
        email,
        password_hash: "hash",
        email_confirmed: false,
        is_admin: false,
        stream_key_secret: "secret",
    }
}

#[tokio::test]
async fn registration_creates_user_and_channel() {
    on_every_backend(|store| async move {
        let user = store
            .create_user(&new_user("Alice", "Alice@Example.com"))
            .await
            .unwrap();
        assert_eq!(user.username, "Alice");
        assert!(!user.is_admin);
        assert!(!user.email_confirmed());
        let channel = store.channel_by_user(user.id).await.unwrap().unwrap();
        assert_eq!(channel.username, "Alice");
        assert_eq!(channel.status, LiveStatus::Offline);
        assert_eq!(channel.stream_key(), format!("{}-secret", channel.id));
        assert_eq!(
            store.user_by_username("aLiCe").await.unwrap().unwrap().id,
            user.id
        );
        assert_eq!(
            store
                .user_by_email("alice@example.COM")
                .await
                .unwrap()
                .unwrap()
                .id,
            user.id
        );
        assert_eq!(
            store
                .channel_by_username("ALICE")
                .await
                .unwrap()
                .unwrap()
                .id,
            channel.id
        );
    })
    .await;
}

#[tokio::test]
async fn usernames_and_emails_are_unique_ignoring_case_and_nothing_is_half_written() {
    on_every_backend(|store| async move {
        store
            .create_user(&new_user("bob", "bob@example.com"))
            .await
            .unwrap();
        let duplicate_name = store
            .create_user(&new_user("BOB", "other@example.com"))
            .await;
        assert!(
            matches!(duplicate_name, Err(StoreError::Conflict("username"))),
            "{duplicate_name:?}"
        );
        let duplicate_email = store
            .create_user(&new_user("robert", "BOB@example.com"))
            .await;
        assert!(
            matches!(duplicate_email, Err(StoreError::Conflict("email"))),
            "{duplicate_email:?}"
        );
        assert!(store.user_by_username("robert").await.unwrap().is_none());
        let listed = store.channels_that_streamed(10).await.unwrap();
        assert!(
            listed.is_empty(),
            "a channel that never streamed is not listed"
        );
        let channel = store.channel_by_username("bob").await.unwrap().unwrap();
        store.start_stream(channel.id, "replaced").await.unwrap();
        let listed = store.channels_that_streamed(10).await.unwrap();
        assert_eq!(
            listed.len(),
            1,
            "one channel per account, listed once it streamed"
        );
    })
    .await;
}

#[tokio::test]
async fn sessions_are_found_by_hash_and_revocable() {
    on_every_backend(|store| async move {
        let user = store
            .create_user(&new_user("carol", "carol@example.com"))
            .await
            .unwrap();
        let far = shimmer_store::now_ms() + 60_000;
        let first = store
            .create_session("h1", user.id, "csrf1", false, "ua", far)
            .await
            .unwrap();
        let second = store
            .create_session("h2", user.id, "csrf2", true, "ua", far)
            .await
            .unwrap();
        store
            .create_session("expired", user.id, "c", false, "ua", 1)
            .await
            .unwrap();
        assert_eq!(
            store.session_by_token_hash("h1").await.unwrap().unwrap().id,
            first.id
        );
        assert!(store
            .session_by_token_hash("expired")
            .await
            .unwrap()
            .is_none());
        assert!(store.session_by_token_hash("nope").await.unwrap().is_none());
        assert_eq!(store.sessions_of_user(user.id).await.unwrap().len(), 2);

        assert_eq!(
            store
                .delete_other_sessions(user.id, Some(second.id))
                .await
                .unwrap(),
            2
        );
        assert!(store.session_by_token_hash("h1").await.unwrap().is_none());
        assert!(store.session_by_token_hash("h2").await.unwrap().is_some());
        assert!(store.delete_session(user.id, second.id).await.unwrap());
        assert!(!store.delete_session(user.id, second.id).await.unwrap());
    })
    .await;
}

#[tokio::test]
async fn email_tokens_are_single_use_and_expire() {
    on_every_backend(|store| async move {
        let user = store
            .create_user(&new_user("dave", "dave@example.com"))
            .await
            .unwrap();
        let far = shimmer_store::now_ms() + 60_000;
        store
            .create_email_token(
                "t1",
                user.id,
                TokenPurpose::ConfirmEmail,
                "dave@example.com",
                far,
            )
            .await
            .unwrap();
        store
            .create_email_token(
                "t2",
                user.id,
                TokenPurpose::ConfirmEmail,
                "dave@example.com",
                1,
            )
            .await
            .unwrap();
        // The wrong purpose does not consume it.
        assert!(store
            .consume_email_token("t1", TokenPurpose::ResetPassword)
            .await
            .unwrap()
            .is_none());
        assert_eq!(
            store
                .email_token_usable("t1", TokenPurpose::ConfirmEmail)
                .await
                .unwrap(),
            Some(true)
        );
        let token = store
            .consume_email_token("t1", TokenPurpose::ConfirmEmail)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(token.user_id, user.id);
        assert!(store
            .consume_email_token("t1", TokenPurpose::ConfirmEmail)
            .await
            .unwrap()
            .is_none());
        let usable = |hash| store.email_token_usable(hash, TokenPurpose::ConfirmEmail);
        assert_eq!(usable("t1").await.unwrap(), Some(false));
        assert_eq!(usable("t2").await.unwrap(), Some(false));
        assert_eq!(usable("t3").await.unwrap(), None);
        assert!(store
            .consume_email_token("t2", TokenPurpose::ConfirmEmail)
            .await
            .unwrap()
            .is_none());

        assert!(store.confirm_email(user.id, &token.email).await.unwrap());
        assert!(store
            .user_by_id(user.id)
            .await
            .unwrap()
            .unwrap()
            .email_confirmed());
        store
            .set_confirmed_email(user.id, "New@example.com")
            .await
            .unwrap();
        let changed = store.user_by_id(user.id).await.unwrap().unwrap();
        assert_eq!(changed.email, "New@example.com");
        assert!(changed.email_confirmed());
        assert_eq!(
            store
                .user_by_email("new@example.com")
                .await
                .unwrap()
                .map(|u| u.id),
            Some(user.id)
        );
        assert!(!store
            .confirm_email(user.id, "dave@example.com")
            .await
            .unwrap());
    })
    .await;
}

#[tokio::test]
async fn settings_never_touch_live_state_or_key() {
    on_every_backend(|store| async move {
        let user = store
            .create_user(&new_user("erin", "erin@example.com"))
            .await
            .unwrap();
        let channel = store.channel_by_user(user.id).await.unwrap().unwrap();
        let stream = store.start_stream(channel.id, "replaced").await.unwrap();
        let settings = ChannelSettings {
            title: "New title".into(),
            language: "de".into(),
            mature: true,
        };
        store
            .update_channel_settings(channel.id, &settings)
            .await
            .unwrap();
        let after = store.channel_by_id(channel.id).await.unwrap().unwrap();
        assert_eq!(
            (after.title.as_str(), after.language.as_str(), after.mature),
            ("New title", "de", true)
        );
        assert_eq!(after.status, LiveStatus::Live);
        assert_eq!(after.current_stream_id, Some(stream.id));
        assert_eq!(after.stream_key_secret, "secret");

        store
            .set_stream_key_secret(channel.id, "rotated")
            .await
            .unwrap();
        assert_eq!(
            store
                .channel_by_id(channel.id)
                .await
                .unwrap()
                .unwrap()
                .stream_key(),
            format!("{}-rotated", channel.id)
        );
    })
    .await;
}

#[tokio::test]
async fn stream_lifecycle_is_conditional_on_the_stream_id() {
    on_every_backend(|store| async move {
        let user = store
            .create_user(&new_user("frank", "frank@example.com"))
            .await
            .unwrap();
        let channel_id = store.channel_by_user(user.id).await.unwrap().unwrap().id;
        let first = store.start_stream(channel_id, "replaced").await.unwrap();
        assert_eq!(first.title, "frank's stream");
        let second = store.start_stream(channel_id, "replaced").await.unwrap();
        let replaced = store.stream_by_id(first.id).await.unwrap().unwrap();
        assert_eq!(replaced.end_reason.as_deref(), Some("replaced"));

        // A late end for the replaced stream leaves the new one live.
        assert!(!store
            .end_stream(channel_id, first.id, "timeout")
            .await
            .unwrap());
        let channel = store.channel_by_id(channel_id).await.unwrap().unwrap();
        assert_eq!(
            (channel.status, channel.current_stream_id),
            (LiveStatus::Live, Some(second.id))
        );

        assert!(store
            .end_stream(channel_id, second.id, "disconnect")
            .await
            .unwrap());
        assert!(!store
            .end_stream(channel_id, second.id, "disconnect")
            .await
            .unwrap());
        let channel = store.channel_by_id(channel_id).await.unwrap().unwrap();
        assert_eq!(
            (channel.status, channel.current_stream_id),
            (LiveStatus::Offline, None)
        );
        let ended = store.stream_by_id(second.id).await.unwrap().unwrap();
        assert!(ended.ended_at.is_some());
        assert_eq!(
            store
                .streams_of_channel(channel_id, 10)
                .await
                .unwrap()
                .len(),
            2
        );
    })
    .await;
}

#[tokio::test]
async fn crash_recovery_closes_open_streams() {
    on_every_backend(|store| async move {
        let user = store
            .create_user(&new_user("gina", "gina@example.com"))
            .await
            .unwrap();
        let channel_id = store.channel_by_user(user.id).await.unwrap().unwrap().id;
        let stream = store.start_stream(channel_id, "replaced").await.unwrap();
        let closed = store.close_open_streams("recovered").await.unwrap();
        assert_eq!(closed, vec![(channel_id, stream.id)]);
        let channel = store.channel_by_id(channel_id).await.unwrap().unwrap();
        assert_eq!(channel.status, LiveStatus::Offline);
        assert!(store
            .close_open_streams("recovered")
            .await
            .unwrap()
            .is_empty());
    })
    .await;
}

#[tokio::test]
async fn crash_recovery_closes_only_its_own_nodes_streams() {
    on_every_backend(|store| async move {
        let node = |id: &str| StreamOwner {
            node_id: id.into(),
            host: format!("{id}.example"),
        };
        let first = store.clone().with_owner(node("node-a"));
        let second = store.clone().with_owner(node("node-b"));
        let mut channels = Vec::new();
        for name in ["hana", "ivo"] {
            let user = store
                .create_user(&new_user(name, &format!("{name}@example.com")))
                .await
                .unwrap();
            channels.push(store.channel_by_user(user.id).await.unwrap().unwrap().id);
        }
        let theirs = first.start_stream(channels[0], "replaced").await.unwrap();
        assert_eq!(theirs.node_id.as_deref(), Some("node-a"));
        assert_eq!(theirs.node_host.as_deref(), Some("node-a.example"));
        let mine = second.start_stream(channels[1], "replaced").await.unwrap();

        let closed = second.close_open_streams("recovered").await.unwrap();
        assert_eq!(closed, vec![(channels[1], mine.id)]);
        let untouched = store.stream_by_id(theirs.id).await.unwrap().unwrap();
        assert_eq!(untouched.ended_at, None);
        let channel = store.channel_by_id(channels[0]).await.unwrap().unwrap();
        assert_eq!(channel.status, LiveStatus::Live);
        assert_eq!(channel.current_stream_id, Some(theirs.id));
        let channel = store.channel_by_id(channels[1]).await.unwrap().unwrap();
        assert_eq!(channel.status, LiveStatus::Offline);
    })
    .await;
}

#[tokio::test]
async fn api_pages_count_what_they_page_through() {
    on_every_backend(|store| async move {
        let mut ids = Vec::new();
        for n in 0..3 {
            let user = store
                .create_user(&new_user(
                    &format!("pager{n}"),
                    &format!("pager{n}@example.com"),
                ))
                .await
                .unwrap();
            ids.push(store.channel_by_user(user.id).await.unwrap().unwrap().id);
        }
        store.start_stream(ids[1], "replaced").await.unwrap();
        assert_eq!(store.count_users().await.unwrap(), 3);
        let page = store.users_page(1, 5).await.unwrap();
        assert_eq!(
            page.iter()
                .map(|user| user.username.as_str())
                .collect::<Vec<_>>(),
            ["pager1", "pager2"]
        );
        assert_eq!(store.count_channels(None, None).await.unwrap(), 3);
        assert_eq!(
            store
                .count_channels(Some(LiveStatus::Live), None)
                .await
                .unwrap(),
            1
        );
        assert_eq!(
            store
                .count_channels(Some(LiveStatus::Offline), None)
                .await
                .unwrap(),
            2
        );
        let live = store
            .channels_page(Some(LiveStatus::Live), None, 0, 10)
            .await
            .unwrap();
        assert_eq!(live.iter().map(|c| c.id).collect::<Vec<_>>(), [ids[1]]);
        let category = store.categories().await.unwrap()[0].id;
        assert_eq!(store.count_channels(None, Some(category)).await.unwrap(), 0);
        assert!(store
            .channels_page(None, Some(category), 0, 10)
            .await
            .unwrap()
            .is_empty());
        assert_eq!(
            store.channels_page(None, None, 2, 10).await.unwrap()[0].id,
            ids[2]
        );

        let author = store.user_by_username("pager0").await.unwrap().unwrap();
        for body in ["one", "two", "three"] {
            store
                .insert_chat_message(ids[0], author.id, "", body, "[]", 1)
                .await
                .unwrap();
        }
        assert_eq!(store.count_chat_messages(ids[0]).await.unwrap(), 3);
        let last = store.chat_messages_page(ids[0], 2, 10).await.unwrap();
        assert_eq!(last[0].body, "three");
        let first_log = store
            .log_moderation(ids[0], author.id, None, "ban", None)
            .await
            .unwrap();
        let second_log = store
            .log_moderation(ids[0], author.id, None, "unban", None)
            .await
            .unwrap();
        assert!(second_log > first_log, "the log names the entry it wrote");
    })
    .await;
}

#[tokio::test]
async fn metadata_round_trips() {
    on_every_backend(|store| async move {
        let user = store
            .create_user(&new_user("hank", "hank@example.com"))
            .await
            .unwrap();
        let channel_id = store.channel_by_user(user.id).await.unwrap().unwrap().id;
        let stream = store.start_stream(channel_id, "replaced").await.unwrap();
        let metadata = StreamMetadata {
            stream_id: stream.id,
            recorded_at: 5,
            ingest_server: "node-1".into(),
            vendor_name: "OBS".into(),
            vendor_version: "30.0".into(),
            video_codec: "H264".into(),
            audio_codec: "OPUS".into(),
            video_width: 1280,
            video_height: 720,
            source_bitrate: 2_500_000,
            source_ping: 12,
            recv_packets: 1000,
            lost_packets: 3,
            nack_packets: 3,
            recovered_packets: 3,
            frame_rate: 29.97,
            keyframe_interval_ms: 2000,
            stream_time_seconds: 10,
            video_profile: "f4001f".into(),
            video_chroma_format: 3,
            video_bit_depth: 8,
            ingest_protocol: "rtmp".into(),
            video_b_frames: 1,
        };
        store.insert_stream_metadata(&metadata).await.unwrap();
        assert_eq!(
            store.stream_metadata(stream.id).await.unwrap(),
            vec![metadata.clone()]
        );
        let later = StreamMetadata {
            recorded_at: 9,
            source_bitrate: 3_000_000,
            ..metadata.clone()
        };
        store.insert_stream_metadata(&later).await.unwrap();
        assert_eq!(store.count_stream_metadata(stream.id).await.unwrap(), 2);
        let page = store.stream_metadata_page(stream.id, 1, 5).await.unwrap();
        assert_eq!(page.len(), 1);
        assert_eq!(page[0].metadata, later);
        let first = store.stream_metadata_page(stream.id, 0, 1).await.unwrap();
        assert!(first[0].id < page[0].id);

        store
            .end_stream(channel_id, stream.id, "done")
            .await
            .unwrap();
        let newer = store.start_stream(channel_id, "replaced").await.unwrap();
        assert_eq!(store.count_streams_of_channel(channel_id).await.unwrap(), 2);
        let ids = |streams: Vec<shimmer_store::Stream>| -> Vec<i64> {
            streams.into_iter().map(|stream| stream.id).collect()
        };
        assert_eq!(
            ids(store
                .streams_of_channel_page(channel_id, 0, 1)
                .await
                .unwrap()),
            [newer.id]
        );
        assert_eq!(
            ids(store
                .streams_of_channel_page(channel_id, 1, 5)
                .await
                .unwrap()),
            [stream.id]
        );
    })
    .await;
}

#[tokio::test]
async fn chat_messages_moderators_bans_and_log() {
    use shimmer_store::{ChatSettings, ModeratorPermissions};
    on_every_backend(|store| async move {
        let owner = store
            .create_user(&new_user("owner", "owner@example.com"))
            .await
            .unwrap();
        let chatter = store
            .create_user(&new_user("chatter", "chatter@example.com"))
            .await
            .unwrap();
        let channel_id = store.channel_by_user(owner.id).await.unwrap().unwrap().id;

        let settings = ChatSettings {
            min_account_age_hours: 5,
            require_verified_email: true,
            block_links: true,
            links_clickable: false,
            slow_mode_seconds: 3,
            recent_only: true,
            subscribers_only: true,
            accept_raids: false,
        };
        store
            .update_chat_settings(channel_id, &settings)
            .await
            .unwrap();
        assert_eq!(
            store.chat_settings(channel_id).await.unwrap(),
            Some(settings)
        );

        let first = store
            .insert_chat_message(channel_id, chatter.id, "", "one", "[]", 10)
            .await
            .unwrap();
        let second = store
            .insert_chat_message(channel_id, owner.id, "streamer", "two", "[]", 20)
            .await
            .unwrap();
        let third = store
            .insert_chat_message(channel_id, chatter.id, "", "three", "[]", 30)
            .await
            .unwrap();
        let recent = store
            .recent_chat_messages(channel_id, 2, None)
            .await
            .unwrap();
        assert_eq!(
            recent.iter().map(|m| m.id).collect::<Vec<_>>(),
            vec![second, third]
        );
        assert_eq!(recent[0].username.as_deref(), Some("owner"));
        assert_eq!(
            store
                .recent_chat_messages(channel_id, 10, Some(15))
                .await
                .unwrap()
                .len(),
            2
        );

        assert!(store
            .hide_chat_message(channel_id, second, "deleted")
            .await
            .unwrap());
        assert!(!store
            .hide_chat_message(channel_id, second, "deleted")
            .await
            .unwrap());
        let hidden = store
            .hide_user_chat_messages(channel_id, chatter.id, "ban")
            .await
            .unwrap();
        assert_eq!(hidden, vec![first, third]);
        assert!(store
            .recent_chat_messages(channel_id, 10, None)
            .await
            .unwrap()
            .is_empty());

        let only_delete = ModeratorPermissions {
            delete: true,
            ..Default::default()
        };
        store
            .upsert_moderator(channel_id, chatter.id, only_delete)
            .await
            .unwrap();
        assert_eq!(
            store
                .moderator_permissions(channel_id, chatter.id)
                .await
                .unwrap(),
            Some(only_delete)
        );
        store
            .upsert_moderator(channel_id, chatter.id, ModeratorPermissions::ALL)
            .await
            .unwrap();
        assert_eq!(
            store.moderators(channel_id).await.unwrap()[0].permissions,
            ModeratorPermissions::ALL
        );
        assert!(store
            .remove_moderator(channel_id, chatter.id)
            .await
            .unwrap());
        assert!(store
            .moderator_permissions(channel_id, chatter.id)
            .await
            .unwrap()
            .is_none());

        let far = shimmer_store::now_ms() + 60_000;
        store
            .add_channel_ban(channel_id, chatter.id, Some(far), owner.id)
            .await
            .unwrap();
        store
            .add_channel_ban(channel_id, owner.id, Some(1), owner.id)
            .await
            .unwrap();
        let bans = store.active_channel_bans(channel_id).await.unwrap();
        assert_eq!(bans.len(), 1, "expired timeouts are not in force");
        assert_eq!(bans[0].expires_at, Some(far));
        assert_eq!(
            store
                .remove_channel_bans(channel_id, chatter.id)
                .await
                .unwrap(),
            1
        );
        assert!(store
            .active_channel_bans(channel_id)
            .await
            .unwrap()
            .is_empty());

        store
            .log_moderation(channel_id, owner.id, Some(chatter.id), "ban", None)
            .await
            .unwrap();
        store
            .log_moderation(
                channel_id,
                owner.id,
                Some(chatter.id),
                "delete_message",
                Some(first),
            )
            .await
            .unwrap();
        let log = store.moderation_log(channel_id, 10).await.unwrap();
        assert_eq!(log[0].action, "delete_message");
        assert_eq!(log[0].message_id, Some(first));
        assert_eq!(
            (log[1].moderator.as_deref(), log[1].target.as_deref()),
            (Some("owner"), Some("chatter"))
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_first_opens_of_one_sqlite_file_migrate_once() {
    // The server and `shimmer user create` may open a new database at the same moment.
    let directory = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/shared.db", directory.path().display());
    let opens: Vec<_> = (0..6)
        .map(|_| {
            let url = url.clone();
            tokio::spawn(async move { Store::connect(&url).await.map(|_| ()) })
        })
        .collect();
    for open in opens {
        open.await.unwrap().unwrap();
    }
}

#[tokio::test]
async fn oauth_apps_codes_and_tokens() {
    on_every_backend(|store| async move {
        let owner = store
            .create_user(&new_user("Dev", "dev@example.com"))
            .await
            .unwrap();
        let viewer = store
            .create_user(&new_user("Viewer", "viewer@example.com"))
            .await
            .unwrap();
        let details = AppDetails {
            name: "Bot".into(),
            description: "A bot".into(),
            homepage_url: String::new(),
            redirect_uris: vec!["https://a.example/cb".into(), "http://127.0.0.1/cb".into()],
        };
        let new_app = |client_id: &'static str| NewOAuthApp {
            owner_id: owner.id,
            details: &details,
            client_id,
            secret_hash: "secret-hash",
            ingest: false,
        };
        let app = store.create_oauth_app(&new_app("client-1")).await.unwrap();
        assert_eq!(app.redirect_uris, details.redirect_uris);
        assert!(!app.ingest && app.logo_path.is_none());
        assert!(matches!(
            store.create_oauth_app(&new_app("client-1")).await,
            Err(StoreError::Conflict(_))
        ));
        assert_eq!(
            store
                .oauth_app_by_client_id("client-1")
                .await
                .unwrap()
                .unwrap()
                .id,
            app.id
        );
        assert!(store
            .oauth_app_by_client_id("nope")
            .await
            .unwrap()
            .is_none());
        let renamed = AppDetails {
            name: "Bot 2".into(),
            redirect_uris: vec![],
            ..details.clone()
        };
        assert!(store.update_oauth_app(app.id, &renamed).await.unwrap());
        store
            .set_oauth_app_logo(app.id, Some("1-x.png"))
            .await
            .unwrap();
        store
            .set_oauth_app_secret(app.id, "other-hash")
            .await
            .unwrap();
        let app = store.oauth_app(app.id).await.unwrap().unwrap();
        assert_eq!(
            (
                app.name.as_str(),
                app.redirect_uris.len(),
                app.logo_path.as_deref(),
                app.secret_hash.as_str()
            ),
            ("Bot 2", 0, Some("1-x.png"), "other-hash")
        );
        assert_eq!(store.oauth_apps_of_owner(owner.id).await.unwrap().len(), 1);
        assert!(store
            .oauth_apps_of_owner(viewer.id)
            .await
            .unwrap()
            .is_empty());

        // A code is consumed once; tokens descend from it and can be revoked through it.
        let code = store
            .create_oauth_code(&NewOAuthCode {
                code_hash: "code-hash",
                app_id: app.id,
                user_id: viewer.id,
                redirect_uri: "https://a.example/cb",
                scopes: "public chat",
                code_challenge: Some("challenge"),
                expires_at: shimmer_store::now_ms() + 60_000,
            })
            .await
            .unwrap();
        assert_eq!(
            store
                .oauth_code_by_hash("code-hash")
                .await
                .unwrap()
                .unwrap()
                .code_challenge
                .as_deref(),
            Some("challenge")
        );
        assert!(store.consume_oauth_code(code.id).await.unwrap());
        assert!(!store.consume_oauth_code(code.id).await.unwrap());
        let far = shimmer_store::now_ms() + 3_600_000;
        let token = store
            .create_oauth_token(&NewOAuthToken {
                access_hash: "access-1",
                refresh_hash: Some("refresh-1"),
                app_id: app.id,
                user_id: Some(viewer.id),
                code_id: Some(code.id),
                public_client: true,
                scopes: "public chat",
                expires_at: far,
                refresh_expires_at: Some(far),
            })
            .await
            .unwrap();
        assert_eq!(token.client_id, "client-1");
        assert!(token.public_client && !token.app_ingest);
        let now = shimmer_store::now_ms();
        assert!(token.access_active(now) && token.refresh_active(now));
        assert_eq!(
            store
                .oauth_token_by_refresh("refresh-1")
                .await
                .unwrap()
                .unwrap()
                .id,
            token.id
        );
        let grants = store.oauth_grants_of_user(viewer.id).await.unwrap();
        assert_eq!(grants.len(), 1);
        assert_eq!(grants[0].app_id, app.id);
        assert_eq!(store.revoke_oauth_tokens_of_code(code.id).await.unwrap(), 1);
        let revoked = store
            .oauth_token_by_access("access-1")
            .await
            .unwrap()
            .unwrap();
        assert!(!revoked.access_active(now) && !revoked.refresh_active(now));
        assert!(!store.revoke_oauth_token(token.id).await.unwrap());
        assert!(store
            .oauth_grants_of_user(viewer.id)
            .await
            .unwrap()
            .is_empty());

        // client_credentials tokens have no user and no refresh token.
        let machine = store
            .create_oauth_token(&NewOAuthToken {
                access_hash: "access-2",
                refresh_hash: None,
                app_id: app.id,
                user_id: None,
                code_id: None,
                public_client: false,
                scopes: "public",
                expires_at: far,
                refresh_expires_at: None,
            })
            .await
            .unwrap();
        assert!(machine.user_id.is_none() && !machine.refresh_active(now));

        // Revoking a user's grant touches only that user's tokens.
        store
            .create_oauth_token(&NewOAuthToken {
                access_hash: "access-3",
                refresh_hash: Some("refresh-3"),
                app_id: app.id,
                user_id: Some(viewer.id),
                code_id: None,
                public_client: false,
                scopes: "public",
                expires_at: far,
                refresh_expires_at: Some(far),
            })
            .await
            .unwrap();
        assert_eq!(store.revoke_oauth_grant(owner.id, app.id).await.unwrap(), 0);
        assert_eq!(
            store.revoke_oauth_grant(viewer.id, app.id).await.unwrap(),
            1
        );
        assert!(store
            .oauth_token_by_access("access-2")
            .await
            .unwrap()
            .unwrap()
            .access_active(now));

        assert!(store.delete_oauth_app(app.id).await.unwrap());
        assert!(store
            .oauth_token_by_access("access-2")
            .await
            .unwrap()
            .is_none());
        assert!(store
            .oauth_code_by_hash("code-hash")
            .await
            .unwrap()
            .is_none());
        assert!(!store.delete_oauth_app(app.id).await.unwrap());
    })
    .await;
}

#[tokio::test]
async fn posters_are_set_replaced_read_by_size_and_removed() {
    on_every_backend(|store| async move {
        use shimmer_store::{NewPoster, PosterSize};
        let user = store
            .create_user(&new_user("painter", "painter@example.com"))
            .await
            .unwrap();
        let channel = store.channel_by_user(user.id).await.unwrap().unwrap();
        assert_eq!(
            store
                .channel_poster(channel.id, PosterSize::Large)
                .await
                .unwrap(),
            None
        );
        assert_eq!(
            store.channel_poster_updated_at(channel.id).await.unwrap(),
            None
        );
        // Bytes that are not valid UTF-8 and contain NULs must survive both backends.
        let large: Vec<u8> = (0..=255u8).cycle().take(70_000).collect();
        let small = vec![0xff, 0xd8, 0x00, 0x80, 0xff, 0xd9];
        let poster = NewPoster {
            large: &large,
            small: &small,
            large_etag: "\"l1\"",
            small_etag: "\"s1\"",
            uploaded_by: user.id,
        };
        store.set_channel_poster(channel.id, &poster).await.unwrap();
        let got = store
            .channel_poster(channel.id, PosterSize::Large)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(got.bytes, large);
        assert_eq!(got.etag, "\"l1\"");
        let got_small = store
            .channel_poster(channel.id, PosterSize::Small)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(got_small.bytes, small);
        assert_eq!(
            store.channel_poster_updated_at(channel.id).await.unwrap(),
            Some(got.updated_at)
        );

        let replacement = NewPoster {
            large: &small,
            small: &small,
            large_etag: "\"l2\"",
            small_etag: "\"s2\"",
            uploaded_by: user.id,
        };
        store
            .set_channel_poster(channel.id, &replacement)
            .await
            .unwrap();
        let got = store
            .channel_poster(channel.id, PosterSize::Large)
            .await
            .unwrap()
            .unwrap();
        assert_eq!((got.bytes, got.etag.as_str()), (small.clone(), "\"l2\""));

        assert!(store.delete_channel_poster(channel.id).await.unwrap());
        assert!(!store.delete_channel_poster(channel.id).await.unwrap());
        assert_eq!(
            store
                .channel_poster(channel.id, PosterSize::Small)
                .await
                .unwrap(),
            None
        );
    })
    .await;
}

#[tokio::test]
async fn chat_backgrounds_are_set_replaced_read_and_removed() {
    on_every_backend(|store| async move {
        let user = store
            .create_user(&new_user("backdrop", "backdrop@example.com"))
            .await
            .unwrap();
        let channel = store.channel_by_user(user.id).await.unwrap().unwrap();
        assert!(store.chat_background(channel.id).await.unwrap().is_none());
        assert!(store
            .chat_background_updated_at(channel.id)
            .await
            .unwrap()
            .is_none());
        assert!(!store.delete_chat_background(channel.id).await.unwrap());

        store
            .set_chat_background(channel.id, &[1, 2, 3], "\"one\"", user.id)
            .await
            .unwrap();
        let first = store.chat_background(channel.id).await.unwrap().unwrap();
        assert_eq!(first.bytes, [1, 2, 3]);
        assert_eq!(first.etag, "\"one\"");
        assert_eq!(
            store.chat_background_updated_at(channel.id).await.unwrap(),
            Some(first.updated_at)
        );

        // Replaced whole: no trace of the first picture.
        store
            .set_chat_background(channel.id, &[9; 2048], "\"two\"", user.id)
            .await
            .unwrap();
        let second = store.chat_background(channel.id).await.unwrap().unwrap();
        assert_eq!(second.bytes, vec![9; 2048]);
        assert_eq!(second.etag, "\"two\"");
        assert!(second.updated_at >= first.updated_at);

        assert!(store.delete_chat_background(channel.id).await.unwrap());
        assert!(store.chat_background(channel.id).await.unwrap().is_none());
        assert!(!store.delete_chat_background(channel.id).await.unwrap());
    })
    .await;
}

#[tokio::test]
async fn chat_lines_keep_their_kind_colour_and_reply_and_a_channel_clears() {
    use shimmer_store::NewChatLine;
    on_every_backend(|store| async move {
        let owner = store
            .create_user(&new_user("owner", "owner@example.com"))
            .await
            .unwrap();
        let other = store
            .create_user(&new_user("other", "other@example.com"))
            .await
            .unwrap();
        let channel_id = store.channel_by_user(owner.id).await.unwrap().unwrap().id;
        let other_channel = store.channel_by_user(other.id).await.unwrap().unwrap().id;
        let line = |channel_id, body, kind, reply_to_id| NewChatLine {
            channel_id,
            user_id: owner.id,
            badges: "",
            body,
            tokens: "[]",
            created_at: 10,
            kind,
            color: Some("teal"),
            reply_to_id,
        };
        let parent = store
            .insert_chat_line(&line(channel_id, "question", "message", None))
            .await
            .unwrap();
        let reply = store
            .insert_chat_line(&line(channel_id, "answer", "action", Some(parent)))
            .await
            .unwrap();
        let stored = store.chat_message(reply).await.unwrap().unwrap();
        assert_eq!(stored.kind, "action");
        assert_eq!(stored.color.as_deref(), Some("teal"));
        let quoted = stored.reply_to.unwrap();
        assert_eq!(
            (quoted.id, quoted.username.as_deref()),
            (parent, Some("owner"))
        );
        assert_eq!(quoted.body.as_deref(), Some("question"));
        // A parent is looked up in its own channel only.
        assert!(store
            .visible_chat_message_in(other_channel, parent)
            .await
            .unwrap()
            .is_none());
        assert!(store
            .visible_chat_message_in(channel_id, parent)
            .await
            .unwrap()
            .is_some());
        let elsewhere = store
            .insert_chat_line(&line(other_channel, "kept", "message", None))
            .await
            .unwrap();

        let mut cleared = store
            .hide_channel_chat_messages(channel_id, "cleared")
            .await
            .unwrap();
        cleared.sort_unstable();
        assert_eq!(cleared, vec![parent, reply]);
        assert!(store
            .recent_chat_messages(channel_id, 10, None)
            .await
            .unwrap()
            .is_empty());
        assert!(store
            .visible_chat_message_in(channel_id, parent)
            .await
            .unwrap()
            .is_none());
        // A reply to a removed message no longer quotes its text.
        let stored = store.chat_message(reply).await.unwrap().unwrap();
        assert_eq!(stored.reply_to.unwrap().body, None);
        let other_lines = store
            .recent_chat_messages(other_channel, 10, None)
            .await
            .unwrap();
        assert_eq!(other_lines.len(), 1);
        assert_eq!(other_lines[0].id, elsewhere);
    })
    .await;
}
