//! `uploadStreamThumbnail` against a real server: the ingest credential sends a real JPEG as a
//! GraphQL multipart request, and the website's card for the channel shows it; ended streams,
//! files that are not pictures, oversized and malformed requests are refused with clear JSON.

mod api_support;
mod support;

use api_support::{channel_id, create_app, graphql, graphql_upload, jpeg, token, Auth};
use serde_json::{json, Value};
use support::Server;

const PASSWORD: &str = "correct horse battery staple";
const UPLOAD: &str = "mutation($s: ID!, $thumbnail: Upload!) { uploadStreamThumbnail(streamId: $s, thumbnail: $thumbnail) { id endedAt thumbnailUrl } }";
const LEGACY_UPLOAD: &str = "mutation($s: ID!, $thumbnail: Upload!) { uploadStreamThumbnail(streamId: $s, thumbnail: $thumbnail) { id thumbnail } }";

struct World {
    server: Server,
    ingest: String,
    channel_id: i64,
}

async fn world() -> World {
    let server = Server::start();
    server.create_user("streamer1", PASSWORD, true);
    server.create_admin("boss1", PASSWORD);
    let ingest = token(&server, &create_app(&server, "boss1", true), "").await;
    let channel_id = channel_id(&server, Auth::Bearer(&ingest), "streamer1").await;
    World {
        server,
        ingest,
        channel_id,
    }
}

impl World {
    async fn start_stream(&self) -> String {
        let (_, body) = graphql(
            &self.server,
            "/api/graph",
            Auth::Bearer(&self.ingest),
            "mutation($c: ID!) { startStream(channelId: $c) { id } }",
            json!({"c": self.channel_id}),
        )
        .await;
        body["data"]["startStream"]["id"]
            .as_str()
            .unwrap_or_else(|| panic!("no stream: {body}"))
            .to_owned()
    }

    async fn upload(&self, path: &str, query: &str, stream_id: &str, file: Vec<u8>) -> Value {
        let (status, body) = graphql_upload(
            &self.server,
            path,
            Auth::Bearer(&self.ingest),
            query,
            json!({"s": stream_id}),
            file,
        )
        .await;
        assert_eq!(status, 200, "{body}");
        body
    }

    /// The channel's card picture at 832×468, decoded.
    async fn card(&self) -> image::RgbImage {
        let response = reqwest::get(
            self.server
                .url(&format!("/channels/{}/thumbnail/832.jpg", self.channel_id)),
        )
        .await
        .unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["content-type"], "image/jpeg");
        let bytes = response.bytes().await.unwrap();
        let image = image::load_from_memory_with_format(&bytes, image::ImageFormat::Jpeg)
            .unwrap()
            .to_rgb8();
        assert_eq!(image.dimensions(), (832, 468));
        image
    }

    /// Sends a hand-made body to /api/graph as the ingest credential.
    async fn raw(
        &self,
        method: reqwest::Method,
        content_type: &str,
        body: Vec<u8>,
    ) -> (u16, Value) {
        let response = reqwest::Client::new()
            .request(method, self.server.url("/api/graph"))
            .header("authorization", format!("Bearer {}", self.ingest))
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        assert_eq!(response.headers()["content-type"], "application/json");
        let text = response.text().await.unwrap();
        (
            status,
            serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON: {text}")),
        )
    }
}

fn close(pixel: &image::Rgb<u8>, colour: [u8; 3]) -> bool {
    pixel.0.iter().zip(colour).all(|(a, b)| a.abs_diff(b) < 30)
}

fn message(body: &Value) -> String {
    body["errors"][0]["message"]
        .as_str()
        .unwrap_or_else(|| panic!("no error: {body}"))
        .to_owned()
}

