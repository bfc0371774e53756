//! The OAuth2 provider against a real server: every grant, PKCE, code reuse and expiry, refresh
//! rotation, revocation and introspection, the parameter placements Glimesh clients use, the
//! consent page's redirect rules, rate limits, and that apps and grants belong to their owners.

mod support;

use base64::Engine;
use serde_json::Value;
use sha2::{Digest, Sha256};
use support::{Browser, Server};

const PASSWORD: &str = "correct horse battery staple";
const REDIRECT: &str = "http://127.0.0.1:9/callback";

/// Where the token request's parameters go, as the various Glimesh clients send them.
#[derive(Clone, Copy)]
enum Placement {
    /// Query string and a `{}` body with no content type (Casterlabs).
    Query,
    /// A form body (glimesh-rs, passport).
    Form,
}

async fn token_request(
    server: &Server,
    path: &str,
    placement: Placement,
    params: &[(&str, &str)],
) -> (u16, Value) {
    let client = reqwest::Client::new();
    let url = server.url(path);
    let request = match placement {
        Placement::Query => client.post(&url).query(params).body("{}"),
        Placement::Form => client.post(&url).form(params),
    };
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    let json = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON: {text}"))
    };
    (status, json)
}

async fn token(server: &Server, placement: Placement, params: &[(&str, &str)]) -> (u16, Value) {
    token_request(server, "/api/oauth/token", placement, params).await
}

async fn introspect(server: &Server, client: &(String, String), access: &str) -> Value {
    let (status, json) = token_request(
        server,
        "/api/oauth/introspect",
        Placement::Form,
        &[
            ("client_id", &client.0),
            ("client_secret", &client.1),
            ("token", access),
        ],
    )
    .await;
    assert_eq!(status, 200, "{json}");
    json
}

/// Asserts the token JSON is exactly what Glimesh clients parse.
fn assert_token_shape(json: &Value, scope: &str, with_refresh: bool) {
    let created_at = json["created_at"].as_str().unwrap();
    assert_eq!(created_at.len(), 19, "{created_at}");
    assert!(
        created_at.as_bytes()[10] == b'T' && !created_at.contains('Z') && !created_at.contains('.'),
        "{created_at}"
    );
    assert_eq!(json["expires_in"], 86400);
    assert_eq!(json["token_type"], "bearer");
    assert_eq!(json["scope"], scope);
    assert!(json["access_token"].as_str().unwrap().len() >= 32);
    assert_eq!(json["refresh_token"].is_string(), with_refresh, "{json}");
    assert!(
        json.get("refresh_token").is_some(),
        "refresh_token is always present"
    );
}

fn borrowed<'a>(params: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    params
        .iter()
        .map(|(key, value)| (*key, value.as_str()))
        .collect()
}

fn pkce_pair() -> (String, String) {
    let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk-more-entropy-here".to_owned();
    let challenge = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(Sha256::digest(verifier.as_bytes()));
    (verifier, challenge)
}

/// The value of an `<input id=ID value=...>` on a page.
fn input_value(html: &str, id: &str) -> String {
    let marker = format!("id=\"{id}\" value=\"");
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no #{id} in page"))
        + marker.len();
    html[start..start + html[start..].find('"').unwrap()].to_owned()
}

/// A query parameter of a redirect Location.
fn query_value(location: &str, key: &str) -> Option<String> {
    let url = reqwest::Url::parse(location).unwrap();
    url.query_pairs()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
}

/// Signs up `username` (confirmed) and returns a logged-in browser.
async fn signed_in(server: &Server, username: &str) -> Browser {
    server.create_user(username, PASSWORD, true);
    let browser = Browser::new(server);
    assert_eq!(browser.login(username, PASSWORD).await, 303);
    browser
}

