//! The home page, search and share tags against a real `shimmer serve` with a stream pushed
//! over FTL: visitors get the hero, a signed-in follower the live channels they follow; the
//! header's search is a plain GET form to `/search`, which finds a streamer despite a typo
//! (live, then offline), never an account that never streamed, refuses an over-long query by
//! name and browses when empty; `/api/search` answers the same as JSON; every page carries a
//! description and share tags, a channel page its title, streamer and an absolute thumbnail.

mod support;

use support::{push, wait_until, Browser, Server};

const FAST: &[(&str, &str)] = &[
    ("SHIMMER_FTL__METADATA_INTERVAL_MS", "1000"),
    ("SHIMMER_FTL__MEDIA_TIMEOUT_MS", "2000"),
];

/// The `content` of the first `<meta>` whose attributes include `key` (`property="og:image"`).
fn meta(page: &str, key: &str) -> Option<String> {
    let at = page.find(&format!("<meta {key} content=\""))?;
    let start = at + key.len() + "<meta  content=\"".len();
    Some(page[start..start + page[start..].find('"')?].to_owned())
}

async fn search_json(server: &Server, query: &str) -> (u16, serde_json::Value) {
    let response = reqwest::Client::new()
        .get(server.url("/api/search"))
        .query(&[("q", query)])
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

#[tokio::test]
async fn home_search_and_share_tags_find_streamers_not_accounts() {
    let (server, port) = Server::start_with_ftl(FAST);
    server.create_user("ninjja", "password123", true);
    server.create_user("ninja", "password123", true);
    server.create_user("fan", "password123", true);
    let visitor = Browser::new(&server);
    let fan = Browser::new(&server);
    assert_eq!(fan.login("fan", "password123").await, 303);
    assert_eq!(fan.post_form("/ninjja", "/ninjja/follow", &[]).await.0, 303);

    // Before anyone streamed: the hero and the header's search, no channels found.
    let (status, home) = visitor.get("/").await;
    assert_eq!(status, 200);
    assert!(
        home.contains("data-testid=\"hero\""),
        "visitors get the hero"
    );
    assert!(home.contains("href=\"/users/register\" data-testid=\"start-streaming\""));
    assert!(
        home.contains("<form class=\"site-search\" method=\"get\" action=\"/search\"")
            && home.contains("<label for=\"site-search\""),
        "a labelled GET search form in the header"
    );
    assert!(meta(&home, "name=\"description\"").is_some_and(|d| !d.is_empty()));
    assert_eq!(
        meta(&home, "property=\"og:type\"").as_deref(),
        Some("website")
    );
    assert_eq!(
        meta(&home, "name=\"twitter:card\"").as_deref(),
        Some("summary")
    );
    let (_, json) = search_json(&server, "ninja").await;
    assert_eq!(
        json["channels"],
        serde_json::json!([]),
        "nobody streamed yet"
    );

    // Live: found first and marked live; the follower sees it in the sidebar.
    let key = server.stream_key("ninjja");
    let mut client = push(port, &key, &["--loop", "--duration", "5"]);
    assert!(
        wait_until(10, || server.channel_status("ninjja").starts_with("live ")),
        "the channel goes live"
    );
    let (_, home) = fan.get("/").await;
    assert!(
        !home.contains("data-testid=\"hero\""),
        "no hero once signed in"
    );
    let sidebar = &home[home
        .find("data-testid=\"followed-live\"")
        .expect("the followed-live sidebar")..];
    assert!(sidebar[..sidebar.find("</aside>").unwrap()].contains("href=\"/ninjja\""));
    let (_, results) = visitor.get("/search?q=ninja").await;
    assert!(results.contains("<li data-channel=\"ninjja\">"));
    assert!(results.contains("badge badge-live"));
    let (_, channel) = visitor.get("/ninjja").await;
    let image = meta(&channel, "property=\"og:image\"").expect("og:image");
    let thumbnail = format!("{}/channels/", server.base_url);
    assert!(
        image.starts_with(&thumbnail) && image.contains("/thumbnail/832.jpg?stream="),
        "an absolute live thumbnail: {image}"
    );
    assert_eq!(
        visitor.get_bytes(&image[server.base_url.len()..]).await.0,
        200
    );
    assert!(client.wait().unwrap().success());
    assert!(wait_until(10, || server.channel_status("ninjja") == "offline"));

    // Offline: still found despite the typo; the account that never streamed is not.
    let (status, results) = visitor.get("/search?q=ninja").await;
    assert_eq!(status, 200);
    assert!(results.contains("<li data-channel=\"ninjja\">"));
    assert!(
        !results.contains("data-channel=\"ninja\"") && !results.contains("href=\"/ninja\""),
        "an account that never streamed is not a channel"
    );
    assert!(results.contains("<span class=\"badge\">Offline</span>"));
    let (status, json) = search_json(&server, "ninja").await;
    assert_eq!(status, 200);
    let channels = json["channels"].as_array().unwrap();
    assert_eq!(channels.len(), 1, "{json}");
    assert_eq!(channels[0]["username"], "ninjja");
    assert_eq!(channels[0]["live"], false);
    assert_eq!(channels[0]["url"], "/ninjja");

    // Categories and the share tags of an offline channel.
    let (_, json) = search_json(&server, "gamng").await;
    assert_eq!(json["categories"][0]["slug"], "gaming");
    let (_, channel) = visitor.get("/ninjja").await;
    assert_eq!(
        meta(&channel, "property=\"og:url\"").unwrap(),
        format!("{}/ninjja", server.base_url)
    );
    assert!(meta(&channel, "property=\"og:image\"")
        .unwrap()
        .ends_with("/thumbnail/832.jpg"));
    assert!(meta(&channel, "property=\"og:description\"")
        .unwrap()
        .starts_with("ninjja streams on Shimmer"));
    assert_eq!(
        meta(&channel, "name=\"twitter:card\"").as_deref(),
        Some("summary_large_image")
    );

    let (_, profile) = visitor.get("/ninja/profile").await;
    assert_eq!(
        meta(&profile, "name=\"description\"").as_deref(),
        Some("ninja on Shimmer.")
    );

    // Limits: too long is refused by name; empty browses.
    let long = "n".repeat(101);
    let (status, page) = visitor.get(&format!("/search?q={long}")).await;
    assert_eq!(status, 422);
    assert!(page.contains("Search for at most 100 characters"));
    assert!(page.contains("aria-invalid=\"true\""));
    let (status, json) = search_json(&server, &long).await;
    assert_eq!(status, 422);
    assert!(json["error"].as_str().unwrap().contains("at most 100"));
    let (status, page) = visitor.get("/search?q=+").await;
    assert_eq!(status, 200);
    assert!(page.contains("data-testid=\"category-tiles\""));
    assert!(page.contains("data-testid=\"browse-channels\"") && page.contains("href=\"/ninjja\""));
    assert!(!page.contains("href=\"/ninja\""));
    let (_, page) = visitor.get("/search?q=zzzz").await;
    assert!(page.contains("data-testid=\"search-none\""));
}