#[tokio::test]
async fn an_uploaded_thumbnail_becomes_the_live_card_until_the_stream_ends() {
    let world = world().await;
    let placeholder = world.card().await;
    let stream_id = world.start_stream().await;

    let teal = [30, 160, 200];
    let body = world
        .upload("/api/graph", UPLOAD, &stream_id, jpeg(1280, 720, teal))
        .await;
    assert!(body.get("errors").is_none(), "{body}");
    let stream = &body["data"]["uploadStreamThumbnail"];
    assert_eq!(stream["id"], stream_id.as_str());
    assert!(stream["endedAt"].is_null());
    let url = stream["thumbnailUrl"].as_str().unwrap();
    assert_eq!(
        url,
        world
            .server
            .url(&format!("/channels/{}/thumbnail/832.jpg", world.channel_id))
    );
    let card = world.card().await;
    for (x, y) in [(10, 10), (416, 234), (820, 460)] {
        assert!(
            close(card.get_pixel(x, y), teal),
            "{:?}",
            card.get_pixel(x, y)
        );
    }
    assert_ne!(card.get_pixel(416, 234), placeholder.get_pixel(416, 234));

    // The legacy API takes the same upload; the newest picture wins.
    let orange = [230, 120, 20];
    let body = world
        .upload("/api", LEGACY_UPLOAD, &stream_id, jpeg(960, 540, orange))
        .await;
    assert!(body.get("errors").is_none(), "{body}");
    assert!(body["data"]["uploadStreamThumbnail"]["thumbnail"]
        .as_str()
        .unwrap()
        .ends_with("/thumbnail/832.jpg"));
    assert!(close(world.card().await.get_pixel(416, 234), orange));

    // Not a picture: refused in words, the card keeps its picture.
    let body = world
        .upload(
            "/api/graph",
            UPLOAD,
            &stream_id,
            b"%PDF-1.4 not a picture".to_vec(),
        )
        .await;
    assert!(body["data"]["uploadStreamThumbnail"].is_null(), "{body}");
    assert_eq!(body["errors"][0]["path"], json!(["uploadStreamThumbnail"]));
    assert!(message(&body).contains("JPEG or PNG"), "{body}");
    assert!(close(world.card().await.get_pixel(416, 234), orange));

    // The file must come as a multipart file: a marker typed into JSON names nothing.
    for variables in [
        json!({"s": stream_id, "thumbnail": "#__graphql_file__:0"}),
        json!({"s": stream_id, "thumbnail": "#__graphql_file__:x"}),
        json!({"s": stream_id, "thumbnail": "picture.jpg"}),
    ] {
        let (status, body) = graphql(
            &world.server,
            "/api/graph",
            Auth::Bearer(&world.ingest),
            UPLOAD,
            variables,
        )
        .await;
        assert_eq!(status, 200, "{body}");
        assert!(message(&body).contains("multipart/form-data"), "{body}");
    }

    // The stream ends: its picture goes at once, and it takes no more.
    let (_, body) = graphql(
        &world.server,
        "/api/graph",
        Auth::Bearer(&world.ingest),
        "mutation($s: ID!) { endStream(streamId: $s) { id thumbnailUrl } }",
        json!({"s": stream_id}),
    )
    .await;
    assert!(
        body["data"]["endStream"]["thumbnailUrl"].is_null(),
        "{body}"
    );
    let body = world
        .upload("/api/graph", UPLOAD, &stream_id, jpeg(1280, 720, teal))
        .await;
    assert!(body["data"]["uploadStreamThumbnail"].is_null());
    assert!(message(&body).contains("has ended"), "{body}");
    // Live again with a new stream: the old picture is not shown for it.
    world.start_stream().await;
    let card = world.card().await;
    assert!(!close(card.get_pixel(416, 234), orange));
    assert!(!close(card.get_pixel(416, 234), teal));
}

