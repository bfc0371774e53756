//! GraphQL over HTTP, as Absinthe.Plug accepted it: the document from the `query` parameter or
//! the raw body, whatever the method or content type (a GET with a body included); `variables`
//! as an object, null, missing, or a JSON string; mutations refused over GET. A POSTed
//! `multipart/form-data` body is a file upload (see [`crate::upload`]), allowed up to
//! `max_upload_bytes` where every other body stays within `max_document_bytes`.

use async_graphql::parser::types::OperationType;
use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::Value as Json;

use crate::auth::{authenticate, AuthError, Caller, Credential};
use crate::execute::{self, Submission};
use crate::upload;
use crate::{Api, ApiState};
use shimmer_http::ClientIp;

pub async fn legacy(State(state): State<ApiState>, request: Request) -> Response {
    handle(state, Api::Legacy, request).await
}

pub async fn graph(State(state): State<ApiState>, request: Request) -> Response {
    handle(state, Api::Graph, request).await
}

fn json_response(status: StatusCode, body: String) -> Response {
    let mut response = (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        body,
    )
        .into_response();
    response.headers_mut().insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    response
}

fn error(status: StatusCode, message: &str) -> Response {
    json_response(status, execute::error_json(message))
}

/// Checks the allowance of a credential and resolves it to a caller, or answers as Glimesh
/// did: 401 for missing or invalid credentials, 429 past the rate limit.
pub(crate) async fn admit(
    state: &ApiState,
    credential: Option<Credential>,
) -> Result<Caller, Response> {
    let credential = credential
        .ok_or_else(|| error(StatusCode::UNAUTHORIZED, &AuthError::Missing.to_string()))?;
    if let Err(limited) = state.0.limits.check(&credential.rate_key()).await {
        let mut response = error(StatusCode::TOO_MANY_REQUESTS, &limited.message());
        response.headers_mut().insert(
            header::RETRY_AFTER,
            HeaderValue::from(limited.retry_after_secs()),
        );
        return Err(response);
    }
    authenticate(&state.0.platform, &credential)
        .await
        .map_err(|failure| match failure {
            AuthError::InvalidToken => json_response(
                StatusCode::UNAUTHORIZED,
                serde_json::json!({"errors": [{
                    "message": failure.to_string(),
                    "header_error": "invalid_access_token",
                }]})
                .to_string(),
            ),
            AuthError::Missing | AuthError::UnknownClient => {
                error(StatusCode::UNAUTHORIZED, &failure.to_string())
            }
            AuthError::Platform(failure) => {
                tracing::error!(error = %failure, "could not authenticate an API request");
                error(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "The API cannot check credentials right now. Try again shortly.",
                )
            }
        })
}

/// Past the limit, how much more of a refused body is read and thrown away, and for how long,
/// so a client still sending it reads the 413 instead of a connection reset mid-upload.
const DRAIN_BYTES: usize = 16 * 1024 * 1024;
const DRAIN_TIME: std::time::Duration = std::time::Duration::from_secs(10);

/// The body if it is at most `limit` bytes; None if it is larger (or broken), after draining
/// what the client keeps sending, within [`DRAIN_BYTES`] and [`DRAIN_TIME`].
async fn read_body(body: axum::body::Body, limit: usize) -> Option<Bytes> {
    use futures::StreamExt;
    let mut stream = body.into_data_stream();
    let mut collected = Vec::new();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.ok()?;
        if collected.len() + chunk.len() > limit {
            let drain = async {
                let mut drained = chunk.len();
                while let Some(Ok(chunk)) = stream.next().await {
                    drained += chunk.len();
                    if drained > DRAIN_BYTES {
                        break;
                    }
                }
            };
            let _ = tokio::time::timeout(DRAIN_TIME, drain).await;
            return None;
        }
        collected.extend_from_slice(&chunk);
    }
    Some(Bytes::from(collected))
}

fn is_media_type(headers: &HeaderMap, wanted: &str) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .is_some_and(|media| media.trim().eq_ignore_ascii_case(wanted))
}

/// The GraphQL parameters of a request, from the query string and the body.
fn submission(
    query_string: Option<&str>,
    headers: &HeaderMap,
    body: &Bytes,
) -> Result<Submission, String> {
    let mut params: serde_json::Map<String, Json> = serde_json::Map::new();
    let mut merge_pairs = |pairs: Vec<(String, String)>| {
        for (key, value) in pairs {
            params.entry(key).or_insert(Json::String(value));
        }
    };
    if let Some(query_string) = query_string {
        merge_pairs(serde_urlencoded::from_str(query_string).unwrap_or_default());
    }
    let body_text =
        std::str::from_utf8(body).map_err(|_| "The request body is not UTF-8 text.".to_owned())?;
    let mut raw_document = None;
    if !body_text.trim().is_empty() {
        let form: Vec<(String, String)> =
            if is_media_type(headers, "application/x-www-form-urlencoded") {
                serde_urlencoded::from_str(body_text).unwrap_or_default()
            } else {
                Vec::new()
            };
        // A raw document sent with the form type parses into no known parameter.
        let is_form = form
            .iter()
            .any(|(key, _)| matches!(key.as_str(), "query" | "variables" | "operationName"));
        if is_form {
            merge_pairs(form);
        } else {
            let json_body = is_media_type(headers, "application/json");
            match serde_json::from_str::<Json>(body_text) {
                Ok(Json::Object(map)) if json_body || map.contains_key("query") => {
                    for (key, value) in map {
                        params.entry(key).or_insert(value);
                    }
                }
                _ if json_body => return Err("The request body is not a JSON object.".to_owned()),
                _ => raw_document = Some(body_text.to_owned()),
            }
        }
    }
    let query = match params.remove("query") {
        Some(Json::String(query)) if !query.trim().is_empty() => Some(query),
        _ => raw_document,
    };
    let query = query.ok_or_else(|| "No query document supplied".to_owned())?;
    let variables = execute::decode_variables(params.remove("variables"))?;
    let operation_name = match params.remove("operationName") {
        Some(Json::String(name)) if !name.is_empty() => Some(name),
        _ => None,
    };
    Ok(Submission {
        query,
        variables,
        operation_name,
    })
}