/// Creates an app on the settings page; returns (id in the URL, client id, secret).
async fn create_app_in_ui(
    browser: &Browser,
    name: &str,
    redirect_uris: &str,
) -> (i64, String, String) {
    let (status, _, body) = browser
        .post_form(
            "/users/settings/applications",
            "/users/settings/applications",
            &[
                ("name", name),
                ("description", "Test bot"),
                ("homepage_url", ""),
                ("redirect_uris", redirect_uris),
            ],
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let marker = "action=\"/users/settings/applications/";
    let start = body.find(marker).unwrap() + marker.len();
    let id: i64 = body[start..]
        .split(['"', '/'])
        .next()
        .unwrap()
        .parse()
        .unwrap();
    (
        id,
        input_value(&body, "client-id"),
        input_value(&body, "client-secret"),
    )
}

/// Walks the consent page as `browser` and returns the redirect Location.
async fn authorize(browser: &Browser, query: &[(&str, &str)], action: &str) -> String {
    let query_string = serde_urlencoded::to_string(query).unwrap();
    let page = format!("/oauth/authorize?{query_string}");
    let (status, body) = browser.get(&page).await;
    assert_eq!(status, 200, "{body}");
    let mut fields: Vec<(&str, &str)> = query.to_vec();
    fields.push(("action", action));
    let (status, location, body) = browser.post_form(&page, "/oauth/authorize", &fields).await;
    assert_eq!(status, 303, "{body}");
    location.unwrap()
}

async fn code_for(browser: &Browser, client_id: &str, extra: &[(&str, &str)]) -> String {
    let mut query = vec![
        ("client_id", client_id),
        ("redirect_uri", REDIRECT),
        ("response_type", "code"),
        ("scope", "public chat"),
        ("state", "s-123"),
    ];
    query.extend_from_slice(extra);
    let location = authorize(browser, &query, "authorize").await;
    assert!(location.starts_with(REDIRECT), "{location}");
    assert_eq!(query_value(&location, "state").as_deref(), Some("s-123"));
    assert_eq!(query_value(&location, "expires_in").as_deref(), Some("60"));
    query_value(&location, "code").unwrap()
}

#[tokio::test]
async fn code_grants_with_and_without_pkce_refresh_revoke_and_introspect() {
    let server = Server::start();
    let dev = signed_in(&server, "appdev").await;
    let (_, client_id, secret) = create_app_in_ui(&dev, "Relay Bot", REDIRECT).await;
    let client = (client_id.clone(), secret.clone());
    let viewer = signed_in(&server, "viewer1").await;

    // The consent page names the app and the scopes in plain words.
    let (status, page) = viewer
        .get(&format!(
            "/oauth/authorize?client_id={client_id}&redirect_uri={}&response_type=code&scope=public%20chat",
            urlencode(REDIRECT)
        ))
        .await;
    assert_eq!(status, 200);
    assert!(page.contains("Authorize Relay Bot") && page.contains("Send chat messages"));
    assert!(page.contains("Made by appdev"));

    // A confidential client exchanges with parameters in the query string.
    let code = code_for(&viewer, &client_id, &[]).await;
    let exchange = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", REDIRECT),
        ("client_id", client_id.as_str()),
        ("client_secret", secret.as_str()),
    ];
    let (status, first) = token(&server, Placement::Query, &exchange).await;
    assert_eq!(status, 200, "{first}");
    assert_token_shape(&first, "public chat", true);
    let first_access = first["access_token"].as_str().unwrap();
    let info = introspect(&server, &client, first_access).await;
    assert_eq!(info["active"], true);
    assert_eq!(info["username"], "viewer1");
    assert_eq!(info["scope"], "public chat");
    assert_eq!(info["client_id"], client_id.as_str());

    // Reusing the code is refused and revokes what it issued.
    let (status, reused) = token(&server, Placement::Form, &exchange).await;
    assert_eq!(
        (status, reused["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    assert!(reused["error_description"]
        .as_str()
        .unwrap()
        .contains("already used"));
    assert_eq!(
        introspect(&server, &client, first_access).await["active"],
        false
    );

    // Without PKCE, a secret is required.
    let code = code_for(&viewer, &client_id, &[]).await;
    let (status, json) = token(
        &server,
        Placement::Form,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("client_id", &client_id),
        ],
    )
    .await;
    assert_eq!(
        (status, json["error"].as_str()),
        (401, Some("invalid_client"))
    );

    // PKCE: the wrong verifier is refused (the code survives), the right one works without a
    // secret, from a form body.
    let (verifier, challenge) = pkce_pair();
    let code = code_for(
        &viewer,
        &client_id,
        &[
            ("code_challenge", &challenge),
            ("code_challenge_method", "S256"),
        ],
    )
    .await;
    let pkce = |verifier: &str| {
        [
            ("grant_type", "authorization_code".to_owned()),
            ("code", code.clone()),
            ("redirect_uri", REDIRECT.to_owned()),
            ("client_id", client_id.clone()),
            ("scope", "public chat".to_owned()),
            ("code_verifier", verifier.to_owned()),
        ]
    };
    let wrong = pkce("wrong-verifier-wrong-verifier-wrong-verifier");
    let (status, json) = token(&server, Placement::Form, &borrowed(&wrong)).await;
    assert_eq!(
        (status, json["error"].as_str()),
        (400, Some("invalid_grant")),
        "{json}"
    );
    let (status, json) = token(
        &server,
        Placement::Form,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("client_id", &client_id),
        ],
    )
    .await;
    assert_eq!(
        (status, json["error"].as_str()),
        (400, Some("invalid_request")),
        "{json}"
    );
    let right = pkce(&verifier);
    let (status, pkce_token) = token(&server, Placement::Form, &borrowed(&right)).await;
    assert_eq!(status, 200, "{pkce_token}");
    assert_token_shape(&pkce_token, "public chat", true);

    // A public (PKCE) client refreshes without a secret; the refresh token rotates.
    let old_refresh = pkce_token["refresh_token"].as_str().unwrap();
    let old_access = pkce_token["access_token"].as_str().unwrap();
    let refresh = [
        ("grant_type", "refresh_token"),
        ("refresh_token", old_refresh),
        ("client_id", client_id.as_str()),
        ("redirect_uri", REDIRECT),
    ];
    let (status, refreshed) = token(&server, Placement::Query, &refresh).await;
    assert_eq!(status, 200, "{refreshed}");
    assert_token_shape(&refreshed, "public chat", true);
    assert_ne!(refreshed["refresh_token"].as_str().unwrap(), old_refresh);
    assert_eq!(
        introspect(&server, &client, old_access).await["active"],
        false
    );
    let (status, json) = token(&server, Placement::Query, &refresh).await;
    assert_eq!(
        (status, json["error"].as_str()),
        (400, Some("invalid_grant"))
    );

    // A confidential client's refresh token needs the secret; narrowing scopes is allowed.
    let code = code_for(&viewer, &client_id, &[]).await;
    let (_, confidential) = token(
        &server,
        Placement::Query,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", REDIRECT),
            ("client_id", &client_id),
            ("client_secret", &secret),
        ],
    )
    .await;
    let refresh_token = confidential["refresh_token"].as_str().unwrap();
    let (status, json) = token(
        &server,
        Placement::Form,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token),
            ("client_id", &client_id),
        ],
    )
    .await;
    assert_eq!(
        (status, json["error"].as_str()),
        (401, Some("invalid_client"))
    );
    let (status, json) = token(
        &server,
        Placement::Form,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token),
            ("client_id", &client_id),
            ("client_secret", &secret),
            ("scope", "public email"),
        ],
    )
    .await;
    assert_eq!(
        (status, json["error"].as_str()),
        (400, Some("invalid_scope"))
    );
    let (status, narrowed) = token(
        &server,
        Placement::Form,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token),
            ("client_id", &client_id),
            ("client_secret", &secret),
            ("scope", "public"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{narrowed}");
    assert_eq!(narrowed["scope"], "public");

    // Revoke, then introspect shows the token inactive.
    let access = refreshed["access_token"].as_str().unwrap();
    assert_eq!(introspect(&server, &client, access).await["active"], true);
    let (status, body) = token_request(
        &server,
        "/api/oauth/revoke",
        Placement::Query,
        &[("client_id", &client_id), ("token", access)],
    )
    .await;
    assert_eq!((status, body), (200, Value::Null));
    let info = introspect(&server, &client, access).await;
    assert_eq!(info, serde_json::json!({"active": false}));

    // Introspection needs the client's secret.
    let (status, json) = token_request(
        &server,
        "/api/oauth/introspect",
        Placement::Form,
        &[("client_id", &client_id), ("token", access)],
    )
    .await;
    assert_eq!(
        (status, json["error"].as_str()),
        (401, Some("invalid_client"))
    );
}

