//! Store cases for profiles, preferences, two-factor sign-in, reports and the account
//! lifecycle, on SQLite and (when `SHIMMER_TEST_POSTGRES_URL` is set) PostgreSQL.

mod backends;
mod fixtures;

use backends::on_every_backend;
use fixtures::user;

use shimmer_store::{NewReport, Preferences, Profile, StoreError};

#[tokio::test]
async fn profiles_and_preferences_upsert() {
    on_every_backend(|store| async move {
        let alice = user(&store, "alice", false).await;
        let empty = store.profile(alice.id).await.unwrap();
        assert_eq!(empty.links, "{}");
        assert_eq!(empty.avatar_version, 0);
        let profile = Profile {
            user_id: alice.id,
            pronouns: "she/her".into(),
            bio: "hi".into(),
            links: "[]".into(),
            youtube_intro: "dQw4w9WgXcQ".into(),
            live_message: "live!".into(),
            avatar_version: 0,
        };
        store.save_profile(&profile).await.unwrap();
        assert_eq!(store.bump_avatar_version(alice.id).await.unwrap(), 1);
        assert_eq!(store.bump_avatar_version(alice.id).await.unwrap(), 2);
        // Saving text keeps the avatar version.
        store.save_profile(&profile).await.unwrap();
        let saved = store.profile(alice.id).await.unwrap();
        assert_eq!(saved.avatar_version, 2);
        assert_eq!(saved.pronouns, "she/her");

        assert_eq!(store.preferences(alice.id).await.unwrap(), None);
        let preferences = Preferences {
            theme: "dark".into(),
            chat_timestamps: true,
            show_mature: true,
            locale: "de".into(),
            chat_color: Some("teal".into()),
        };
        store
            .save_preferences(alice.id, &preferences)
            .await
            .unwrap();
        store
            .save_preferences(alice.id, &preferences)
            .await
            .unwrap();
        assert_eq!(
            store.preferences(alice.id).await.unwrap(),
            Some(preferences)
        );
    })
    .await;
}

#[tokio::test]
async fn avatar_versions_of_many_users_come_back_in_one_call() {
    on_every_backend(|store| async move {
        let alice = user(&store, "alice", false).await;
        let bob = user(&store, "bob", false).await;
        let carol = user(&store, "carol", false).await;
        store.bump_avatar_version(alice.id).await.unwrap();
        store.bump_avatar_version(alice.id).await.unwrap();
        store.bump_avatar_version(carol.id).await.unwrap();
        // Bob saved his profile text but never uploaded an avatar.
        store
            .save_profile(&Profile {
                user_id: bob.id,
                links: "{}".into(),
                ..Profile::default()
            })
            .await
            .unwrap();

        let versions = store
            .avatar_versions(&[alice.id, bob.id, carol.id, alice.id])
            .await
            .unwrap();
        assert_eq!(versions.len(), 2, "{versions:?}");
        assert_eq!(versions[&alice.id], 2);
        assert_eq!(versions[&carol.id], 1);
        assert!(store.avatar_versions(&[]).await.unwrap().is_empty());

        // More ids than one statement binds: users in the first and the last chunk are found.
        let batch = shimmer_store::AVATAR_VERSIONS_BATCH as i64;
        let mut many: Vec<i64> = (1..=2 * batch).map(|n| n + 1_000_000).collect();
        many.insert(0, carol.id);
        many.push(alice.id);
        let versions = store.avatar_versions(&many).await.unwrap();
        assert_eq!(versions.len(), 2, "{versions:?}");
        assert_eq!((versions[&alice.id], versions[&carol.id]), (2, 1));
    })
    .await;
}

#[tokio::test]
async fn totp_steps_are_claimed_once_and_recovery_codes_used_once() {
    on_every_backend(|store| async move {
        let bob = user(&store, "bob", false).await;
        assert!(store.begin_two_factor(bob.id, "sealed-1").await.unwrap());
        assert!(store.begin_two_factor(bob.id, "sealed-2").await.unwrap());
        assert!(!store.two_factor_enabled(bob.id).await.unwrap());
        assert!(store.claim_totp_step(bob.id, 100).await.unwrap());
        assert!(!store.claim_totp_step(bob.id, 100).await.unwrap(), "replay");
        assert!(
            !store.claim_totp_step(bob.id, 99).await.unwrap(),
            "older step"
        );
        assert!(store.claim_totp_step(bob.id, 101).await.unwrap());
        store
            .enable_two_factor(bob.id, &["h1".into(), "h2".into()])
            .await
            .unwrap();
        assert!(store.two_factor_enabled(bob.id).await.unwrap());
        // An enabled enrolment cannot be replaced.
        assert!(!store.begin_two_factor(bob.id, "sealed-3").await.unwrap());
        assert_eq!(
            store
                .two_factor(bob.id)
                .await
                .unwrap()
                .unwrap()
                .secret_sealed,
            "sealed-2"
        );
        assert!(store.use_recovery_code(bob.id, "h1").await.unwrap());
        assert!(!store.use_recovery_code(bob.id, "h1").await.unwrap());
        assert!(!store.use_recovery_code(bob.id, "nope").await.unwrap());
        assert_eq!(store.unused_recovery_codes(bob.id).await.unwrap(), 1);

        let later = shimmer_store::now_ms() + 60_000;
        store
            .create_pending_login("pending-hash", bob.id, true, later)
            .await
            .unwrap();
        let pending = store.pending_login("pending-hash").await.unwrap().unwrap();
        assert!(pending.remember);
        assert!(store.delete_pending_login(pending.id).await.unwrap());
        assert!(!store.delete_pending_login(pending.id).await.unwrap());
        store
            .create_pending_login("expired-hash", bob.id, false, 1)
            .await
            .unwrap();
        assert!(store.pending_login("expired-hash").await.unwrap().is_none());

        store.disable_two_factor(bob.id).await.unwrap();
        assert!(store.two_factor(bob.id).await.unwrap().is_none());
        assert_eq!(store.unused_recovery_codes(bob.id).await.unwrap(), 0);
    })
    .await;
}

