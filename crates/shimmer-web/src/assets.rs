//! Static assets (CSS, JavaScript), embedded in the binary so that `cargo run` is the whole
//! set-up. In debug builds rust-embed reads them from disk, so edits show on reload.

use axum::extract::Path;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use rust_embed::RustEmbed;

use crate::error::WebError;

#[derive(RustEmbed)]
#[folder = "static/"]
struct Assets;

pub async fn serve(Path(path): Path<String>, headers: HeaderMap) -> Response {
    let Some(file) = Assets::get(&path) else {
        return WebError::NotFound.into_response();
    };
    let etag = format!("\"{}\"", hex_prefix(&file.metadata.sha256_hash()));
    if headers
        .get(header::IF_NONE_MATCH)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value == etag)
    {
        return StatusCode::NOT_MODIFIED.into_response();
    }
    let mime = file.metadata.mimetype().to_owned();
    let mut response = file.data.into_owned().into_response();
    let response_headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&mime) {
        response_headers.insert(header::CONTENT_TYPE, value);
    }
    if let Ok(value) = HeaderValue::from_str(&etag) {
        response_headers.insert(header::ETAG, value);
    }
    response_headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    response
}

fn hex_prefix(hash: &[u8]) -> String {
    hash.iter()
        .take(12)
        .map(|byte| format!("{byte:02x}"))
        .collect()
}
