//! Running one GraphQL operation, the same way for every transport: parse, normalise names
//! (see [`crate::names`]), attach the caller, execute on the prebuilt schema, and measure.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextExecute, NextResolve, ResolveInfo,
};
use async_graphql::parser::types::{ExecutableDocument, OperationType, Selection};
use async_graphql::{
    PathSegment, QueryPathNode, QueryPathSegment, Request, Response, ServerError, ServerResult,
    Value, Variables,
};
use serde_json::{json, Value as Json};

use crate::auth::Caller;
use crate::local_tasks::LocalTasks;
use crate::schema::avatars::avatars;
use crate::{names, Api, ApiState};
use shimmer_http::ClientIp;

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
    /// The document and variables as sent, from which a subscription's id is made (`None`
    /// for queries and mutations, which need none).
    pub fingerprint: Option<String>,
    pub roots: Vec<RootField>,
    /// Set once the document passed validation and began to run.
    pub executed: Executed,
    /// The fetches of the request's data loaders; whoever runs the request drives them.
    pub tasks: LocalTasks,
}

/// Whether a request got past validation: only then do failed root fields become `null`.
#[derive(Debug, Clone, Default)]
pub struct Executed(Arc<AtomicBool>);

impl Executed {
    pub fn get(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

/// The errors of fields answered with `null` in place of their value (see [`MarkExecuted`]),
/// added to the response once the operation finished. Present only for queries and mutations:
/// a subscription's events keep the executor's own error handling.
#[derive(Debug, Clone, Default)]
struct FieldErrors(Arc<FailureLog>);

#[derive(Debug, Default)]
struct FailureLog {
    failures: Mutex<Failures>,
    /// Set once any non-null field failed, so successful fields skip the check otherwise.
    any_unresolved: AtomicBool,
}

#[derive(Debug, Default)]
struct Failures {
    errors: Vec<ServerError>,
    /// Paths of non-null places that had to be null: their parents must be null instead.
    unresolved: Vec<Vec<PathSegment>>,
}

impl FieldErrors {
    fn lock(&self) -> std::sync::MutexGuard<'_, Failures> {
        self.0
            .failures
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// A field at `path` failed with `error`.
    fn failed(&self, path: Vec<PathSegment>, error: ServerError, non_null: bool) {
        let mut failures = self.lock();
        failures.errors.push(error);
        if non_null {
            self.unresolved(&mut failures, path);
        }
    }

    fn unresolved(&self, failures: &mut Failures, path: Vec<PathSegment>) {
        failures.unresolved.push(path);
        self.0.any_unresolved.store(true, Ordering::Relaxed);
    }

    /// Whether a non-null child of the field at `path` (a field, or an item of its list) had
    /// to be null, which makes this field null too. Forgets those children.
    fn child_failed(&self, path: &[PathSegment]) -> bool {
        let mut failures = self.lock();
        let before = failures.unresolved.len();
        failures
            .unresolved
            .retain(|child| child.split_last().map(|(_, parent)| parent) != Some(path));
        failures.unresolved.len() != before
    }

    /// The errors, and whether a non-null root field failed (so `data` itself is null).
    fn take(&self) -> (Vec<ServerError>, bool) {
        let mut failures = self.lock();
        let root_failed = !failures.unresolved.is_empty();
        failures.unresolved.clear();
        (std::mem::take(&mut failures.errors), root_failed)
    }
}

/// The schema's one extension: marks requests as [`Executed`], and answers a field whose
/// resolver failed with `null` and an error carrying the field's path, as GraphQL (and
/// Absinthe) do; the executor alone would leave the field out of its object and give the
/// error no path. A failed non-null field makes its nearest nullable parent `null` instead.
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

    async fn resolve(
        &self,
        ctx: &ExtensionContext<'_>,
        info: ResolveInfo<'_>,
        next: NextResolve<'_>,
    ) -> ServerResult<Option<Value>> {
        let path_node = info.path_node;
        let non_null = info.return_type.ends_with('!');
        let resolved = next.run(ctx, info).await;
        let Some(failures) = ctx.data_opt::<FieldErrors>() else {
            return resolved;
        };
        match resolved {
            Err(mut error) => {
                let path = path_of(path_node);
                if error.path.is_empty() {
                    error.path = path.clone();
                }
                failures.failed(path, error, non_null);
                Ok(Some(Value::Null))
            }
            Ok(value) if failures.0.any_unresolved.load(Ordering::Relaxed) => {
                let path = path_of(path_node);
                if !failures.child_failed(&path) {
                    return Ok(value);
                }
                if non_null {
                    failures.unresolved(&mut failures.lock(), path);
                }
                Ok(Some(Value::Null))
            }
            resolved => resolved,
        }
    }
}

/// A field's place in the response, from the root down.
fn path_of(node: &QueryPathNode<'_>) -> Vec<PathSegment> {
    let mut path: Vec<PathSegment> = std::iter::once(node)
        .chain(node.parents())
        .map(|node| match node.segment {
            QueryPathSegment::Name(name) => PathSegment::Field(name.to_owned()),
            QueryPathSegment::Index(index) => PathSegment::Index(index),
        })
        .collect();
    path.reverse();
    path
}

/// What a client sent: the document and its parameters.
pub struct Submission {
    pub query: String,
    pub variables: Option<Json>,
    pub operation_name: Option<String>,
}

/// Parses and normalises a submission; a document that does not parse is answered at once.
pub fn prepare(
    state: &ApiState,
    submission: Submission,
    caller: Caller,
    ip: ClientIp,
) -> Result<Prepared, Box<Response>> {
    let document = state
        .0
        .documents
        .parse(&submission.query)
        .map_err(|error| Box::new(Response::from_errors(vec![error])))?;
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
    let fingerprint = (kind == OperationType::Subscription).then(|| {
        format!(
            "{}\n{}",
            submission.query,
            serde_json::to_string(&variables).unwrap_or_default()
        )
    });
    let executed = Executed::default();
    let tasks = LocalTasks::default();
    let mut request = Request::new(submission.query)
        .variables(variables)
        .data(caller)
        .data(ip)
        .data(executed.clone())
        .data(avatars(state.0.platform.clone(), tasks.clone()));
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
        tasks,
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
    let mut response =
        execute_nulling_failed_fields(state.schema(api), prepared.request, prepared.tasks).await;
    if executed.get() {
        complete_roots(&mut response, &roots);
    }
    record(state, api, prepared.label, &response, started);
    response
}

/// Executes a query or mutation so that failed nullable fields read `null` (see
/// [`MarkExecuted`]), running its loaders' fetches on this task.
async fn execute_nulling_failed_fields(
    schema: &async_graphql::dynamic::Schema,
    request: Request,
    tasks: LocalTasks,
) -> Response {
    let field_errors = FieldErrors::default();
    let mut response = tasks
        .run(schema.execute(request.data(field_errors.clone())))
        .await;
    let (errors, root_failed) = field_errors.take();
    response.errors.extend(errors);
    if root_failed {
        response.data = Value::Null;
    }
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

#[cfg(test)]
mod tests {
    use async_graphql::dynamic::{Field, FieldFuture, FieldValue, Object, Schema, TypeRef};

    use super::*;

    /// Query { thing: Thing }, where Thing has a working field, a failing nullable field and a
    /// failing non-null field.
    fn schema() -> Schema {
        let failing = |name: &str, ty: TypeRef| {
            Field::new(name, ty, |_| {
                FieldFuture::new(async { Err::<Option<FieldValue>, _>("it broke".into()) })
            })
        };
        let thing = Object::new("Thing")
            .field(Field::new("ok", TypeRef::named(TypeRef::STRING), |_| {
                FieldFuture::new(async { Ok(Some(FieldValue::value("fine"))) })
            }))
            .field(failing("broken", TypeRef::named(TypeRef::STRING)))
            .field(failing("needed", TypeRef::named_nn(TypeRef::STRING)));
        let query = Object::new("Query")
            .field(Field::new("thing", TypeRef::named("Thing"), |_| {
                FieldFuture::new(async { Ok(Some(FieldValue::NULL)) })
            }))
            .field(Field::new("things", TypeRef::named_list("Thing"), |_| {
                FieldFuture::new(async { Ok(Some(FieldValue::list([(), ()]))) })
            }));
        Schema::build("Query", None, None)
            .register(thing)
            .register(query)
            .extension(MarkExecuted)
            .finish()
            .unwrap()
    }

    async fn answer(document: &str) -> Json {
        let response =
            execute_nulling_failed_fields(&schema(), Request::new(document), LocalTasks::default())
                .await;
        serde_json::from_str(&response_json(&response)).unwrap()
    }

    #[tokio::test]
    async fn a_failed_nested_field_is_null_with_its_path() {
        let answer = answer("{ thing { ok alias: broken } }").await;
        assert_eq!(
            answer["data"],
            json!({"thing": {"ok": "fine", "alias": null}})
        );
        assert_eq!(answer["errors"][0]["path"], json!(["thing", "alias"]));
        assert_eq!(answer["errors"][0]["message"], "it broke");
        assert_eq!(answer["errors"].as_array().unwrap().len(), 1);
    }

    #[tokio::test]
    async fn a_failed_non_null_field_nulls_its_parent() {
        let answer = answer("{ thing { ok needed } }").await;
        assert_eq!(answer["data"], json!({"thing": null}));
        assert_eq!(answer["errors"][0]["path"], json!(["thing", "needed"]));
        assert_eq!(answer["errors"].as_array().unwrap().len(), 1);
    }

    #[tokio::test]
    async fn list_items_fail_one_by_one() {
        let nullable = answer("{ things { ok broken } }").await;
        assert_eq!(
            nullable["data"],
            json!({"things": [{"ok": "fine", "broken": null}, {"ok": "fine", "broken": null}]})
        );
        assert!(nullable["errors"]
            .as_array()
            .unwrap()
            .iter()
            .any(|error| error["path"] == json!(["things", 1, "broken"])));
        let non_null = answer("{ things { needed } }").await;
        assert_eq!(non_null["data"], json!({"things": [null, null]}));
        assert_eq!(non_null["errors"][0]["path"].as_array().unwrap().len(), 3);
    }
}