#[tokio::test]
async fn client_credentials_in_every_placement_and_client_errors() {
    let server = Server::start();
    server.create_user("ingestowner", PASSWORD, true);
    let (client_id, secret) = server.create_app("ingestowner", "Ingest", None, true);
    let client = (client_id.clone(), secret.clone());
    let owner = Browser::new(&server);
    assert_eq!(owner.login("ingestowner", PASSWORD).await, 303);
    let (_, page) = owner.get("/users/settings/applications").await;
    assert!(
        page.contains("Ingest</strong></a> <span class=\"badge\">Ingest</span>"),
        "{page}"
    );

    // PHP client: query string only, no body at all.
    let response = reqwest::Client::new()
        .post(server.url(&format!("/api/oauth/token?grant_type=client_credentials&client_id={client_id}&client_secret={secret}")))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["access-control-allow-origin"], "*");
    assert_eq!(response.headers()["cache-control"], "no-store");
    let json: Value = response.json().await.unwrap();
    assert_token_shape(&json, "public email chat follow stream_info", false);
    assert!(json["refresh_token"].is_null());

    // glimesh-rs: form body with `scope=public+chat`; an empty scope gets the defaults.
    let (status, json) = token(
        &server,
        Placement::Form,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", &client_id),
            ("client_secret", &secret),
            ("scope", "public chat"),
        ],
    )
    .await;
    assert_eq!(status, 200);
    assert_token_shape(&json, "public chat", false);
    let info = introspect(&server, &client, json["access_token"].as_str().unwrap()).await;
    assert_eq!(info["active"], true);
    assert!(info.get("username").is_none() && info.get("sub").is_none());
    let (status, json) = token(
        &server,
        Placement::Form,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", &client_id),
            ("client_secret", &secret),
            ("scope", ""),
        ],
    )
    .await;
    assert_eq!(
        (status, json["scope"].as_str()),
        (200, Some("public email chat follow stream_info"))
    );

    // Chatbot: query string with a form content type and an empty body; JSON bodies work too.
    let response = reqwest::Client::new()
        .post(server.url(&format!("/api/oauth/token?grant_type=client_credentials&client_id={client_id}&client_secret={secret}&scope=chat%20public")))
        .header("content-type", "application/x-www-form-urlencoded")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let response = reqwest::Client::new()
        .post(server.url("/api/oauth/token"))
        .json(&serde_json::json!({"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret, "scope": "streamkey"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.json::<Value>().await.unwrap()["scope"],
        "streamkey"
    );

    // HTTP Basic client authentication.
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("{client_id}:{secret}"));
    let response = reqwest::Client::new()
        .post(server.url("/api/oauth/token"))
        .header("authorization", format!("Basic {basic}"))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);

    // Refusals in RFC 6749 form.
    let cases: Vec<RefusalCase> = vec![
        (
            vec![
                ("grant_type", "client_credentials"),
                ("client_id", &client_id),
                ("client_secret", "wrong"),
            ],
            401,
            "invalid_client",
            "wrong",
        ),
        (
            vec![
                ("grant_type", "client_credentials"),
                ("client_id", "no-such-client"),
                ("client_secret", &secret),
            ],
            401,
            "invalid_client",
            "unknown",
        ),
        (
            vec![
                ("grant_type", "client_credentials"),
                ("client_id", &client_id),
            ],
            401,
            "invalid_client",
            "client_secret is missing",
        ),
        (
            vec![("client_id", &client_id), ("client_secret", &secret)],
            400,
            "invalid_request",
            "grant_type is missing",
        ),
        (
            vec![("grant_type", "password"), ("client_id", &client_id)],
            400,
            "unsupported_grant_type",
            "password",
        ),
        (
            vec![
                ("grant_type", "client_credentials"),
                ("client_id", &client_id),
                ("client_secret", &secret),
                ("scope", "public admin"),
            ],
            400,
            "invalid_scope",
            "admin",
        ),
        (
            vec![
                ("grant_type", "authorization_code"),
                ("client_id", &client_id),
                ("client_secret", &secret),
                ("code", "made-up"),
            ],
            400,
            "invalid_grant",
            "not valid",
        ),
        (
            vec![
                ("grant_type", "refresh_token"),
                ("client_id", &client_id),
                ("client_secret", &secret),
            ],
            400,
            "invalid_request",
            "refresh_token is missing",
        ),
    ];
    for (params, expected_status, code, words) in cases {
        let (status, json) = token(&server, Placement::Query, &params).await;
        assert_eq!(
            (status, json["error"].as_str()),
            (expected_status, Some(code)),
            "{params:?}: {json}"
        );
        assert!(
            json["error_description"].as_str().unwrap().contains(words),
            "{json}"
        );
    }
    let response = reqwest::Client::new()
        .post(server.url("/api/oauth/token"))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    assert_eq!(
        response.json::<Value>().await.unwrap()["error"],
        "invalid_request"
    );

    let response = reqwest::Client::new()
        .post(server.url("/api/oauth/token"))
        .form(&[
            ("grant_type", "client_credentials"),
            ("padding", &"x".repeat(40_000)),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let json: Value = response.json().await.unwrap();
    assert!(
        json["error_description"]
            .as_str()
            .unwrap()
            .contains("larger than 16 KB"),
        "{json}"
    );

    // The per-client rate limit answers 429 with a JSON error and Retry-After.
    let mut limited = None;
    for _ in 0..40 {
        let response = reqwest::Client::new()
            .post(server.url("/api/oauth/token"))
            .form(&[
                ("grant_type", "client_credentials"),
                ("client_id", &client_id),
                ("client_secret", &secret),
            ])
            .send()
            .await
            .unwrap();
        if response.status() == 429 {
            limited = Some(response);
            break;
        }
    }
    let limited = limited.expect("the token endpoint never rate limited");
    assert!(limited.headers().contains_key("retry-after"));
    let json: Value = limited.json().await.unwrap();
    assert_eq!(json["error"], "too_many_requests");
    assert!(json["error_description"]
        .as_str()
        .unwrap()
        .contains("Try again in"));
}

/// Parameters, then the expected status, error code and words in the description.
type RefusalCase<'a> = (Vec<(&'a str, &'a str)>, u16, &'a str, &'a str);

fn urlencode(value: &str) -> String {
    serde_urlencoded::to_string([("v", value)]).unwrap()[2..].to_owned()
}

#[tokio::test]
async fn consent_redirect_rules_expiry_and_login_return() {
    let server = Server::start();
    let dev = signed_in(&server, "appdev2").await;
    let second = "https://app.example/callback";
    let (_, client_id, secret) =
        create_app_in_ui(&dev, "Two Redirects", &format!("{REDIRECT}\n{second}")).await;
    let viewer = signed_in(&server, "viewer2").await;

    // Unknown client, unknown or missing redirect URI: an error page, never a redirect.
    for query in [
        format!(
            "client_id=nope&redirect_uri={}&response_type=code",
            urlencode(REDIRECT)
        ),
        format!(
            "client_id={client_id}&redirect_uri={}&response_type=code",
            urlencode("https://evil.example/cb")
        ),
        format!(
            "client_id={client_id}&redirect_uri={}&response_type=code",
            urlencode("http://127.0.0.1:9/callback/extra")
        ),
        format!("client_id={client_id}&response_type=code"),
    ] {
        let (status, body) = viewer.get(&format!("/oauth/authorize?{query}")).await;
        assert_eq!(status, 400, "{query}");
        assert!(
            body.contains("client_id") || body.contains("redirect_uri"),
            "{body}"
        );
    }

    // With a registered redirect URI, errors go back to it with the state.
    let response = viewer
        .client
        .get(server.url(&format!("/oauth/authorize?client_id={client_id}&redirect_uri={}&response_type=code&scope=public%20admin&state=abc", urlencode(second))))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with(second));
    assert_eq!(
        query_value(&location, "error").as_deref(),
        Some("invalid_scope")
    );
    assert_eq!(query_value(&location, "state").as_deref(), Some("abc"));
    let response = viewer
        .client
        .get(server.url(&format!(
            "/oauth/authorize?client_id={client_id}&redirect_uri={}&response_type=token",
            urlencode(second)
        )))
        .send()
        .await
        .unwrap();
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(
        query_value(&location, "error").as_deref(),
        Some("unsupported_response_type")
    );

    // Deny sends access_denied back.
    let location = authorize(
        &viewer,
        &[
            ("client_id", &client_id),
            ("redirect_uri", second),
            ("response_type", "code"),
            ("state", "d1"),
        ],
        "deny",
    )
    .await;
    assert_eq!(
        query_value(&location, "error").as_deref(),
        Some("access_denied")
    );
    assert_eq!(query_value(&location, "state").as_deref(), Some("d1"));
    assert!(query_value(&location, "code").is_none());

    // The code must be exchanged with the redirect URI it was issued for, within 60 s.
    let code = code_for(&viewer, &client_id, &[]).await;
    let (status, json) = token(
        &server,
        Placement::Query,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", second),
            ("client_id", &client_id),
            ("client_secret", &secret),
        ],
    )
    .await;
    assert_eq!(
        (status, json["error"].as_str()),
        (400, Some("invalid_grant")),
        "{json}"
    );
    {
        let mut database = server.database().await;
        sqlx::query("UPDATE oauth_codes SET expires_at = 0")
            .execute(&mut database)
            .await
            .unwrap();
    }
    let (status, json) = token(
        &server,
        Placement::Query,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", REDIRECT),
            ("client_id", &client_id),
            ("client_secret", &secret),
        ],
    )
    .await;
    assert_eq!(
        (status, json["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    assert!(json["error_description"]
        .as_str()
        .unwrap()
        .contains("expired"));

    // Redirect URIs must be https except on loopback.
    let (status, _, body) = dev
        .post_form(
            "/users/settings/applications",
            "/users/settings/applications",
            &[
                ("name", "Insecure"),
                ("redirect_uris", "http://example.com/cb"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(body.contains("must use https"), "{body}");
    create_app_in_ui(
        &dev,
        "Loopbacks",
        "http://localhost:3000/cb\nhttp://[::1]/cb\nhttps://x.example/cb",
    )
    .await;

    // Signed out, the consent page sends people to log in and back.
    let stranger = Browser::new(&server);
    server.create_user("viewer3", PASSWORD, true);
    let path = format!(
        "/oauth/authorize?client_id={client_id}&redirect_uri={}&response_type=code",
        urlencode(REDIRECT)
    );
    let response = stranger.client.get(server.url(&path)).send().await.unwrap();
    assert_eq!(response.status(), 303);
    let login = response.headers()["location"].to_str().unwrap().to_owned();
    assert!(login.starts_with("/users/login?return_to="), "{login}");
    let (_, login_page) = stranger.get(&login).await;
    let return_to = input_value_named(&login_page, "return_to");
    let (status, location, _) = stranger
        .post_form(
            &login,
            "/users/login",
            &[
                ("login", "viewer3"),
                ("password", PASSWORD),
                ("return_to", &return_to),
            ],
        )
        .await;
    assert_eq!(status, 303);
    assert!(return_to.starts_with("/oauth/authorize?client_id="));
    assert_eq!(location.as_deref(), Some(return_to.as_str()));
    let elsewhere = Browser::new(&server);
    let (status, location, _) = elsewhere
        .post_form(
            "/users/login",
            "/users/login",
            &[
                ("login", "viewer3"),
                ("password", PASSWORD),
                ("return_to", "//evil.example/"),
            ],
        )
        .await;
    assert_eq!(
        (status, location.as_deref()),
        (303, Some("/?notice=logged_in"))
    );
}

/// The value of a hidden `<input name=NAME value=...>`.
fn input_value_named(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no {name} input"))
        + marker.len();
    unescape_html(&html[start..start + html[start..].find('"').unwrap()])
}

/// An attribute value as the browser reads it (the escapes our templates write), decoded in
/// one pass so that an escaped `&amp;` stays `&amp;`.
fn unescape_html(value: &str) -> String {
    let mut plain = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(at) = rest.find('&') {
        plain.push_str(&rest[..at]);
        rest = &rest[at..];
        let entity = rest.find(';').map(|end| &rest[..=end]);
        let decoded = match entity {
            Some("&#38;" | "&amp;") => '&',
            Some("&#34;" | "&quot;") => '"',
            Some("&#39;") => '\'',
            Some("&#60;" | "&lt;") => '<',
            Some("&#62;" | "&gt;") => '>',
            _ => {
                plain.push('&');
                rest = &rest[1..];
                continue;
            }
        };
        plain.push(decoded);
        rest = &rest[entity.map_or(1, str::len)..];
    }
    plain.push_str(rest);
    plain
}

fn png() -> Vec<u8> {
    let image = image::RgbaImage::from_pixel(96, 96, image::Rgba([20, 120, 220, 255]));
    let mut bytes = Vec::new();
    image
        .write_to(
            &mut std::io::Cursor::new(&mut bytes),
            image::ImageFormat::Png,
        )
        .unwrap();
    bytes
}

async fn upload_logo(browser: &Browser, id: i64, bytes: Vec<u8>) -> (u16, String) {
    let form = reqwest::multipart::Form::new().part(
        "logo",
        reqwest::multipart::Part::bytes(bytes)
            .file_name("logo.png")
            .mime_str("image/png")
            .unwrap(),
    );
    browser
        .post_multipart(
            "/users/settings/profile",
            &format!("/users/settings/applications/{id}/logo"),
            form,
        )
        .await
}

#[tokio::test]
async fn apps_and_grants_belong_to_their_owners() {
    let server = Server::start();
    let owner = signed_in(&server, "appowner").await;
    let (id, client_id, secret) = create_app_in_ui(&owner, "Owned App", REDIRECT).await;
    let client = (client_id.clone(), secret.clone());
    let other = signed_in(&server, "intruder").await;
    let base = format!("/users/settings/applications/{id}");

    // Another user can neither see nor change the app.
    assert_eq!(other.get(&base).await.0, 403);
    assert_eq!(other.get(&format!("{base}/delete")).await.0, 403);
    for (action, fields) in [
        (
            base.clone(),
            vec![
                ("name", "Stolen"),
                ("redirect_uris", "https://evil.example/cb"),
            ],
        ),
        (format!("{base}/rotate"), vec![]),
        (format!("{base}/delete"), vec![("confirm", "Owned App")]),
    ] {
        let (status, _, _) = other
            .post_form("/users/settings/profile", &action, &fields)
            .await;
        assert_eq!(status, 403, "{action}");
    }
    assert_eq!(upload_logo(&other, id, png()).await.0, 403);
    let (_, page) = other.get("/users/settings/applications").await;
    assert!(!page.contains("Owned App"));
    let (status, _) = token(
        &server,
        Placement::Form,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", &client_id),
            ("client_secret", &secret),
        ],
    )
    .await;
    assert_eq!(status, 200, "the intruder's attempts changed nothing");

    // The owner edits, uploads a logo (decoded), and rotates the secret (shown once).
    let (status, location, _) = owner
        .post_form(
            &base,
            &base,
            &[
                ("name", "Owned App"),
                ("description", "Edited"),
                ("redirect_uris", REDIRECT),
            ],
        )
        .await;
    assert_eq!(
        (status, location.as_deref()),
        (303, Some(format!("{base}?notice=app_saved").as_str()))
    );
    let (status, body) = upload_logo(&owner, id, b"\x89PNG\r\n\x1a\nnot really".to_vec()).await;
    assert_eq!(status, 422);
    assert!(body.contains("damaged"), "{body}");
    assert_eq!(upload_logo(&owner, id, png()).await.0, 303);
    let (_, page) = owner.get(&base).await;
    let logo_src = page
        .split("src=\"/oauth/logos/")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let logo = reqwest::get(server.url(&format!("/oauth/logos/{logo_src}")))
        .await
        .unwrap();
    assert_eq!(logo.headers()["content-type"], "image/png");
    assert!(
        !page.contains("client-secret"),
        "the secret is shown only once"
    );
    let (status, _, rotated) = owner.post_form(&base, &format!("{base}/rotate"), &[]).await;
    assert_eq!(status, 200);
    let new_secret = input_value(&rotated, "client-secret");
    let (status, _) = token(
        &server,
        Placement::Form,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", &client_id),
            ("client_secret", &secret),
        ],
    )
    .await;
    assert_eq!(status, 401, "the old secret stopped working");
    let (status, _) = token(
        &server,
        Placement::Form,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", &client_id),
            ("client_secret", &new_secret),
        ],
    )
    .await;
    assert_eq!(status, 200);
    let client = (client.0, new_secret.clone());

    // A user's grants: listed for them, revocable only by them.
    let viewer = signed_in(&server, "granter").await;
    let code = code_for(&viewer, &client_id, &[]).await;
    let (_, issued) = token(
        &server,
        Placement::Query,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", REDIRECT),
            ("client_id", &client_id),
            ("client_secret", &new_secret),
        ],
    )
    .await;
    let access = issued["access_token"].as_str().unwrap();
    let (_, page) = viewer.get("/users/settings/authorizations").await;
    assert!(
        page.contains("Owned App") && page.contains("Send chat messages"),
        "{page}"
    );
    let revoke_path = format!("/users/settings/authorizations/{id}/revoke");
    let (status, _, _) = other
        .post_form("/users/settings/authorizations", &revoke_path, &[])
        .await;
    assert_eq!(status, 303);
    assert_eq!(
        introspect(&server, &client, access).await["active"],
        true,
        "another user cannot revoke my grant"
    );
    let (status, _, _) = viewer
        .post_form("/users/settings/authorizations", &revoke_path, &[])
        .await;
    assert_eq!(status, 303);
    assert_eq!(introspect(&server, &client, access).await["active"], false);
    let (_, page) = viewer.get("/users/settings/authorizations").await;
    assert!(!page.contains("Owned App"));

    // Deleting needs the exact name, then removes the app and its credentials.
    let (status, _, _) = owner
        .post_form(
            &base,
            &format!("{base}/delete"),
            &[("confirm", "owned app")],
        )
        .await;
    assert_eq!(status, 422);
    let (status, location, _) = owner
        .post_form(
            &base,
            &format!("{base}/delete"),
            &[("confirm", "Owned App")],
        )
        .await;
    assert_eq!(
        (status, location.as_deref()),
        (303, Some("/users/settings/applications?notice=app_deleted"))
    );
    let (status, json) = token(
        &server,
        Placement::Form,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", &client_id),
            ("client_secret", &new_secret),
        ],
    )
    .await;
    assert_eq!(
        (status, json["error"].as_str()),
        (401, Some("invalid_client"))
    );
    assert_eq!(owner.get(&base).await.0, 404);

    // One user owns at most 25 applications.
    for index in 0..25 {
        create_app_in_ui(&other, &format!("App number {index}"), "").await;
    }
    let (status, _, body) = other
        .post_form(
            "/users/settings/applications",
            "/users/settings/applications",
            &[("name", "One too many")],
        )
        .await;
    assert_eq!(status, 422);
    assert!(body.contains("at most 25 applications"), "{body}");
}

