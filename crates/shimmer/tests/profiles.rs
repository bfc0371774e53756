//! Profiles against a real server: editing and the public page, an inert bio, link
//! validation, avatars checked by decoding, preferences and the mature-channel interstitial,
//! and the site pages with their data-directory overrides.

mod support;

use support::{Browser, Server};

const PASSWORD: &str = "correct horse battery";

/// A 200,40,90 PNG avatar.
fn png(width: u32, height: u32) -> Vec<u8> {
    support::png(width, height, [200, 40, 90])
}

async fn upload_avatar(browser: &Browser, bytes: Vec<u8>, name: &str) -> (u16, String) {
    let form = reqwest::multipart::Form::new().part(
        "avatar",
        reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()),
    );
    browser
        .post_multipart("/users/settings/profile", "/users/settings/avatar", form)
        .await
}

fn profile_fields<'a>(overrides: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![
        ("display_name", "PROFILER"),
        ("pronouns", "they/them"),
        ("bio", ""),
        ("live_message", ""),
        ("youtube_intro", ""),
    ];
    for (key, value) in overrides {
        fields.retain(|(existing, _)| existing != key);
        fields.push((key, value));
    }
    fields
}

#[tokio::test]
async fn a_profile_is_edited_and_shown_with_an_inert_bio() {
    let server = Server::start();
    server.create_user("profiler", PASSWORD, true);
    let browser = Browser::new(&server);
    assert_eq!(browser.login("profiler", PASSWORD).await, 303);

    let bio = "Hello, I am **bold**. [My site](https://example.com)\n\n\
               [markdown link](javascript:alert(5)) [data](data:text/html,x)\n\n\
               <script>alert('bio')</script><img src=x onerror=alert(1)>\
               <a href=\"javascript:alert(2)\">click</a> [x](javascript:alert(3)) \
               <b onclick=\"alert(4)\" style=\"color:red\">b</b>";
    let (status, location, page) = browser
        .post_form(
            "/users/settings/profile",
            "/users/settings/profile",
            &profile_fields(&[
                ("bio", bio),
                ("live_message", "Come say hi!"),
                (
                    "youtube_intro",
                    "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
                ),
                ("discord", "https://discord.com/invite/shimmer-1"),
                ("instagram", "instagram.com/profiler"),
            ]),
        )
        .await;
    assert_eq!(status, 303, "{page}");
    assert!(location.unwrap().contains("profile_saved"));

    let visitor = Browser::new(&server);
    let response = visitor
        .client
        .get(server.url("/profiler/profile"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let csp = response.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        csp.contains("frame-src 'self' https://www.youtube-nocookie.com"),
        "{csp}"
    );
    assert!(csp.contains("script-src 'self'"));
    let page = response.text().await.unwrap();
    assert!(page.contains("<h1>PROFILER</h1>"));
    assert!(page.contains("they/them"));
    assert!(page.contains("<strong>bold</strong>"), "{page}");
    assert!(page.contains("href=\"https://example.com\""));
    let bio_html = &page[page.find("data-testid=\"bio\"").unwrap()..];
    let bio_html = &bio_html[..bio_html.find("</div>").unwrap()];
    for bad in [
        "<script",
        "href=\"javascript:",
        "href=\"data:",
        "onerror",
        "onclick",
        "style=",
        "<img",
    ] {
        assert!(!bio_html.contains(bad), "{bad} survived in {bio_html}");
    }
    assert!(page.contains("https://discord.gg/shimmer-1"));
    assert!(page.contains("https://instagram.com/profiler"));
    assert!(page.contains("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"));
    // The live message shows only while live.
    assert!(!page.contains("Come say hi!"));

    // The settings form shows the saved values again.
    let (_, settings) = browser.get("/users/settings/profile").await;
    assert!(settings.contains("value=\"https://discord.gg/shimmer-1\""));
    assert!(settings.contains("dQw4w9WgXcQ"));

    assert_eq!(visitor.get("/nobody_here/profile").await.0, 404);
}

#[tokio::test]
async fn malformed_links_and_fields_are_refused_clearly() {
    let server = Server::start();
    server.create_user("linker", PASSWORD, true);
    let browser = Browser::new(&server);
    assert_eq!(browser.login("linker", PASSWORD).await, 303);
    let long_pronouns = "x".repeat(41);
    let long_bio = "y".repeat(8193);
    let cases: Vec<(Vec<(&str, &str)>, &str)> = vec![
        (
            vec![("website", "javascript:alert(1)")],
            "Enter a web address",
        ),
        (
            vec![("website", "not a link at all")],
            "Enter a web address",
        ),
        (vec![("instagram", "https://evil.example/me")], "Instagram"),
        (
            vec![("discord", "https://evil.example/invite/x")],
            "Discord invite",
        ),
        (
            vec![("youtube_intro", "https://evil.example/watch?v=dQw4w9WgXcQ")],
            "YouTube video",
        ),
        (vec![("pronouns", long_pronouns.as_str())], "at most 40"),
        (vec![("bio", long_bio.as_str())], "at most 8192"),
        (
            vec![("display_name", "someone_else")],
            "only change the upper and lower case",
        ),
    ];
    for (fields, message) in cases {
        let all = {
            let mut all = profile_fields(&[]);
            all[0].1 = "linker";
            for (key, value) in &fields {
                all.retain(|(existing, _)| existing != key);
                all.push((key, value));
            }
            all
        };
        let (status, _, page) = browser
            .post_form("/users/settings/profile", "/users/settings/profile", &all)
            .await;
        assert_eq!(status, 422, "{fields:?}");
        assert!(page.contains(message), "{message:?} missing for {fields:?}");
    }
}

#[tokio::test]
async fn avatars_are_decoded_resized_and_served_with_caching() {
    let server = Server::start();
    let user_id = server.create_user("avatarist", PASSWORD, true);
    let browser = Browser::new(&server);
    assert_eq!(browser.login("avatarist", PASSWORD).await, 303);

    // A PNG header over garbage, an SVG with script, a text file, an oversized file.
    let mut fake = b"\x89PNG\r\n\x1a\n".to_vec();
    fake.extend(std::iter::repeat_n(0x5a, 10_000));
    let (status, page) = upload_avatar(&browser, fake, "fake.png").await;
    assert_eq!(status, 422);
    assert!(page.contains("damaged"), "{page}");
    let svg = b"<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>".to_vec();
    let (status, page) = upload_avatar(&browser, svg, "evil.png").await;
    assert_eq!(status, 422);
    assert!(page.contains("PNG, JPEG or GIF"));
    let (status, _) = upload_avatar(&browser, vec![0u8; 3 * 1024 * 1024], "big.png").await;
    assert_eq!(status, 413);
    let (status, page) = upload_avatar(&browser, Vec::new(), "empty.png").await;
    assert_eq!(status, 422, "{page}");

    let (status, page) = upload_avatar(&browser, png(640, 480), "me.png").await;
    assert_eq!(status, 303, "{page}");
    let (_, profile) = Browser::new(&server).get("/avatarist/profile").await;
    let src = format!("/avatars/{user_id}/256.png?v=1");
    assert!(profile.contains(&src), "{profile}");
    for size in [256u32, 64] {
        let response = reqwest::get(server.url(&format!("/avatars/{user_id}/{size}.png?v=1")))
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["content-type"], "image/png");
        assert!(response.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("max-age"));
        let decoded = image::load_from_memory(&response.bytes().await.unwrap()).unwrap();
        assert_eq!((decoded.width(), decoded.height()), (size, size));
    }
    assert_eq!(
        reqwest::get(server.url(&format!("/avatars/{user_id}/128.png")))
            .await
            .unwrap()
            .status(),
        404
    );
}

