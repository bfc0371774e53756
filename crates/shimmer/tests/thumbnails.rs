//! Thumbnails and posters end to end: a real server, real H.264 from `shimmer push`, real JPEGs
//! decoded here. A live channel's card shows its stream within seconds, served with caching
//! headers and 304s; posters are validated, shown offline, and only their owner changes them.

mod support;

use std::time::{Duration, Instant};

use support::{png, push, wait_until, Browser, Server};

struct Fetched {
    status: u16,
    headers: reqwest::header::HeaderMap,
    body: Vec<u8>,
}

impl Fetched {
    fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|value| value.to_str().ok())
            .unwrap_or("")
    }

    fn image(&self) -> image::RgbImage {
        assert_eq!(self.header("content-type"), "image/jpeg");
        image::load_from_memory_with_format(&self.body, image::ImageFormat::Jpeg)
            .expect("a valid JPEG")
            .to_rgb8()
    }
}

async fn fetch(server: &Server, path: &str, if_none_match: Option<&str>) -> Fetched {
    let mut request = reqwest::Client::new().get(server.url(path));
    if let Some(etag) = if_none_match {
        request = request.header("if-none-match", etag);
    }
    let response = request.send().await.unwrap();
    Fetched {
        status: response.status().as_u16(),
        headers: response.headers().clone(),
        body: response.bytes().await.unwrap().to_vec(),
    }
}

/// Share of pixels with a strong colour (the placeholder has none; ffmpeg's testsrc is mostly
/// saturated bars and gradients).
fn colourful_share(image: &image::RgbImage) -> f64 {
    let colourful = image
        .pixels()
        .filter(|p| p.0.iter().max().unwrap() - p.0.iter().min().unwrap() > 100)
        .count();
    colourful as f64 / f64::from(image.width() * image.height())
}

async fn upload_poster(browser: &Browser, file: Vec<u8>, name: &str) -> (u16, String) {
    let form = reqwest::multipart::Form::new().part(
        "poster",
        reqwest::multipart::Part::bytes(file).file_name(name.to_owned()),
    );
    browser
        .post_multipart("/users/settings/poster", "/users/settings/poster", form)
        .await
}