/// One number a query counts.
async fn count(database: &mut sqlx::SqliteConnection, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(database).await.unwrap()
}

/// The Location of a GET, which must be a redirect.
async fn redirected(browser: &Browser, server: &Server, path: &str) -> String {
    let response = browser.client.get(server.url(path)).send().await.unwrap();
    assert_eq!(response.status(), 303, "{path}");
    response.headers()["location"].to_str().unwrap().to_owned()
}

/// The query pairs of a site-relative path.
fn relative_query(path: &str) -> Vec<(String, String)> {
    reqwest::Url::parse(&format!("http://site.invalid{path}"))
        .unwrap()
        .query_pairs()
        .map(|(key, value)| (key.into_owned(), value.into_owned()))
        .collect()
}

#[tokio::test]
async fn implicit_flow_is_refused_back_to_a_trusted_client_only() {
    let server = Server::start();
    let dev = signed_in(&server, "appdev5").await;
    let (_, client_id, _) = create_app_in_ui(&dev, "Implicit Hopeful", REDIRECT).await;
    let viewer = signed_in(&server, "viewer5").await;
    let stranger = Browser::new(&server);

    // A known client and its registered redirect URI: back there with the error and the state,
    // in the query, with no code or token, signed in or not (nobody logs in for a refusal).
    for browser in [&viewer, &stranger] {
        let location = redirected(
            browser,
            &server,
            &format!(
                "/oauth/authorize?client_id={client_id}&redirect_uri={}&response_type=token&scope=public&state=st%2F5%26x",
                urlencode(REDIRECT)
            ),
        )
        .await;
        assert!(location.starts_with(&format!("{REDIRECT}?")), "{location}");
        assert_eq!(
            query_value(&location, "error").as_deref(),
            Some("unsupported_response_type")
        );
        assert_eq!(query_value(&location, "state").as_deref(), Some("st/5&x"));
        assert!(query_value(&location, "error_description")
            .unwrap()
            .contains("response_type=code"));
        assert!(query_value(&location, "code").is_none() && !location.contains('#'));
    }
    // Left out, response_type is a malformed request rather than an unsupported one.
    let location = redirected(
        &viewer,
        &server,
        &format!("/oauth/authorize?client_id={client_id}&state=s5"),
    )
    .await;
    assert_eq!(
        query_value(&location, "error").as_deref(),
        Some("invalid_request")
    );
    assert_eq!(query_value(&location, "state").as_deref(), Some("s5"));

    // An unknown client or an unregistered redirect URI: our own error page, never a redirect.
    for query in [
        format!(
            "client_id=nope&redirect_uri={}&response_type=token&state=s",
            urlencode(REDIRECT)
        ),
        format!(
            "client_id={client_id}&redirect_uri={}&response_type=token&state=s",
            urlencode("https://evil.example/cb")
        ),
    ] {
        for browser in [&viewer, &stranger] {
            let response = browser
                .client
                .get(server.url(&format!("/oauth/authorize?{query}")))
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 400, "{query}");
            assert!(response.headers().get("location").is_none(), "{query}");
            let body = response.text().await.unwrap();
            assert!(
                body.contains("client_id") || body.contains("redirect_uri"),
                "{body}"
            );
            assert!(!body.contains("evil.example"), "{body}");
        }
    }
}

