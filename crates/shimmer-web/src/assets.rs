//! Static assets (CSS, JavaScript, SVG), embedded in the binary so that `cargo run` is the whole
//! set-up. In debug builds rust-embed reads them from disk, so edits show on reload.
//!
//! Text assets go out gzipped to browsers that accept it: the channel page's scripts and styles
//! are ~150 KB as written and under a third of that gzipped. Each asset version is
//! compressed once (keyed by its hash, so an edited file in a debug build is compressed anew).
//! Pages themselves are not compressed: they carry CSRF tokens beside text a visitor can choose,
//! which compression would let an eavesdropper guess (BREACH).

use std::collections::HashMap;
use std::io::Write;
use std::sync::{LazyLock, Mutex};

use axum::body::Bytes;
use axum::extract::Path;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use flate2::write::GzEncoder;
use flate2::Compression;
use rust_embed::RustEmbed;

use crate::conditional::not_modified;
use crate::error::WebError;

#[derive(RustEmbed)]
#[folder = "static/"]
struct Assets;

/// Gzipped asset versions by content hash; `None` where gzip saves nothing.
static GZIPPED: LazyLock<Mutex<HashMap<[u8; 32], Option<Bytes>>>> = LazyLock::new(Default::default);

pub async fn serve(Path(path): Path<String>, headers: HeaderMap) -> Response {
    let Some(file) = Assets::get(&path) else {
        return WebError::NotFound.into_response();
    };
    let hash = file.metadata.sha256_hash();
    let mime = file.metadata.mimetype().to_owned();
    let compressible = is_text(&mime);
    let gzipped = if compressible && accepts_gzip(&headers) {
        gzipped(hash, &file.data)
    } else {
        None
    };
    let etag = match gzipped {
        Some(_) => format!("\"{}-gzip\"", hex_prefix(&hash)),
        None => format!("\"{}\"", hex_prefix(&hash)),
    };
    let mut response = if not_modified(&headers, &etag) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        match &gzipped {
            Some(body) => body.clone().into_response(),
            None => file.data.into_owned().into_response(),
        }
    };
    let response_headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&mime) {
        response_headers.insert(header::CONTENT_TYPE, value);
    }
    if gzipped.is_some() {
        response_headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
    }
    if compressible {
        response_headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
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

/// Whether the asset is text, which gzip shrinks (images and fonts are compressed already).
fn is_text(mime: &str) -> bool {
    mime.starts_with("text/")
        || mime.starts_with("application/javascript")
        || mime.starts_with("application/json")
        || mime.starts_with("image/svg+xml")
}

/// Whether `Accept-Encoding` lists gzip (or `*`) without refusing it with `q=0`.
fn accepts_gzip(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|entry| {
            let mut parts = entry.split(';').map(str::trim);
            let coding = parts.next().unwrap_or_default();
            let refused = parts.any(|param| {
                param
                    .strip_prefix("q=")
                    .and_then(|q| q.parse::<f32>().ok())
                    .is_some_and(|q| q <= 0.0)
            });
            (coding.eq_ignore_ascii_case("gzip") || coding == "*") && !refused
        })
}

/// The gzipped asset, compressed on its first request; None where that saves nothing.
fn gzipped(hash: [u8; 32], data: &[u8]) -> Option<Bytes> {
    if let Some(known) = GZIPPED.lock().ok()?.get(&hash) {
        return known.clone();
    }
    let mut encoder = GzEncoder::new(Vec::with_capacity(data.len() / 3), Compression::default());
    let compressed = encoder
        .write_all(data)
        .and_then(|()| encoder.finish())
        .ok()
        .filter(|compressed| compressed.len() < data.len())
        .map(Bytes::from);
    GZIPPED.lock().ok()?.insert(hash, compressed.clone());
    compressed
}

fn hex_prefix(hash: &[u8]) -> String {
    hash.iter()
        .take(12)
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_encoding_is_read_as_browsers_and_proxies_send_it() {
        let accepts = |value| {
            let mut headers = HeaderMap::new();
            headers.insert(header::ACCEPT_ENCODING, HeaderValue::from_static(value));
            accepts_gzip(&headers)
        };
        assert!(accepts("gzip, deflate, br, zstd"));
        assert!(accepts("br;q=1.0, GZIP;q=0.5"));
        assert!(accepts("*"));
        assert!(!accepts("gzip;q=0"));
        assert!(!accepts("gzip; q=0.0, br"));
        assert!(!accepts("identity"));
        assert!(!accepts("x-gzip-like"));
        assert!(!accepts_gzip(&HeaderMap::new()));
    }

    #[test]
    fn an_asset_is_compressed_once_and_tiny_ones_not_at_all() {
        let text = "body { color: red; }\n".repeat(200);
        let first = gzipped([7; 32], text.as_bytes()).expect("repetitive text shrinks");
        assert!(first.len() < text.len() / 10);
        let again = gzipped([7; 32], b"different bytes under the same hash");
        assert_eq!(again, Some(first), "the cached copy, not a new compression");
        assert_eq!(gzipped([8; 32], b"x"), None, "gzip would grow one byte");
    }
}