#[tokio::test]
async fn preferences_follow_the_account_and_mature_channels_ask_first() {
    let server = Server::start();
    server.create_user("mature_streamer", PASSWORD, true);
    server.create_user("watcher", PASSWORD, true);
    let streamer = Browser::new(&server);
    assert_eq!(streamer.login("mature_streamer", PASSWORD).await, 303);
    let (status, _, page) = streamer
        .post_form(
            "/users/settings/channel",
            "/users/settings/channel",
            &[
                ("title", "After dark"),
                ("language", "en"),
                ("mature", "on"),
            ],
        )
        .await;
    assert_eq!(status, 303, "{page}");

    // A visitor sees the interstitial, and can continue.
    let visitor = Browser::new(&server);
    let (status, page) = visitor.get("/mature_streamer").await;
    assert_eq!(status, 200);
    assert!(page.contains("data-testid=\"mature-interstitial\""));
    let (_, page) = visitor.get("/mature_streamer?mature=continue").await;
    assert!(page.contains("data-testid=\"player\""));

    // A visitor's preferences live in cookies.
    let (status, _, _) = visitor
        .post_form(
            "/preferences",
            "/preferences",
            &[("theme", "dark"), ("show_mature", "on"), ("locale", "de")],
        )
        .await;
    assert_eq!(status, 303);
    let (_, page) = visitor.get("/mature_streamer").await;
    assert!(page.contains("data-testid=\"player\""));
    assert!(page.contains("data-theme=\"dark\""));

    // A user's are saved and come back on another device at log-in.
    let watcher = Browser::new(&server);
    assert_eq!(watcher.login("watcher", PASSWORD).await, 303);
    let (_, page) = watcher.get("/mature_streamer").await;
    assert!(page.contains("mature-interstitial"));
    let (status, _, _) = watcher
        .post_form(
            "/preferences",
            "/preferences",
            &[
                ("theme", "light"),
                ("show_mature", "on"),
                ("chat_timestamps", "on"),
                ("locale", "fr"),
            ],
        )
        .await;
    assert_eq!(status, 303);
    let elsewhere = Browser::new(&server);
    assert_eq!(elsewhere.login("watcher", PASSWORD).await, 303);
    let (_, page) = elsewhere.get("/mature_streamer").await;
    assert!(page.contains("data-theme=\"light\""), "{page}");
    assert!(page.contains("data-timestamps=\"on\""));
    assert!(page.contains("data-testid=\"player\""));
    let (_, page) = elsewhere.get("/preferences").await;
    assert!(page.contains("value=\"fr\" selected"));

    // Unknown values fall back to defaults instead of being stored.
    let (status, _, _) = elsewhere
        .post_form(
            "/preferences",
            "/preferences",
            &[("theme", "<script>"), ("locale", "xx")],
        )
        .await;
    assert_eq!(status, 303);
    let (_, page) = elsewhere.get("/preferences").await;
    assert!(page.contains("value=\"system\" checked"));
    assert!(page.contains("value=\"en\" selected"));
}

