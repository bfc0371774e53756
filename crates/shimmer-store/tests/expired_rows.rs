//! The housekeeping sweep of every expiring kind of row but OAuth2's (see oauth_housekeeping),
//! on SQLite and (when `SHIMMER_TEST_POSTGRES_URL` is set) PostgreSQL: exactly the rows older
//! than their cutoff go, in batches, and everything else keeps working.

mod backends;

use backends::on_every_backend;

use std::time::Duration;

use shimmer_store::{
    now_ms, ExpiredRows, ExpiryCutoffs, NewUser, NotificationLimits, Store, TokenPurpose, User,
};

const HOUR: i64 = 3_600_000;

async fn user(store: &Store, name: &str) -> User {
    store
        .create_user(&NewUser {
            username: name,
            email: &format!("{name}@example.com"),
            password_hash: "hash",
            email_confirmed: true,
            is_admin: false,
            stream_key_secret: "secret",
        })
        .await
        .unwrap()
}

/// A moment strictly after everything before the call and strictly before everything after it.
async fn moment() -> i64 {
    tokio::time::sleep(Duration::from_millis(10)).await;
    let at = now_ms();
    tokio::time::sleep(Duration::from_millis(10)).await;
    at
}

/// No other cap gets in the way: only the once-per-stream key decides.
const ANY_TIME: NotificationLimits = NotificationLimits {
    same_streamer_since: i64::MAX,
    daily_since: i64::MAX,
    daily_cap: 100,
};

