//! Conditional GETs: whether a request's `If-None-Match` already names the entity tag of what
//! would be sent, so a 304 replaces the body (static assets, thumbnails).

use axum::http::{header, HeaderMap};

/// True when the request's `If-None-Match` names this entity tag (or `*`); a weak tag matches its
/// strong form, and the header may list several tags or come more than once.
pub(crate) fn not_modified(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(|tag| tag.trim().trim_start_matches("W/"))
        .any(|tag| tag == etag || tag == "*")
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    #[test]
    fn if_none_match_lists_and_weak_tags_match() {
        let mut headers = HeaderMap::new();
        assert!(!not_modified(&headers, "\"a\""));
        headers.insert(
            header::IF_NONE_MATCH,
            HeaderValue::from_static("\"x\", W/\"a\""),
        );
        assert!(not_modified(&headers, "\"a\""));
        assert!(!not_modified(&headers, "\"b\""));
        assert!(!not_modified(&headers, "\"a-gzip\""));
        headers.insert(header::IF_NONE_MATCH, HeaderValue::from_static("*"));
        assert!(not_modified(&headers, "\"b\""));
    }
}
