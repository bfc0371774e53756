//! What a probe of the running server found exposed or accepted, each against a real server
//! process: metrics on their own listener (and behind a token), HSTS on HTTPS sites, form
//! bodies that are not UTF-8, and compression (static assets only, never pages).

mod support;

use support::{Browser, Server};

const PASSWORD: &str = "correct horse battery staple";

async fn get(url: &str, bearer: Option<&str>) -> reqwest::Response {
    let mut request = reqwest::Client::new().get(url);
    if let Some(token) = bearer {
        request = request.bearer_auth(token);
    }
    request.send().await.unwrap()
}

#[tokio::test]
async fn metrics_are_on_their_own_listener_not_the_public_site() {
    let (server, _) = Server::start_with_ftl(&[("SHIMMER_DEV_MODE", "false")]);
    reqwest::get(server.url("/")).await.unwrap();
    let public = get(&server.url("/metrics"), None).await;
    assert_eq!(public.status(), 404, "the public site hides metrics");
    let text = public.text().await.unwrap();
    assert!(!text.contains("http_requests_total"), "{text}");

    assert_ne!(
        server.metrics_url, server.base_url,
        "the ready file names a separate metrics address"
    );
    let metrics = server.metrics().await;
    assert!(metrics.contains("http_requests_total"), "{metrics}");
    assert!(metrics.contains("route=\"/\""), "{metrics}");
    let other = get(&format!("{}/", server.metrics_url), None).await;
    assert_eq!(other.status(), 404, "the listener serves only /metrics");
}

#[tokio::test]
async fn a_metrics_token_opens_metrics_to_its_bearer_only() {
    let (server, _) = Server::start_with_ftl(&[
        ("SHIMMER_DEV_MODE", "false"),
        ("SHIMMER_METRICS_TOKEN", "scrape-secret-1"),
    ]);
    for base in [&server.base_url, &server.metrics_url] {
        let url = format!("{base}/metrics");
        let anonymous = get(&url, None).await;
        assert_eq!(anonymous.status(), 401, "{url}");
        assert_eq!(anonymous.headers()["www-authenticate"], "Bearer");
        assert_eq!(get(&url, Some("wrong")).await.status(), 401, "{url}");
        let scraped = get(&url, Some("scrape-secret-1")).await;
        assert_eq!(scraped.status(), 200, "{url}");
        assert!(scraped.text().await.unwrap().contains("# TYPE"));
    }
}

#[tokio::test]
async fn development_mode_keeps_metrics_on_the_site() {
    let server = Server::start();
    reqwest::get(server.url("/")).await.unwrap();
    let response = get(&server.url("/metrics"), None).await;
    assert_eq!(response.status(), 200);
    assert!(response
        .text()
        .await
        .unwrap()
        .contains("http_requests_total"));
    assert!(server.metrics().await.contains("http_requests_total"));
}

#[tokio::test]
async fn https_sites_send_strict_transport_security_and_http_sites_do_not() {
    let (https, _) = Server::start_with_ftl(&[("SHIMMER_BASE_URL", "https://stream.example.test")]);
    for path in ["/", "/healthz", "/users/login", "/no-such-page"] {
        let response = get(&https.url(path), None).await;
        assert_eq!(
            response.headers()["strict-transport-security"],
            "max-age=31536000",
            "{path}"
        );
    }
    let http = Server::start();
    let response = get(&http.url("/"), None).await;
    assert!(response
        .headers()
        .get("strict-transport-security")
        .is_none());
}

#[tokio::test]
async fn forms_that_are_not_utf8_are_refused_and_nothing_is_stored() {
    let server = Server::start();
    server.create_user("latin", PASSWORD, true);
    let browser = Browser::new(&server);
    assert_eq!(browser.login("latin", PASSWORD).await, 303);
    let token = browser.csrf("/users/settings/profile").await;
    // "café" in Latin-1, as a misconfigured client would send it.
    let body = format!(
        "_csrf={token}&display_name=latin&pronouns=&bio=caf%E9+au+lait&live_message=&youtube_intro="
    );
    let response = browser
        .client
        .post(server.url("/users/settings/profile"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let page = response.text().await.unwrap();
    assert!(page.contains("not valid UTF-8"), "{page}");

    let (_, profile) = browser.get("/latin/profile").await;
    assert!(!profile.contains("au lait"), "the bio was not saved");
    assert!(!profile.contains('\u{FFFD}'));

    // The same form in UTF-8 is saved.
    let (status, _, page) = browser
        .post_form(
            "/users/settings/profile",
            "/users/settings/profile",
            &[
                ("display_name", "latin"),
                ("pronouns", ""),
                ("bio", "café au lait"),
                ("live_message", ""),
                ("youtube_intro", ""),
            ],
        )
        .await;
    assert_eq!(status, 303, "{page}");
    let (_, profile) = browser.get("/latin/profile").await;
    assert!(profile.contains("café au lait"));
}

/// Scripts and styles go out gzipped to a browser that accepts it, and whole to one that does
/// not; each representation has its own ETag. Pages are never compressed: they carry CSRF tokens
/// beside text a visitor chooses (BREACH).
#[tokio::test]
async fn assets_are_gzipped_for_browsers_that_accept_it_and_pages_never() {
    use std::io::Read;

    let server = Server::start();
    let client = reqwest::Client::new();
    let url = server.url("/static/js/chat.js");
    let plain = client.get(&url).send().await.unwrap();
    assert_eq!(plain.status(), 200);
    assert!(plain.headers().get("content-encoding").is_none());
    assert_eq!(plain.headers()["vary"], "accept-encoding");
    let plain_etag = plain.headers()["etag"].to_str().unwrap().to_owned();
    let plain_body = plain.bytes().await.unwrap();

    let gzipped = client
        .get(&url)
        .header("accept-encoding", "gzip, deflate, br, zstd")
        .send()
        .await
        .unwrap();
    assert_eq!(gzipped.status(), 200);
    assert_eq!(gzipped.headers()["content-encoding"], "gzip");
    assert_eq!(gzipped.headers()["vary"], "accept-encoding");
    assert!(gzipped.headers()["content-type"]
        .to_str()
        .unwrap()
        .contains("javascript"));
    let gzip_etag = gzipped.headers()["etag"].to_str().unwrap().to_owned();
    assert_ne!(gzip_etag, plain_etag);
    let compressed = gzipped.bytes().await.unwrap();
    assert!(
        compressed.len() * 3 < plain_body.len(),
        "{} bytes gzipped from {}",
        compressed.len(),
        plain_body.len()
    );
    let mut unpacked = Vec::new();
    flate2::read::GzDecoder::new(&compressed[..])
        .read_to_end(&mut unpacked)
        .unwrap();
    assert_eq!(unpacked, plain_body, "the same script");

    let cached = client
        .get(&url)
        .header("accept-encoding", "gzip")
        .header("if-none-match", &gzip_etag)
        .send()
        .await
        .unwrap();
    assert_eq!(cached.status(), 304);
    let refused = client
        .get(&url)
        .header("accept-encoding", "gzip;q=0")
        .header("if-none-match", &gzip_etag)
        .send()
        .await
        .unwrap();
    assert_eq!(
        refused.status(),
        200,
        "the gzip tag does not name the whole file"
    );
    assert!(refused.headers().get("content-encoding").is_none());

    for page in ["/", "/users/login"] {
        let response = client
            .get(server.url(page))
            .header("accept-encoding", "gzip")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{page}");
        assert!(
            response.headers().get("content-encoding").is_none(),
            "{page} is not compressed"
        );
    }
}
