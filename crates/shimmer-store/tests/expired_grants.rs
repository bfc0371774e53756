//! Housekeeping of expired OAuth2 codes and tokens, on SQLite and (when
//! `SHIMMER_TEST_POSTGRES_URL` is set) PostgreSQL: exactly the expired rows go, in batches, and
//! everything still usable keeps working.

mod backends;

use backends::on_every_backend;

use shimmer_store::{
    now_ms, AppDetails, ExpiredOAuthRows, NewOAuthApp, NewOAuthCode, NewOAuthToken, NewUser,
};

const HOUR: i64 = 3_600_000;

/// A token whose access hash is `name`.
fn token<'a>(
    name: &'a str,
    refresh: Option<&'a str>,
    app_id: i64,
    user_id: Option<i64>,
    code_id: Option<i64>,
    expires_at: i64,
    refresh_expires_at: Option<i64>,
) -> NewOAuthToken<'a> {
    NewOAuthToken {
        access_hash: name,
        refresh_hash: refresh,
        app_id,
        user_id,
        code_id,
        public_client: false,
        scopes: "public",
        expires_at,
        refresh_expires_at,
    }
}

#[tokio::test]
async fn only_expired_codes_and_tokens_are_deleted_in_batches() {
    on_every_backend(|store| async move {
        let user = store
            .create_user(&NewUser {
                username: "Granter",
                email: "granter@example.com",
                password_hash: "hash",
                email_confirmed: true,
                is_admin: false,
                stream_key_secret: "secret",
            })
            .await
            .unwrap();
        let details = AppDetails {
            name: "Bot".into(),
            description: "A bot".into(),
            homepage_url: String::new(),
            redirect_uris: vec!["https://a.example/cb".into()],
        };
        let app = store
            .create_oauth_app(&NewOAuthApp {
                owner_id: user.id,
                details: &details,
                client_id: "client-1",
                secret_hash: "secret-hash",
                ingest: false,
            })
            .await
            .unwrap();
        let now = now_ms();
        // The sweep removes what expired more than an hour ago.
        let cutoff = now - HOUR;
        let code = |hash: &'static str, expires_at: i64| NewOAuthCode {
            code_hash: hash,
            app_id: app.id,
            user_id: user.id,
            redirect_uri: "https://a.example/cb",
            scopes: "public",
            code_challenge: None,
            expires_at,
        };
        // Five long-expired codes (one used, with a live token descending from it), one that
        // expired only just now and one still valid.
        let mut old_codes = Vec::new();
        for hash in ["old-1", "old-2", "old-3", "old-4", "old-5"] {
            old_codes.push(
                store
                    .create_oauth_code(&code(hash, now - 2 * HOUR))
                    .await
                    .unwrap(),
            );
        }
        assert!(store.consume_oauth_code(old_codes[0].id).await.unwrap());
        store
            .create_oauth_code(&code("recent", now - 1_000))
            .await
            .unwrap();
        store
            .create_oauth_code(&code("valid", now + 60_000))
            .await
            .unwrap();

        let uid = Some(user.id);
        let gone = [
            // client_credentials token, expired long ago
            token(
                "machine-old",
                None,
                app.id,
                None,
                None,
                now - 2 * HOUR,
                None,
            ),
            // access and refresh both long expired
            token(
                "both-old",
                Some("both-old-r"),
                app.id,
                uid,
                None,
                now - 40 * 24 * HOUR,
                Some(now - 2 * HOUR),
            ),
            // revoked, and expired as well
            token(
                "revoked-old",
                Some("revoked-old-r"),
                app.id,
                uid,
                None,
                now - 30 * HOUR,
                Some(now - 3 * HOUR),
            ),
        ];
        let kept = [
            // access expired long ago, refresh still valid: must keep working
            token(
                "refreshable",
                Some("refreshable-r"),
                app.id,
                uid,
                Some(old_codes[0].id),
                now - 2 * HOUR,
                Some(now + 29 * 24 * HOUR),
            ),
            // live access token
            token(
                "live",
                Some("live-r"),
                app.id,
                uid,
                None,
                now + HOUR,
                Some(now + 30 * 24 * HOUR),
            ),
            // client_credentials token expired within the grace period
            token(
                "machine-recent",
                None,
                app.id,
                None,
                None,
                now - 1_000,
                None,
            ),
            // live client_credentials token
            token("machine-live", None, app.id, None, None, now + HOUR, None),
            // refresh expired only just now
            token(
                "refresh-recent",
                Some("refresh-recent-r"),
                app.id,
                uid,
                None,
                now - 25 * HOUR,
                Some(now - 1_000),
            ),
            // revoked but its refresh token not yet expired: goes once it has
            token(
                "revoked-live",
                Some("revoked-live-r"),
                app.id,
                uid,
                None,
                now - 2 * HOUR,
                Some(now + HOUR),
            ),
        ];
        for new in gone.iter().chain(&kept) {
            store.create_oauth_token(new).await.unwrap();
        }
        for name in ["revoked-old", "revoked-live"] {
            let stored = store.oauth_token_by_access(name).await.unwrap().unwrap();
            assert!(store.revoke_oauth_token(stored.id).await.unwrap());
        }

        // Batches of two: the loop must come back for the rest.
        let deleted = store.delete_expired_oauth(cutoff, 2).await.unwrap();
        assert_eq!(
            deleted,
            ExpiredOAuthRows {
                codes: 5,
                tokens: 3
            }
        );
        for hash in ["old-1", "old-2", "old-3", "old-4", "old-5"] {
            assert!(store.oauth_code_by_hash(hash).await.unwrap().is_none());
        }
        for hash in ["recent", "valid"] {
            assert!(store.oauth_code_by_hash(hash).await.unwrap().is_some());
        }
        for new in &gone {
            assert!(store
                .oauth_token_by_access(new.access_hash)
                .await
                .unwrap()
                .is_none());
        }
        for new in &kept {
            assert!(
                store
                    .oauth_token_by_access(new.access_hash)
                    .await
                    .unwrap()
                    .is_some(),
                "{} was deleted",
                new.access_hash
            );
        }

        // What is left still works: the refresh token (its code gone, its lineage forgotten)
        // and the live access token, and the user still sees the grant.
        let now = now_ms();
        let refreshable = store
            .oauth_token_by_refresh("refreshable-r")
            .await
            .unwrap()
            .unwrap();
        assert!(refreshable.refresh_active(now));
        assert_eq!(refreshable.code_id, None);
        let live = store.oauth_token_by_access("live").await.unwrap().unwrap();
        assert!(live.access_active(now));
        assert_eq!(store.oauth_grants_of_user(user.id).await.unwrap().len(), 2);

        // A second pass finds nothing; a later cutoff takes what has expired by then.
        assert_eq!(
            store.delete_expired_oauth(cutoff, 1000).await.unwrap(),
            ExpiredOAuthRows::default()
        );
        let deleted = store
            .delete_expired_oauth(now + 2 * HOUR, 1000)
            .await
            .unwrap();
        assert_eq!(
            deleted,
            ExpiredOAuthRows {
                codes: 2,
                tokens: 4
            }
        );
        for name in ["machine-live", "revoked-live"] {
            assert!(store.oauth_token_by_access(name).await.unwrap().is_none());
        }
        for name in ["live", "refreshable"] {
            assert!(store.oauth_token_by_access(name).await.unwrap().is_some());
        }
    })
    .await;
}