#[tokio::test]
async fn a_two_factor_login_returns_to_the_consent_page_and_only_there() {
    let server = Server::start();
    let dev = signed_in(&server, "appdev6").await;
    let (_, client_id, _) = create_app_in_ui(&dev, "Careful App", REDIRECT).await;
    let owner = signed_in(&server, "careful6").await;
    let (totp, recovery) = support::enrol_two_factor(&owner).await;

    // Signed out, the consent page sends the visitor to log in with a way back.
    let visitor = Browser::new(&server);
    let original = [
        ("client_id", client_id.as_str()),
        ("redirect_uri", REDIRECT),
        ("response_type", "code"),
        ("scope", "public chat"),
        ("state", "st/6&x y"),
    ];
    let consent = format!(
        "/oauth/authorize?{}",
        serde_urlencoded::to_string(original).unwrap()
    );
    let login = redirected(&visitor, &server, &consent).await;
    let back = query_value(&format!("http://site.invalid{login}"), "return_to").unwrap();
    let (_, login_page) = visitor.get(&login).await;
    assert_eq!(input_value_named(&login_page, "return_to"), back);

    // The password leads to the code step, still carrying the way back.
    let (status, location, _) = visitor
        .post_form(
            &login,
            "/users/login",
            &[
                ("login", "careful6"),
                ("password", PASSWORD),
                ("return_to", &back),
            ],
        )
        .await;
    assert_eq!(status, 303);
    let code_step = location.unwrap();
    assert!(
        code_step.starts_with("/users/login/two-factor?return_to="),
        "{code_step}"
    );
    let (status, code_page) = visitor.get(&code_step).await;
    assert_eq!(status, 200, "{code_page}");
    assert_eq!(input_value_named(&code_page, "return_to"), back);

    // A wrong code keeps the way back on the page it shows again.
    let (status, _, page) = visitor
        .post_form(
            &code_step,
            "/users/login/two-factor",
            &[("code", "000000"), ("return_to", &back)],
        )
        .await;
    assert_eq!(status, 422, "{page}");
    assert_eq!(input_value_named(&page, "return_to"), back);

    // The right code ends on the consent page with the original request intact.
    let (status, location, _) = visitor
        .post_form(
            &code_step,
            "/users/login/two-factor",
            &[
                ("code", &support::totp_code(&totp, 1)),
                ("return_to", &back),
            ],
        )
        .await;
    assert_eq!(status, 303);
    let landed = location.unwrap();
    assert_eq!(landed, back);
    let expected: Vec<(String, String)> = original
        .iter()
        .map(|(key, value)| ((*key).to_owned(), (*value).to_owned()))
        .collect();
    assert_eq!(relative_query(&landed), expected);
    let (status, page) = visitor.get(&landed).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("Careful App"), "{page}");
    let location = authorize(&visitor, &original, "authorize").await;
    assert!(location.starts_with(REDIRECT), "{location}");
    assert_eq!(query_value(&location, "state").as_deref(), Some("st/6&x y"));
    assert!(query_value(&location, "code").is_some());

    // The second step is no way to another site: whatever arrives at either step, a way back
    // that is not a path on this site is dropped and the log-in ends at home.
    for (attempt, evil) in [
        "//evil.example/",
        "https://evil.example/",
        "/\\evil.example",
        "javascript:alert(1)",
    ]
    .into_iter()
    .enumerate()
    {
        let attacker = Browser::new(&server);
        let (status, location, _) = attacker
            .post_form(
                "/users/login",
                "/users/login",
                &[
                    ("login", "careful6"),
                    ("password", PASSWORD),
                    ("return_to", evil),
                ],
            )
            .await;
        assert_eq!(
            (status, location.as_deref()),
            (303, Some("/users/login/two-factor")),
            "{evil}"
        );
        let crafted = format!("/users/login/two-factor?return_to={}", urlencode(evil));
        let (status, page) = attacker.get(&crafted).await;
        assert_eq!(status, 200, "{page}");
        assert!(!page.contains("name=\"return_to\""), "{evil}: {page}");
        assert!(!page.contains("evil.example"), "{evil}: {page}");
        let (status, location, _) = attacker
            .post_form(
                &crafted,
                "/users/login/two-factor",
                &[("code", &recovery[attempt]), ("return_to", evil)],
            )
            .await;
        assert_eq!(
            (status, location.as_deref()),
            (303, Some("/?notice=logged_in")),
            "{evil}"
        );
    }
}

