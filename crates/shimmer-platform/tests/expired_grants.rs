//! The OAuth2 housekeeping pass over the real domain and a real SQLite store: what expired
//! more than the grace period ago goes; a token issued through the code flow keeps working,
//! refresh included, after its code was swept away.

mod harness;

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr};

use shimmer_platform::accounts::{CreateOptions, Registration};
use shimmer_platform::oauth::{AppForm, AuthorizeParams, EXPIRED_GRACE};
use shimmer_store::{now_ms, ExpiredOAuthRows, NewOAuthCode, NewOAuthToken};

const REDIRECT: &str = "http://127.0.0.1:9/callback";
const CLIENT_IP: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);

fn params(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs
        .iter()
        .map(|(key, value)| ((*key).to_owned(), (*value).to_owned()))
        .collect()
}

#[tokio::test]
async fn expired_codes_and_tokens_go_and_live_grants_keep_working() {
    let (platform, store, _dir) = harness::platform_and_store().await;
    let user = platform
        .create_account(
            &Registration {
                username: "granter".into(),
                email: "granter@example.com".into(),
                password: "password123".into(),
                preferences: None,
            },
            CreateOptions {
                email_confirmed: true,
                is_admin: false,
            },
        )
        .await
        .unwrap();
    let created = platform
        .create_app(
            &user,
            &AppForm {
                name: "Bot".into(),
                description: "A bot".into(),
                homepage_url: String::new(),
                redirect_uris: REDIRECT.into(),
            },
            false,
        )
        .await
        .unwrap();
    let client_id = created.app.client_id.clone();
    let secret = created.client_secret.clone();

    // A real grant through the code flow.
    let request = platform
        .check_authorize(&AuthorizeParams {
            client_id: client_id.clone(),
            redirect_uri: REDIRECT.into(),
            response_type: "code".into(),
            scope: "public chat".into(),
            ..AuthorizeParams::default()
        })
        .await
        .unwrap();
    let location = platform
        .approve_authorization(&user, &request)
        .await
        .unwrap();
    let code = url::Url::parse(&location)
        .unwrap()
        .query_pairs()
        .find(|(key, _)| key == "code")
        .unwrap()
        .1
        .into_owned();
    let issued = platform
        .exchange_token(
            &params(&[
                ("grant_type", "authorization_code"),
                ("code", &code),
                ("redirect_uri", REDIRECT),
                ("client_id", &client_id),
                ("client_secret", &secret),
            ]),
            CLIENT_IP,
        )
        .await
        .unwrap();

    // Rows from the past: one just beyond the grace period, one just inside it.
    let grace = EXPIRED_GRACE.as_millis() as i64;
    let now = now_ms();
    for (hash, expires_at) in [
        ("beyond", now - grace - 60_000),
        ("inside", now - grace + 60_000),
    ] {
        store
            .create_oauth_code(&NewOAuthCode {
                code_hash: hash,
                app_id: created.app.id,
                user_id: user.id,
                redirect_uri: REDIRECT,
                scopes: "public",
                code_challenge: None,
                expires_at,
            })
            .await
            .unwrap();
        store
            .create_oauth_token(&NewOAuthToken {
                access_hash: hash,
                refresh_hash: None,
                app_id: created.app.id,
                user_id: None,
                code_id: None,
                public_client: false,
                scopes: "public",
                expires_at,
                refresh_expires_at: None,
            })
            .await
            .unwrap();
    }

    assert_eq!(
        platform.delete_expired_oauth().await.unwrap(),
        ExpiredOAuthRows {
            codes: 1,
            tokens: 1
        }
    );
    assert!(store.oauth_code_by_hash("beyond").await.unwrap().is_none());
    assert!(store.oauth_code_by_hash("inside").await.unwrap().is_some());
    assert!(store
        .oauth_token_by_access("beyond")
        .await
        .unwrap()
        .is_none());
    assert!(store
        .oauth_token_by_access("inside")
        .await
        .unwrap()
        .is_some());

    // The real grant is untouched: its access token authenticates and its refresh token
    // rotates.
    assert!(platform
        .authenticate_bearer(&issued.access_token)
        .await
        .unwrap()
        .is_some());
    let refreshed = platform
        .exchange_token(
            &params(&[
                ("grant_type", "refresh_token"),
                ("refresh_token", issued.refresh_token.as_deref().unwrap()),
                ("client_id", &client_id),
                ("client_secret", &secret),
            ]),
            CLIENT_IP,
        )
        .await
        .unwrap();
    assert!(platform
        .authenticate_bearer(&refreshed.access_token)
        .await
        .unwrap()
        .is_some());
    assert_eq!(
        platform.delete_expired_oauth().await.unwrap(),
        ExpiredOAuthRows::default()
    );
}