async fn handle(state: ApiState, api: Api, request: Request) -> Response {
    let ip = ClientIp::of(request.extensions());
    let credential = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(Credential::from_authorization);
    let caller = match admit(&state, credential).await {
        Ok(caller) => caller,
        Err(response) => return response,
    };
    let (parts, body) = request.into_parts();
    let multipart = is_media_type(&parts.headers, "multipart/form-data");
    if multipart && parts.method != Method::POST {
        return error(
            StatusCode::METHOD_NOT_ALLOWED,
            "File uploads (multipart/form-data) must be sent with POST.",
        );
    }
    let limit = state.0.config.max_document_bytes;
    let body_limit = if multipart {
        state.0.config.max_upload_bytes
    } else {
        limit
    };
    let body = match read_body(body, body_limit).await {
        Some(body) => body,
        None if multipart => {
            return error(
                StatusCode::PAYLOAD_TOO_LARGE,
                &format!("The upload is too large: at most {body_limit} bytes in all."),
            )
        }
        None => {
            return error(
                StatusCode::PAYLOAD_TOO_LARGE,
                &format!("The request is too large: documents can be at most {limit} bytes."),
            )
        }
    };
    let parsed = if multipart {
        let content_type = parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok());
        upload::receive(content_type, body)
            .await
            .map(|(submission, files)| (submission, Some(files)))
    } else {
        submission(parts.uri.query(), &parts.headers, &body).map(|submission| (submission, None))
    };
    let (submission, files) = match parsed {
        Ok(parsed) => parsed,
        Err(message) => return error(StatusCode::BAD_REQUEST, &message),
    };
    if submission.query.len() > limit {
        return error(
            StatusCode::PAYLOAD_TOO_LARGE,
            &format!("The document is too large: at most {limit} bytes."),
        );
    }
    let mut prepared = match execute::prepare(&state, submission, caller, ip) {
        Ok(prepared) => prepared,
        Err(response) => return json_response(StatusCode::OK, execute::response_json(&response)),
    };
    match (prepared.kind, &parts.method) {
        (OperationType::Mutation, &Method::GET) => {
            return error(
                StatusCode::METHOD_NOT_ALLOWED,
                "Mutations cannot be sent with GET; use POST.",
            )
        }
        (OperationType::Subscription, _) => {
            return error(
                StatusCode::BAD_REQUEST,
                "Subscriptions need a WebSocket: connect to /api/graph/websocket or /api/socket/websocket.",
            )
        }
        _ => {}
    }
    if let Some(files) = files {
        prepared.request.data.insert(files);
    }
    let response = execute::run(&state, api, prepared).await;
    json_response(StatusCode::OK, execute::response_json(&response))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(content_type: Option<&str>) -> HeaderMap {
        let mut headers = HeaderMap::new();
        if let Some(content_type) = content_type {
            headers.insert(header::CONTENT_TYPE, content_type.parse().unwrap());
        }
        headers
    }

    #[test]
    fn documents_come_from_the_query_string_or_any_body() {
        let raw = submission(None, &headers(None), &Bytes::from("{ myself { id } }")).unwrap();
        assert_eq!(raw.query, "{ myself { id } }");
        let text = submission(
            None,
            &headers(Some("application/text; charset=utf-8")),
            &Bytes::from("query {channel(username: \"a\") {id}}"),
        )
        .unwrap();
        assert!(text.query.starts_with("query {channel"));
        let json = submission(
            None,
            &headers(Some("application/json")),
            &Bytes::from(r#"{"query":"{ a }","variables":null,"operationName":null}"#),
        )
        .unwrap();
        assert_eq!((json.query.as_str(), json.variables), ("{ a }", None));
        let param = submission(Some("query=%7B%20a%20%7D"), &headers(None), &Bytes::new()).unwrap();
        assert_eq!(param.query, "{ a }");
        let stringly = submission(
            None,
            &headers(Some("application/json")),
            &Bytes::from(r#"{"query":"q","variables":"{\"id\":1}"}"#),
        )
        .unwrap();
        assert_eq!(stringly.variables, Some(serde_json::json!({"id": 1})));
    }

    #[test]
    fn missing_documents_and_bad_variables_are_explained() {
        assert_eq!(
            submission(None, &headers(None), &Bytes::new())
                .err()
                .unwrap(),
            "No query document supplied"
        );
        assert!(submission(
            None,
            &headers(Some("application/json")),
            &Bytes::from(r#"{"query":"q","variables":[1]}"#)
        )
        .is_err());
    }
}