#[tokio::test]
async fn reports_queue_by_status() {
    on_every_backend(|store| async move {
        let staff = user(&store, "staffer", true).await;
        let carol = user(&store, "carol", false).await;
        let dave = user(&store, "dave", false).await;
        let id = store
            .create_report(&NewReport {
                reporter_id: carol.id,
                reported_user_id: dave.id,
                reported_username: "dave",
                location: "chat",
                reason: "spam",
                notes: "buy now",
                chat_message_id: None,
            })
            .await
            .unwrap();
        let open = store.reports_with_status("open", 10).await.unwrap();
        assert_eq!(open.len(), 1);
        assert_eq!(open[0].reporter_username.as_deref(), Some("carol"));
        assert!(store
            .set_report_status(id, "resolved", staff.id)
            .await
            .unwrap());
        assert!(!store
            .set_report_status(id + 99, "resolved", staff.id)
            .await
            .unwrap());
        assert!(store
            .reports_with_status("open", 10)
            .await
            .unwrap()
            .is_empty());
        assert_eq!(store.report(id).await.unwrap().unwrap().status, "resolved");
        assert_eq!(
            store.staff_emails().await.unwrap(),
            vec!["staffer@example.com".to_owned()]
        );
        // The report outlives both accounts, keeping the reported name.
        store.delete_user(carol.id).await.unwrap();
        store.delete_user(dave.id).await.unwrap();
        let kept = store.report(id).await.unwrap().unwrap();
        assert_eq!(kept.reporter_id, None);
        assert_eq!(kept.reported_username, "dave");
    })
    .await;
}

#[tokio::test]
async fn renames_hold_old_names_and_deletion_anonymises_chat() {
    on_every_backend(|store| async move {
        let erin = user(&store, "erin", false).await;
        let frank = user(&store, "frank", false).await;
        let since = shimmer_store::now_ms() - 1_000;
        assert_eq!(store.last_username_change(erin.id).await.unwrap(), None);
        assert!(matches!(
            store.rename_user(erin.id, "Frank", since).await,
            Err(StoreError::Conflict("username"))
        ));
        store.rename_user(erin.id, "Erin2", since).await.unwrap();
        let renamed = store.user_by_id(erin.id).await.unwrap().unwrap();
        assert_eq!(renamed.username, "Erin2");
        assert_eq!(renamed.display_name, "Erin2");
        assert!(store.last_username_change(erin.id).await.unwrap().is_some());
        assert!(store.username_held("ERIN", since).await.unwrap());
        // Others cannot take the held name; its previous owner can take it back.
        assert!(matches!(
            store.rename_user(frank.id, "erin", since).await,
            Err(StoreError::Conflict("username"))
        ));
        store.rename_user(erin.id, "erin", since).await.unwrap();

        let channel = store.channel_by_user(frank.id).await.unwrap().unwrap();
        let message = store
            .insert_chat_message(channel.id, erin.id, "", "hello", "[]", 1)
            .await
            .unwrap();
        assert_eq!(
            store.chat_messages_of_user(erin.id, 10).await.unwrap()[0].channel,
            "frank"
        );
        assert!(store.delete_user(erin.id).await.unwrap());
        assert!(!store.delete_user(erin.id).await.unwrap());
        let kept = store.chat_message(message).await.unwrap().unwrap();
        assert_eq!(kept.user_id, None);
        assert_eq!(kept.username, None);
        assert!(store.user_by_username("erin").await.unwrap().is_none());
        assert!(store.username_held("erin", since).await.unwrap());
        // The deleted account's own channel went with it.
        assert!(store.channel_by_username("erin").await.unwrap().is_none());
    })
    .await;
}