#[tokio::test]
async fn site_pages_have_defaults_and_data_directory_overrides() {
    let server = Server::start();
    let visitor = Browser::new(&server);
    for (path, text) in [
        ("/copyright", "counter-notice"),
        ("/terms", "Terms of service"),
        ("/privacy", "Privacy"),
        ("/guidelines", "Community guidelines"),
        ("/faq", "Frequently asked questions"),
    ] {
        let (status, page) = visitor.get(path).await;
        assert_eq!(status, 200, "{path}");
        assert!(page.contains(text), "{path}");
        assert!(
            page.contains("href=\"/copyright\""),
            "footer link on {path}"
        );
    }
    let (_, page) = visitor.get("/copyright").await;
    for source in ["StreamBeats", "Ninety9Lives", "Incompetech"] {
        assert!(page.contains(source), "music safe to stream lists {source}");
    }
    let pages = server.data_dir.join("pages");
    std::fs::create_dir_all(&pages).unwrap();
    std::fs::write(
        pages.join("copyright.md"),
        "# Our music list\n\n- Songs by our own band\n\n<script>alert(1)</script>",
    )
    .unwrap();
    let (_, page) = visitor.get("/copyright").await;
    assert!(page.contains("Songs by our own band"));
    assert!(!page.contains("alert(1)"));
}

#[tokio::test]
async fn the_live_message_shows_only_while_live() {
    let (server, port) = Server::start_with_ftl(&[("SHIMMER_FTL__MEDIA_TIMEOUT_MS", "2000")]);
    server.create_user("on_air", PASSWORD, true);
    let browser = Browser::new(&server);
    assert_eq!(browser.login("on_air", PASSWORD).await, 303);
    let (status, _, page) = browser
        .post_form(
            "/users/settings/profile",
            "/users/settings/profile",
            &profile_fields(&[
                ("display_name", "on_air"),
                ("live_message", "Live & painting <now>"),
            ]),
        )
        .await;
    assert_eq!(status, 303, "{page}");
    let visitor = Browser::new(&server);
    let (_, page) = visitor.get("/on_air/profile").await;
    assert!(!page.contains("data-testid=\"live-message\""));

    let mut client = support::push(
        port,
        &server.stream_key("on_air"),
        &["--loop", "--duration", "6"],
    );
    assert!(
        support::wait_until(10, || server.channel_status("on_air").starts_with("live ")),
        "the channel goes live"
    );
    let (_, page) = visitor.get("/on_air/profile").await;
    assert!(
        page.contains("data-testid=\"live-message\">Live &#38; painting &#60;now&#62;</p>"),
        "{page}"
    );
    let _ = client.kill();
    let _ = client.wait();
}