#[tokio::test]
async fn a_live_channel_shows_its_stream_with_caching_headers_then_the_placeholder_again() {
    let (server, port) = Server::start_with_ftl(&[("SHIMMER_FTL__MEDIA_TIMEOUT_MS", "2000")]);
    server.create_user("caster", "password123", true);
    let key = server.stream_key("caster");
    let channel_id = key.split_once('-').unwrap().0.to_owned();
    let small = format!("/channels/{channel_id}/thumbnail/416.jpg");
    let large = format!("/channels/{channel_id}/thumbnail/832.jpg");

    // Offline without a poster: the generated placeholder, neutral grey.
    let placeholder = fetch(&server, &small, None).await;
    assert_eq!(placeholder.status, 200);
    let image = placeholder.image();
    assert_eq!(image.dimensions(), (416, 234));
    assert!(colourful_share(&image) < 0.01);
    assert_eq!(placeholder.header("cache-control"), "public, max-age=60");

    // Unknown channels and sizes are plain 404s.
    for path in [
        "/channels/999999/thumbnail/416.jpg".to_owned(),
        format!("/channels/{channel_id}/thumbnail/100.jpg"),
        format!("/channels/{channel_id}/thumbnail/416.png"),
        "/channels/abc/thumbnail/416.jpg".to_owned(),
    ] {
        let missing = fetch(&server, &path, None).await;
        assert_eq!(missing.status, 404, "{path}");
        assert!(missing.header("content-type").starts_with("text/plain"));
    }

    let mut client = push(port, &key, &["--loop", "--duration", "30"]);
    assert!(
        wait_until(10, || server.channel_status("caster").starts_with("live ")),
        "the channel goes live"
    );
    let live_at = Instant::now();
    let mut thumbnail = None;
    while live_at.elapsed() < Duration::from_secs(8) {
        let got = fetch(&server, &small, None).await;
        // Until the first frame is rendered the card shows the live placeholder (few colours).
        if got.status == 200 && got.body != placeholder.body && colourful_share(&got.image()) > 0.3
        {
            thumbnail = Some(got);
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let thumbnail = thumbnail.expect("a live thumbnail within a few seconds of going live");
    let image = thumbnail.image();
    assert_eq!(image.dimensions(), (416, 234));
    assert!(
        colourful_share(&image) > 0.3,
        "the picture is ffmpeg's colourful test card, not the placeholder"
    );
    assert_eq!(thumbnail.header("cache-control"), "public, max-age=15");
    assert!(thumbnail.header("last-modified").ends_with(" GMT"));
    let etag = thumbnail.header("etag").to_owned();
    assert!(etag.starts_with('"') && etag.len() > 10, "{etag}");

    let big = fetch(&server, &large, None).await;
    let big_image = big.image();
    assert_eq!(big_image.dimensions(), (832, 468));
    assert!(colourful_share(&big_image) > 0.3);
    assert_ne!(big.header("etag"), etag);

    // Revalidation: the same tag gives 304 without a body; another tag gives the picture.
    let again = fetch(&server, &small, Some(&etag)).await;
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());
    assert_eq!(again.header("etag"), etag);
    assert_eq!(fetch(&server, &small, Some("\"other\"")).await.status, 200);

    let metrics = server.metrics().await;
    assert!(
        metrics.contains("shimmer_thumbnails_made_total"),
        "{metrics}"
    );
    assert!(metrics.contains("shimmer_thumbnail_decode_duration_seconds_bucket"));

    let _ = client.kill();
    let _ = client.wait();
    assert!(
        wait_until(10, || server.channel_status("caster") == "offline"),
        "offline after the encoder went away"
    );
    let offline = fetch(&server, &small, None).await;
    assert_eq!(offline.body, placeholder.body, "back to the placeholder");
}

#[tokio::test]
async fn posters_are_validated_shown_offline_and_changed_only_by_their_owner() {
    let server = Server::start();
    server.create_user("painter", "password123", true);
    server.create_user("neighbour", "password123", true);
    let painter = Browser::new(&server);
    assert_eq!(painter.login("painter", "password123").await, 303);
    let neighbour = Browser::new(&server);
    assert_eq!(neighbour.login("neighbour", "password123").await, 303);
    let channel_id = server
        .stream_key("painter")
        .split_once('-')
        .unwrap()
        .0
        .to_owned();
    let poster_path = format!("/channels/{channel_id}/poster/832.jpg");
    let thumbnail_path = format!("/channels/{channel_id}/thumbnail/832.jpg");
    let placeholder = fetch(&server, &thumbnail_path, None).await;
    assert_eq!(fetch(&server, &poster_path, None).await.status, 404);

    // Wrong uploads: clear messages, nothing stored.
    let mut fake_png = b"\x89PNG\r\n\x1a\n".to_vec();
    fake_png.extend(std::iter::repeat_n(0x42, 10_000));
    let mut oversized = png(1280, 720, [250, 0, 250]);
    oversized.resize(4 * 1024 * 1024 + 10, 0);
    let cases: [(Vec<u8>, &str, u16, &str); 5] = [
        (
            fake_png,
            "poster.png",
            422,
            "damaged or is not really an image",
        ),
        (
            b"GIF89a not allowed".to_vec(),
            "poster.gif",
            422,
            "must be JPEG or PNG",
        ),
        (oversized, "big.png", 422, "at most 4 MB"),
        (vec![0u8; 5 * 1024 * 1024], "huge.png", 413, "at most 4 MB"),
        (
            png(8000, 100, [1, 2, 3]),
            "wide.png",
            422,
            "8000×100 pixels",
        ),
    ];
    for (file, name, status, message) in cases {
        let (got, page) = upload_poster(&painter, file, name).await;
        assert_eq!(got, status, "{name}: {page}");
        assert!(page.contains(message), "{name}: expected {message:?}");
        assert_eq!(
            fetch(&server, &poster_path, None).await.status,
            404,
            "{name}"
        );
    }
    assert_eq!(
        fetch(&server, &thumbnail_path, None).await.body,
        placeholder.body
    );

    // A good upload: re-encoded, cropped to fill, served offline as the card and in the player.
    let (status, _) = upload_poster(&painter, png(1000, 1000, [250, 0, 250]), "p.png").await;
    assert_eq!(status, 303);
    let poster = fetch(&server, &poster_path, None).await;
    assert_eq!(poster.status, 200);
    let image = poster.image();
    assert_eq!(image.dimensions(), (832, 468));
    let centre = image.get_pixel(416, 234).0;
    assert!(
        centre[0] > 200 && centre[1] < 50 && centre[2] > 200,
        "{centre:?}"
    );
    assert_eq!(poster.header("cache-control"), "public, max-age=86400");
    let card = fetch(&server, &thumbnail_path, None).await;
    assert_eq!(card.body, poster.body, "an offline card shows the poster");
    assert_eq!(card.header("etag"), poster.header("etag"));
    assert_eq!(
        fetch(&server, &thumbnail_path, Some(card.header("etag")))
            .await
            .status,
        304
    );
    let small = fetch(
        &server,
        &format!("/channels/{channel_id}/thumbnail/416.jpg"),
        None,
    )
    .await;
    assert_eq!(small.image().dimensions(), (416, 234));
    let (_, page) = Browser::new(&server).get("/painter").await;
    assert!(page.contains("data-testid=\"player-poster\""));
    assert!(page.contains(&format!("/channels/{channel_id}/poster/832.jpg?v=")));
    let (_, settings) = painter.get("/users/settings/poster").await;
    assert!(settings.contains("data-testid=\"poster-preview\""));

    // Nobody else changes it: the neighbour's forms act on the neighbour's channel only, and a
    // visitor is sent to log in.
    let (status, _) = upload_poster(&neighbour, png(640, 360, [0, 200, 0]), "n.png").await;
    assert_eq!(status, 303);
    let (status, _, _) = neighbour
        .post_form(
            "/users/settings/poster",
            "/users/settings/poster/remove",
            &[],
        )
        .await;
    assert_eq!(status, 303);
    let visitor = Browser::new(&server);
    let (status, location, _) = visitor
        .post_form("/", "/users/settings/poster/remove", &[])
        .await;
    assert!(
        status == 303 && location.as_deref() == Some("/users/login") || status == 403,
        "{status} {location:?}"
    );
    let unchanged = fetch(&server, &poster_path, None).await;
    assert_eq!(unchanged.body, poster.body, "still the painter's poster");

    // Removing it brings the placeholder back.
    let (status, location, _) = painter
        .post_form(
            "/users/settings/poster",
            "/users/settings/poster/remove",
            &[],
        )
        .await;
    assert_eq!(status, 303);
    assert_eq!(
        location.as_deref(),
        Some("/users/settings/poster?notice=poster_removed")
    );
    assert_eq!(fetch(&server, &poster_path, None).await.status, 404);
    assert_eq!(
        fetch(&server, &thumbnail_path, None).await.body,
        placeholder.body
    );
    let (_, page) = Browser::new(&server).get("/painter").await;
    assert!(!page.contains("player-poster"));
}
