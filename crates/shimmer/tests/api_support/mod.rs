//! Helpers for the API tests: credentials minted the way real clients get them (apps from the
//! operator CLI, tokens from `POST /api/oauth/token`), GraphQL over HTTP, and Phoenix sockets.

#![allow(dead_code)]

use std::time::Duration;

use futures::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::Message;

use crate::support::Server;

pub use crate::support::Socket;

/// An OAuth application's credentials.
pub struct App {
    pub client_id: String,
    pub client_secret: String,
}

/// Creates an app owned by `owner` with the operator CLI (`--ingest` for the ingest credential).
pub fn create_app(server: &Server, owner: &str, ingest: bool) -> App {
    let mut args = vec!["app", "create", "--owner", owner, "--name", "Test bot"];
    if ingest {
        args.push("--ingest");
    }
    let output = server.cli(&args);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8(output.stdout).unwrap();
    let field = |name: &str| {
        text.lines()
            .find_map(|line| line.strip_prefix(&format!("{name}=")))
            .unwrap_or_else(|| panic!("no {name} in {text}"))
            .to_owned()
    };
    App {
        client_id: field("client_id"),
        client_secret: field("client_secret"),
    }
}

/// A client_credentials token with these scopes, requested as most clients do (parameters in
/// the query string). Such a token acts as the app's owner.
pub async fn token(server: &Server, app: &App, scopes: &str) -> String {
    let response = reqwest::Client::new()
        .post(server.url("/api/oauth/token"))
        .query(&[
            ("grant_type", "client_credentials"),
            ("client_id", &app.client_id),
            ("client_secret", &app.client_secret),
            ("scope", scopes),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    body["access_token"].as_str().unwrap().to_owned()
}

/// How a request authenticates.
#[derive(Clone, Copy)]
pub enum Auth<'a> {
    None,
    ClientId(&'a str),
    Bearer(&'a str),
}

impl Auth<'_> {
    pub fn header(&self) -> Option<String> {
        match self {
            Auth::None => None,
            Auth::ClientId(id) => Some(format!("Client-ID {id}")),
            Auth::Bearer(token) => Some(format!("Bearer {token}")),
        }
    }
}

/// POSTs a JSON GraphQL request to `path`; returns the status and the JSON body.
pub async fn graphql(
    server: &Server,
    path: &str,
    auth: Auth<'_>,
    query: &str,
    variables: Value,
) -> (u16, Value) {
    let request = reqwest::Client::new()
        .post(server.url(path))
        .json(&json!({ "query": query, "variables": variables }));
    send_graphql(request, auth).await
}

/// Sends a GraphQL request with `auth`'s header; returns the status and the JSON body (every
/// answer, errors included, must be JSON).
async fn send_graphql(mut request: reqwest::RequestBuilder, auth: Auth<'_>) -> (u16, Value) {
    if let Some(header) = auth.header() {
        request = request.header("authorization", header);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let body = response.text().await.unwrap();
    (
        status,
        serde_json::from_str(&body).unwrap_or_else(|_| panic!("not JSON: {body}")),
    )
}

/// The id of `username`'s channel, read through `/api/graph` as `auth` sees it.
pub async fn channel_id(server: &Server, auth: Auth<'_>, username: &str) -> i64 {
    let (_, body) = graphql(
        server,
        "/api/graph",
        auth,
        &format!("{{ channel(streamerUsername: \"{username}\") {{ id }} }}"),
        Value::Null,
    )
    .await;
    body["data"]["channel"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no channel id in {body}"))
        .parse()
        .unwrap()
}

/// Opens an API socket (`/api/socket/websocket` or `/api/graph/websocket`) with a query string.
pub async fn connect(server: &Server, path: &str, query: &str) -> Result<Socket, u16> {
    let url = format!(
        "{}{}?{}",
        server.base_url.replace("http://", "ws://"),
        path,
        query
    );
    match tokio_tungstenite::connect_async(url).await {
        Ok((socket, _)) => Ok(socket),
        Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
            Err(response.status().as_u16())
        }
        Err(error) => panic!("could not connect: {error}"),
    }
}

pub async fn send(socket: &mut Socket, frame: Value) {
    socket
        .send(Message::Text(frame.to_string().into()))
        .await
        .unwrap();
}

/// The next text frame as sent, within `seconds`.
pub async fn next_text(socket: &mut Socket, seconds: u64) -> Option<String> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(seconds);
    loop {
        let frame = tokio::time::timeout_at(deadline, socket.next())
            .await
            .ok()??;
        match frame {
            Ok(Message::Text(text)) => return Some(text.to_string()),
            Ok(Message::Close(_)) | Err(_) => return None,
            Ok(_) => continue,
        }
    }
}

/// The next frame as JSON, within 5 s.
pub async fn next(socket: &mut Socket) -> Value {
    let text = next_text(socket, 5).await.expect("a frame within 5 s");
    serde_json::from_str(&text).unwrap()
}

/// A JPEG of one colour, made here with the `image` crate.
pub fn jpeg(width: u32, height: u32, colour: [u8; 3]) -> Vec<u8> {
    let mut bytes = Vec::new();
    image::RgbImage::from_pixel(width, height, image::Rgb(colour))
        .write_to(
            &mut std::io::Cursor::new(&mut bytes),
            image::ImageFormat::Jpeg,
        )
        .unwrap();
    bytes
}

/// POSTs a GraphQL multipart request (the multipart request spec): `operations` with `query`
/// and `variables` (where `$thumbnail` is null), `map` sending part `0` to
/// `variables.thumbnail`, and the file as part `0`. Returns the status and the JSON body.
pub async fn graphql_upload(
    server: &Server,
    path: &str,
    auth: Auth<'_>,
    query: &str,
    mut variables: Value,
    file: Vec<u8>,
) -> (u16, Value) {
    variables["thumbnail"] = Value::Null;
    let form = reqwest::multipart::Form::new()
        .text(
            "operations",
            json!({"query": query, "variables": variables}).to_string(),
        )
        .text("map", json!({"0": ["variables.thumbnail"]}).to_string())
        .part(
            "0",
            reqwest::multipart::Part::bytes(file)
                .file_name("thumbnail.jpg")
                .mime_str("image/jpeg")
                .unwrap(),
        );
    let request = reqwest::Client::new()
        .post(server.url(path))
        .multipart(form);
    send_graphql(request, auth).await
}