#[tokio::test]
async fn serve_deletes_expired_codes_and_tokens_but_keeps_live_refresh_tokens() {
    let data = tempfile::tempdir().unwrap();
    let server = Server::start_in(
        data.path(),
        &[("SHIMMER_OAUTH__CLEANUP_INTERVAL_SECS", "1")],
    );
    let dev = signed_in(&server, "appdev7").await;
    let (_, client_id, secret) = create_app_in_ui(&dev, "Sweeper", REDIRECT).await;
    let viewer = signed_in(&server, "viewer7").await;
    let code = code_for(&viewer, &client_id, &[]).await;
    let exchange = [
        ("grant_type", "authorization_code"),
        ("code", code.as_str()),
        ("redirect_uri", REDIRECT),
        ("client_id", &client_id),
        ("client_secret", &secret),
    ];
    let (status, granted) = token(&server, Placement::Form, &exchange).await;
    assert_eq!(status, 200, "{granted}");
    let (status, machine) = token(
        &server,
        Placement::Form,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", &client_id),
            ("client_secret", &secret),
        ],
    )
    .await;
    assert_eq!(status, 200, "{machine}");

    // Age everything by hand: the code and the machine token expired long ago, the user's
    // access token too, but its refresh token has weeks left.
    let mut database = server.database().await;
    for statement in [
        "UPDATE oauth_codes SET expires_at = 0",
        "UPDATE oauth_tokens SET expires_at = 0",
    ] {
        sqlx::query(statement).execute(&mut database).await.unwrap();
    }
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    loop {
        let codes = count(&mut database, "SELECT COUNT(*) FROM oauth_codes").await;
        let machines = count(
            &mut database,
            "SELECT COUNT(*) FROM oauth_tokens WHERE user_id IS NULL",
        )
        .await;
        if codes == 0 && machines == 0 {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "expired rows still there after 15 s: {codes} codes, {machines} machine tokens"
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    assert_eq!(
        count(
            &mut database,
            "SELECT COUNT(*) FROM oauth_tokens WHERE user_id IS NOT NULL"
        )
        .await,
        1
    );

    // The user's grant still works through its refresh token; the swept ones do not.
    let (status, json) = token(
        &server,
        Placement::Form,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", granted["refresh_token"].as_str().unwrap()),
            ("client_id", &client_id),
            ("client_secret", &secret),
        ],
    )
    .await;
    assert_eq!(status, 200, "{json}");
    let client = (client_id.clone(), secret.clone());
    assert_eq!(
        introspect(&server, &client, json["access_token"].as_str().unwrap()).await["active"],
        true
    );
    assert_eq!(
        introspect(&server, &client, machine["access_token"].as_str().unwrap()).await["active"],
        false
    );
    let (status, json) = token(&server, Placement::Form, &exchange).await;
    assert_eq!(
        (status, json["error"].as_str()),
        (400, Some("invalid_grant"))
    );
}

