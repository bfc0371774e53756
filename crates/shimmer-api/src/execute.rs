//! Running one GraphQL operation, the same way for every transport: parse, normalise names
//! (see [`crate::names`]), attach the caller, execute on the prebuilt schema, and measure.

use std::time::Instant;

use async_graphql::parser::types::{ExecutableDocument, OperationType};
use async_graphql::{Request, Response, ServerError, Variables};
use serde_json::{json, Value as Json};

use crate::auth::Caller;
use crate::{names, Api, ApiState, ClientIp};

/// Root fields that get their own metric label; anything else is counted as `other`, so a
/// client cannot create unbounded label values.
const KNOWN_OPERATIONS: &[&str] = &[
    "myself",
    "user",
    "users",
    "followers",
    "channel",
    "channels",
    "homepageChannels",
    "categories",
    "category",
    "subscriptions",
    "follow",
    "unfollow",
    "createChatMessage",
    "shortTimeoutUser",
    "longTimeoutUser",
    "banUser",
    "unbanUser",
    "deleteChatMessage",
    "deleteMessage",
    "updateStreamInfo",
    "startStream",
    "endStream",
    "logStreamMetadata",
    "chatMessage",
    "moderationAction",
    "chatMessagesDeleted",
    "__schema",
    "__type",
];

/// An operation ready to run.
pub struct Prepared {
    pub request: Request,
    pub kind: OperationType,
    pub label: &'static str,
    /// The document and variables as sent, for subscription ids.
    pub fingerprint: String,
}

/// What a client sent: the document and its parameters.
pub struct Submission {
    pub query: String,
    pub variables: Option<Json>,
    pub operation_name: Option<String>,
}

/// Parses and normalises a submission; a document that does not parse is answered at once.
pub fn prepare(submission: Submission, caller: Caller, ip: ClientIp) -> Result<Prepared, Response> {
    let mut document: ExecutableDocument = async_graphql::parser::parse_query(&submission.query)
        .map_err(|error| Response::from_errors(vec![ServerError::from(error)]))?;
    names::normalise(&mut document);
    let (kind, first) = names::describe(&document, submission.operation_name.as_deref())
        .ok_or_else(|| {
            Response::from_errors(vec![ServerError::new(
                "The document has several operations; name the one to run in `operationName`.",
                None,
            )])
        })?;
    let label = KNOWN_OPERATIONS
        .iter()
        .find(|known| **known == first)
        .copied()
        .unwrap_or("other");
    let variables = match submission.variables {
        Some(Json::Object(map)) => Variables::from_json(Json::Object(map)),
        _ => Variables::default(),
    };
    let fingerprint = format!(
        "{}\n{}",
        submission.query,
        serde_json::to_string(&variables).unwrap_or_default()
    );
    let mut request = Request::new(submission.query)
        .variables(variables)
        .data(caller)
        .data(ip);
    if let Some(name) = submission.operation_name {
        request = request.operation_name(name);
    }
    request.set_parsed_query(document);
    Ok(Prepared {
        request,
        kind,
        label,
        fingerprint,
    })
}

/// Decodes the `variables` parameter: an object, null, missing, `""`, or a JSON string
/// holding an object (as Absinthe accepted).
pub fn decode_variables(value: Option<Json>) -> Result<Option<Json>, String> {
    match value {
        None | Some(Json::Null) => Ok(None),
        Some(Json::Object(map)) => Ok(Some(Json::Object(map))),
        Some(Json::String(text)) if text.trim().is_empty() => Ok(None),
        Some(Json::String(text)) => match serde_json::from_str::<Json>(&text) {
            Ok(Json::Object(map)) => Ok(Some(Json::Object(map))),
            Ok(Json::Null) => Ok(None),
            _ => Err("`variables` must be a JSON object.".to_owned()),
        },
        Some(_) => Err("`variables` must be a JSON object.".to_owned()),
    }
}

/// Runs a query or mutation and records its count, outcome and latency.
pub async fn run(state: &ApiState, api: Api, prepared: Prepared) -> Response {
    let started = Instant::now();
    let response = state.schema(api).execute(prepared.request).await;
    record(state, api, prepared.label, &response, started);
    response
}

/// Counts an operation and its latency; logs slow ones.
pub fn record(
    state: &ApiState,
    api: Api,
    label: &'static str,
    response: &Response,
    started: Instant,
) {
    let elapsed = started.elapsed();
    let outcome = if response.errors.is_empty() {
        "ok"
    } else {
        "error"
    };
    metrics::counter!(
        "api_operations_total",
        "api" => api.as_str(),
        "operation" => label,
        "outcome" => outcome
    )
    .increment(1);
    metrics::histogram!(
        "api_operation_duration_seconds",
        "api" => api.as_str(),
        "operation" => label
    )
    .record(elapsed.as_secs_f64());
    if elapsed >= state.0.config.slow_operation {
        tracing::warn!(
            api = api.as_str(),
            operation = label,
            elapsed_ms = elapsed.as_millis() as u64,
            errors = response.errors.len(),
            "slow API operation"
        );
    }
}

/// A response as Glimesh clients expect it: `data` (unless the document never ran) and
/// `errors` with their `locations` and `path`.
pub fn response_json(response: &Response) -> Json {
    let errors = || serde_json::to_value(&response.errors).unwrap_or(Json::Null);
    if only_errors(response) {
        return json!({ "errors": errors() });
    }
    let data = serde_json::to_value(&response.data).unwrap_or(Json::Null);
    if response.errors.is_empty() {
        json!({ "data": data })
    } else {
        json!({ "data": data, "errors": errors() })
    }
}

/// Whether the document failed before running (no data at all).
pub fn only_errors(response: &Response) -> bool {
    !response.errors.is_empty() && response.data == async_graphql::Value::Null
}

/// A response made of one error message.
pub fn error_json(message: &str) -> Json {
    json!({ "errors": [{ "message": message }] })
}