#[tokio::test]
async fn only_rows_past_their_cutoff_are_deleted_in_batches() {
    on_every_backend(|store| async move {
        let alice = user(&store, "alice").await;
        let bob = user(&store, "bob").await;
        let carol = user(&store, "carol").await;
        let dave = user(&store, "dave").await;
        let eve = user(&store, "eve").await;
        let channel = store.channel_by_user(alice.id).await.unwrap().unwrap().id;
        let start = now_ms();

        // Sessions: three expired (more than one batch of two), two live.
        for (hash, expires_at) in [
            ("s-old-1", start - HOUR),
            ("s-old-2", start - 2_000),
            ("s-old-3", start - 1_000),
            ("s-alice", start + HOUR),
        ] {
            store
                .create_session(hash, alice.id, "csrf", false, "test", expires_at)
                .await
                .unwrap();
        }
        store
            .create_session(
                "s-bob",
                bob.id,
                "csrf",
                true,
                "test",
                start + 30 * 24 * HOUR,
            )
            .await
            .unwrap();

        // Pending two-factor log-ins: two abandoned, one under way.
        for (hash, expires_at) in [
            ("p-old-1", start - HOUR),
            ("p-old-2", start - 1_000),
            ("p-live", start + 600_000),
        ] {
            store
                .create_pending_login(hash, alice.id, false, expires_at)
                .await
                .unwrap();
        }

        // Emailed links: expired long ago, expired just now, used, revoked, and two unused.
        for (hash, purpose, expires_at) in [
            ("t-old", TokenPurpose::ConfirmEmail, start - 2 * HOUR),
            ("t-recent", TokenPurpose::ConfirmEmail, start - 1_000),
            ("t-used", TokenPurpose::ConfirmEmail, start + HOUR),
            ("t-live", TokenPurpose::ConfirmEmail, start + HOUR),
            ("t-fresh", TokenPurpose::ChangeEmail, start + HOUR),
        ] {
            store
                .create_email_token(hash, alice.id, purpose, "alice@example.com", expires_at)
                .await
                .unwrap();
        }
        store
            .create_email_token(
                "t-revoked",
                bob.id,
                TokenPurpose::ResetPassword,
                "bob@example.com",
                start + HOUR,
            )
            .await
            .unwrap();
        assert!(store
            .consume_email_token("t-used", TokenPurpose::ConfirmEmail)
            .await
            .unwrap()
            .is_some());
        store
            .revoke_email_tokens(bob.id, TokenPurpose::ResetPassword)
            .await
            .unwrap();

        // Chat: a timeout that ended, one still running, a permanent ban.
        store
            .add_channel_ban(channel, bob.id, Some(start - 1_000), alice.id)
            .await
            .unwrap();
        store
            .add_channel_ban(channel, carol.id, Some(start + HOUR), alice.id)
            .await
            .unwrap();
        store
            .add_channel_ban(channel, eve.id, None, alice.id)
            .await
            .unwrap();

        // A username hold and a live-notification record from before `released`, one of each
        // after it.
        let first = store.start_stream(channel, "replaced").await.unwrap();
        store.rename_user(carol.id, "carol2", 0).await.unwrap();
        assert!(store
            .claim_live_notification(bob.id, alice.id, first.id, ANY_TIME)
            .await
            .unwrap());
        let released = moment().await;
        assert!(store.delete_user(dave.id).await.unwrap());
        let second = store.start_stream(channel, "replaced").await.unwrap();
        assert!(store
            .claim_live_notification(carol.id, alice.id, second.id, ANY_TIME)
            .await
            .unwrap());

        let now = now_ms();
        let cutoffs = ExpiryCutoffs {
            sessions: now,
            pending_logins: now,
            email_tokens: start - HOUR,
            username_holds: released,
            channel_timeouts: now,
            live_notifications: released,
            rate_allowances: now,
        };
        assert_eq!(
            store.delete_expired_rows(&cutoffs, 2).await.unwrap(),
            ExpiredRows {
                sessions: 3,
                pending_logins: 2,
                email_tokens: 1,
                username_holds: 1,
                channel_timeouts: 1,
                live_notifications: 1,
                rate_allowances: 0,
            }
        );
        assert_eq!(
            store.delete_expired_rows(&cutoffs, 2).await.unwrap(),
            ExpiredRows::default()
        );

        // Live sessions still resolve.
        for hash in ["s-old-1", "s-old-2", "s-old-3"] {
            assert!(store.session_by_token_hash(hash).await.unwrap().is_none());
        }
        let session = store.session_by_token_hash("s-alice").await.unwrap();
        assert_eq!(session.map(|session| session.user_id), Some(alice.id));
        assert!(store
            .session_by_token_hash("s-bob")
            .await
            .unwrap()
            .is_some());
        assert_eq!(store.sessions_of_user(alice.id).await.unwrap().len(), 1);

        // The log-in under way still completes (once).
        let pending = store.pending_login("p-live").await.unwrap().unwrap();
        assert_eq!(pending.user_id, alice.id);
        assert!(store.delete_pending_login(pending.id).await.unwrap());
        assert!(!store.delete_pending_login(pending.id).await.unwrap());

        // Tokens inside the grace period still say they were used or expired; the unused one
        // still works.
        let usable = |hash: &'static str, purpose| {
            let store = store.clone();
            async move { store.email_token_usable(hash, purpose).await.unwrap() }
        };
        assert_eq!(usable("t-old", TokenPurpose::ConfirmEmail).await, None);
        assert_eq!(
            usable("t-recent", TokenPurpose::ConfirmEmail).await,
            Some(false)
        );
        assert_eq!(
            usable("t-used", TokenPurpose::ConfirmEmail).await,
            Some(false)
        );
        assert_eq!(
            usable("t-revoked", TokenPurpose::ResetPassword).await,
            Some(false)
        );
        assert!(store
            .consume_email_token("t-live", TokenPurpose::ConfirmEmail)
            .await
            .unwrap()
            .is_some());

        // The running timeout and the permanent ban still hold.
        let mut banned: Vec<i64> = store
            .active_channel_bans(channel)
            .await
            .unwrap()
            .iter()
            .map(|ban| ban.user_id)
            .collect();
        banned.sort_unstable();
        assert_eq!(banned, vec![carol.id, eve.id]);

        // Carol's old name is free again (and she may rename again); Dave's is still held.
        assert!(!store.username_held("carol", 0).await.unwrap());
        assert_eq!(store.last_username_change(carol.id).await.unwrap(), None);
        assert!(store.username_held("dave", 0).await.unwrap());

        // Bob's record of the first stream is gone, Carol's of the second is not.
        assert!(store
            .claim_live_notification(bob.id, alice.id, first.id, ANY_TIME)
            .await
            .unwrap());
        assert!(!store
            .claim_live_notification(carol.id, alice.id, second.id, ANY_TIME)
            .await
            .unwrap());

        // A later cutoff takes every token used or expired by then, and nothing unused.
        let later = ExpiryCutoffs {
            email_tokens: moment().await,
            ..cutoffs
        };
        assert_eq!(
            store.delete_expired_rows(&later, 2).await.unwrap(),
            ExpiredRows {
                email_tokens: 4,
                ..ExpiredRows::default()
            }
        );
        for (hash, purpose) in [
            ("t-recent", TokenPurpose::ConfirmEmail),
            ("t-used", TokenPurpose::ConfirmEmail),
            ("t-live", TokenPurpose::ConfirmEmail),
            ("t-revoked", TokenPurpose::ResetPassword),
        ] {
            assert_eq!(usable(hash, purpose).await, None, "{hash} is still there");
        }
        assert!(store
            .consume_email_token("t-fresh", TokenPurpose::ChangeEmail)
            .await
            .unwrap()
            .is_some());
    })
    .await;
}