#[tokio::test]
async fn the_code_exchange_repeats_the_redirect_uri_the_authorization_named() {
    let server = Server::start();
    let dev = signed_in(&server, "appdev9").await;
    let (_, client_id, secret) = create_app_in_ui(&dev, "Strict Bot", REDIRECT).await;
    let viewer = signed_in(&server, "viewer9").await;
    let exchange = |code: String, redirect: Option<&'static str>| {
        let mut params = vec![
            ("grant_type", "authorization_code".to_owned()),
            ("code", code),
            ("client_id", client_id.clone()),
            ("client_secret", secret.clone()),
        ];
        if let Some(uri) = redirect {
            params.push(("redirect_uri", uri.to_owned()));
        }
        params
    };

    // RFC 6749 4.1.3: the authorization request named redirect_uri, so the exchange must too.
    let code = code_for(&viewer, &client_id, &[]).await;
    let missing = exchange(code.clone(), None);
    let (status, json) = token(&server, Placement::Form, &borrowed(&missing)).await;
    assert_eq!(
        (status, json["error"].as_str()),
        (400, Some("invalid_request")),
        "{json}"
    );
    assert!(json["error_description"]
        .as_str()
        .unwrap()
        .contains("redirect_uri"));
    let other = exchange(code.clone(), Some("http://127.0.0.1:9/elsewhere"));
    let (status, json) = token(&server, Placement::Form, &borrowed(&other)).await;
    assert_eq!(
        (status, json["error"].as_str()),
        (400, Some("invalid_grant")),
        "{json}"
    );
    let named = exchange(code, Some(REDIRECT));
    let (status, json) = token(&server, Placement::Form, &borrowed(&named)).await;
    assert_eq!(status, 200, "the refusals did not use the code up: {json}");

    // An authorization request without redirect_uri (the app registered one) needs none.
    let location = authorize(
        &viewer,
        &[
            ("client_id", client_id.as_str()),
            ("response_type", "code"),
            ("scope", "public"),
        ],
        "authorize",
    )
    .await;
    assert!(location.starts_with(REDIRECT), "{location}");
    let code = query_value(&location, "code").unwrap();
    let (status, json) = token(&server, Placement::Form, &borrowed(&exchange(code, None))).await;
    assert_eq!(status, 200, "{json}");
}
