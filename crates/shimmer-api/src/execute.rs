//! Running one GraphQL operation, the same way for every transport: parse, normalise names
//! (see [`crate::names`]), attach the caller, execute on the prebuilt schema, and measure.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextExecute};

use async_graphql::parser::types::{ExecutableDocument, OperationType, Selection};
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
    "uploadStreamThumbnail",
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
    pub roots: Vec<RootField>,
    /// Set once the document passed validation and began to run.
    pub executed: Executed,
}

/// Whether a request got past validation: only then do failed root fields become `null`.
#[derive(Debug, Clone, Default)]
pub struct Executed(Arc<AtomicBool>);

impl Executed {
    pub fn get(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

/// The schema extension that marks requests as [`Executed`].
pub struct MarkExecuted;

impl ExtensionFactory for MarkExecuted {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(MarkExecuted)
    }
}

#[async_graphql::async_trait::async_trait]
impl Extension for MarkExecuted {
    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> Response {
        if let Some(executed) = ctx.data_opt::<Executed>() {
            executed.0.store(true, Ordering::Relaxed);
        }
        next.run(ctx, operation_name).await
    }
}

/// What a client sent: the document and its parameters.
pub struct Submission {
    pub query: String,
    pub variables: Option<Json>,
    pub operation_name: Option<String>,
}

/// Parses and normalises a submission; a document that does not parse is answered at once.
pub fn prepare(
    submission: Submission,
    caller: Caller,
    ip: ClientIp,
) -> Result<Prepared, Box<Response>> {
    let mut document: ExecutableDocument = async_graphql::parser::parse_query(&submission.query)
        .map_err(|error| Box::new(Response::from_errors(vec![ServerError::from(error)])))?;
    names::normalise(&mut document);
    let (kind, first) = names::describe(&document, submission.operation_name.as_deref())
        .ok_or_else(|| {
            Box::new(Response::from_errors(vec![ServerError::new(
                "The document has several operations; name the one to run in `operationName`.",
                None,
            )]))
        })?;
    let roots = root_fields(&document, submission.operation_name.as_deref());
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
    let executed = Executed::default();
    let mut request = Request::new(submission.query)
        .variables(variables)
        .data(caller)
        .data(ip)
        .data(executed.clone());
    if let Some(name) = submission.operation_name {
        request = request.operation_name(name);
    }
    request.set_parsed_query(document);
    Ok(Prepared {
        request,
        kind,
        label,
        fingerprint,
        roots,
        executed,
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
    let roots = prepared.roots.clone();
    let executed = prepared.executed.clone();
    let mut response = state.schema(api).execute(prepared.request).await;
    if executed.get() {
        complete_roots(&mut response, &roots);
    }
    record(state, api, prepared.label, &response, started);
    response
}

/// Puts the root fields in the order the document asked for them, with `null` (and the path
/// on its error) for a root field whose resolver failed, as Absinthe answered: clients read
/// `data.createChatMessage` being null next to `errors`.
pub fn complete_roots(response: &mut Response, roots: &[RootField]) {
    if roots.is_empty() {
        return;
    }
    let mut data = match std::mem::take(&mut response.data) {
        async_graphql::Value::Object(data) => data,
        async_graphql::Value::Null if !response.errors.is_empty() => Default::default(),
        other => {
            response.data = other;
            return;
        }
    };
    if data.is_empty()
        && response
            .errors
            .iter()
            .all(|error| error.locations.is_empty())
    {
        return;
    }
    let mut ordered = async_graphql::indexmap::IndexMap::with_capacity(roots.len());
    for root in roots {
        let key = async_graphql::Name::new(&root.key);
        let value = data
            .shift_remove(&key)
            .unwrap_or(async_graphql::Value::Null);
        if value == async_graphql::Value::Null {
            for error in &mut response.errors {
                if error.path.is_empty() && error.locations.first() == Some(&root.pos) {
                    error.path = vec![async_graphql::PathSegment::Field(root.key.clone())];
                }
            }
        }
        ordered.insert(key, value);
    }
    ordered.extend(data);
    response.data = async_graphql::Value::Object(ordered);
}

/// A root field of the operation: its response key and where it is in the document.
#[derive(Debug, Clone)]
pub struct RootField {
    pub key: String,
    pub pos: async_graphql::Pos,
}

/// The plain root fields of the operation (none when it uses fragments or directives at the
/// root, whose fields may legitimately be absent).
fn root_fields(document: &ExecutableDocument, operation_name: Option<&str>) -> Vec<RootField> {
    let Some(operation) = names::selected_operation(document, operation_name) else {
        return Vec::new();
    };
    let mut roots = Vec::new();
    for item in &operation.selection_set.node.items {
        match &item.node {
            Selection::Field(field) if field.node.directives.is_empty() => roots.push(RootField {
                key: field.node.response_key().node.to_string(),
                pos: field.pos,
            }),
            _ => return Vec::new(),
        }
    }
    roots
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
/// `errors` with their `locations` and `path`. Written by hand around the serialised parts so
/// fields keep the order the document asked for them in.
pub fn response_json(response: &Response) -> String {
    let errors = || serde_json::to_string(&response.errors).unwrap_or_else(|_| "[]".into());
    if only_errors(response) {
        return format!(r#"{{"errors":{}}}"#, errors());
    }
    let data = serde_json::to_string(&response.data).unwrap_or_else(|_| "null".into());
    if response.errors.is_empty() {
        format!(r#"{{"data":{data}}}"#)
    } else {
        format!(r#"{{"data":{data},"errors":{}}}"#, errors())
    }
}

/// Whether the document failed before running (no data at all).
pub fn only_errors(response: &Response) -> bool {
    !response.errors.is_empty() && response.data == async_graphql::Value::Null
}

/// A response made of one error message.
pub fn error_json(message: &str) -> String {
    json!({ "errors": [{ "message": message }] }).to_string()
}