#[tokio::test]
async fn oversized_and_malformed_uploads_get_clear_json_errors() {
    let world = world().await;
    let stream_id = world.start_stream().await;

    // Over the 2 MiB default: 413 before anything is parsed.
    let noise: Vec<u8> = (0..3 * 1024 * 1024u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let (status, body) = graphql_upload(
        &world.server,
        "/api/graph",
        Auth::Bearer(&world.ingest),
        UPLOAD,
        json!({"s": stream_id}),
        noise,
    )
    .await;
    assert_eq!(status, 413, "{body}");
    assert!(message(&body).contains("at most 2097152 bytes"), "{body}");

    let boundary = "XyZ123";
    let multipart = format!("multipart/form-data; boundary={boundary}");
    let part = |name: &str, filename: Option<&str>, content: &str| {
        let disposition = match filename {
            Some(file) => format!("form-data; name=\"{name}\"; filename=\"{file}\""),
            None => format!("form-data; name=\"{name}\""),
        };
        format!("--{boundary}\r\nContent-Disposition: {disposition}\r\n\r\n{content}\r\n")
    };
    let operations =
        json!({"query": UPLOAD, "variables": {"s": stream_id, "thumbnail": null}}).to_string();
    let end = format!("--{boundary}--\r\n");
    let cases = [
        (
            "not multipart at all",
            multipart.clone(),
            "hello".to_owned(),
            "not valid multipart",
        ),
        (
            "no boundary",
            "multipart/form-data".to_owned(),
            part("operations", None, &operations) + &end,
            "not valid multipart",
        ),
        (
            "no map",
            multipart.clone(),
            part("operations", None, &operations) + &end,
            "no `map` part",
        ),
        (
            "no operations",
            multipart.clone(),
            part("map", None, r#"{"0": ["variables.thumbnail"]}"#) + &end,
            "no `operations` part",
        ),
        (
            "a map that is not a map",
            multipart.clone(),
            part("operations", None, &operations) + &part("map", None, "[1, 2]") + &end,
            "The `map` part must be",
        ),
        (
            "a mapped file that is missing",
            multipart.clone(),
            part("operations", None, &operations)
                + &part("map", None, r#"{"0": ["variables.thumbnail"]}"#)
                + &end,
            "does not contain",
        ),
        (
            "operations that are not JSON",
            multipart.clone(),
            part("operations", None, "query { myself { id } }") + &part("map", None, "{}") + &end,
            "`operations` part must be",
        ),
    ];
    for (what, content_type, body, expected) in cases {
        let (status, body) = world
            .raw(reqwest::Method::POST, &content_type, body.into_bytes())
            .await;
        assert_eq!(status, 400, "{what}: {body}");
        assert!(message(&body).contains(expected), "{what}: {body}");
    }

    // Multipart is for POST only.
    let valid = part("operations", None, &operations)
        + &part("map", None, r#"{"0": ["variables.thumbnail"]}"#)
        + &part("0", Some("a.jpg"), "x")
        + &end;
    let (status, body) = world
        .raw(reqwest::Method::GET, &multipart, valid.clone().into_bytes())
        .await;
    assert_eq!(status, 405, "{body}");
    assert!(message(&body).contains("POST"), "{body}");
    // The same body by POST reaches the mutation, which refuses the one-byte "picture".
    let (status, body) = world
        .raw(reqwest::Method::POST, &multipart, valid.into_bytes())
        .await;
    assert_eq!(status, 200, "{body}");
    assert!(message(&body).contains("JPEG or PNG"), "{body}");

    // Documents inside a multipart request keep the 64 KiB document limit.
    let long = format!("{}{}", UPLOAD, " ".repeat(70 * 1024));
    let operations =
        json!({"query": long, "variables": {"s": stream_id, "thumbnail": null}}).to_string();
    let body = part("operations", None, &operations)
        + &part("map", None, r#"{"0": ["variables.thumbnail"]}"#)
        + &part("0", Some("a.jpg"), "x")
        + &end;
    let (status, body) = world
        .raw(reqwest::Method::POST, &multipart, body.into_bytes())
        .await;
    assert_eq!(status, 413, "{body}");
}
