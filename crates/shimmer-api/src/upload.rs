//! File uploads, as the GraphQL multipart request spec
//! (<https://github.com/jaydenseric/graphql-multipart-request-spec>) sends them: a POSTed
//! `multipart/form-data` body with an `operations` part (the usual JSON request), a `map` part
//! (`{"0": ["variables.thumbnail"]}`) and one part per file. async-graphql parses the body and
//! puts a file marker in each mapped variable; the files themselves are handed to resolvers as
//! [`UploadedFiles`] request data, and [`file`] is the only way a resolver reads one. So a marker
//! a client typed into a JSON request or a document names no file and is refused with a message,
//! instead of reaching async-graphql's `Upload::value` (which indexes without checking).

use std::io::Read;

use async_graphql::dynamic::ResolverContext;
use async_graphql::http::MultipartOptions;
use async_graphql::{ParseRequestError, Value};
use axum::body::Bytes;

use crate::execute::Submission;

/// What async-graphql writes into a variable that a `map` entry names.
const FILE_MARKER: &str = "#__graphql_file__:";

/// The files of one multipart request, in the order their markers number them.
#[derive(Default)]
pub struct UploadedFiles(Vec<Bytes>);

/// Parses a multipart request body (already read within the upload limit) into the
/// submission and its files, or says why it cannot be (a client error: answer 400).
pub async fn receive(
    content_type: Option<&str>,
    body: Bytes,
) -> Result<(Submission, UploadedFiles), String> {
    let request =
        async_graphql::http::receive_body(content_type, body.as_ref(), MultipartOptions::default())
            .await
            .map_err(refusal)?;
    let mut files = Vec::with_capacity(request.uploads.len());
    for upload in request.uploads {
        let mut bytes = Vec::new();
        upload
            .into_read()
            .read_to_end(&mut bytes)
            .map_err(|_| "A file part of the request could not be read.".to_owned())?;
        files.push(Bytes::from(bytes));
    }
    let variables = serde_json::to_value(&request.variables)
        .map_err(|_| "`variables` in the `operations` part must be a JSON object.".to_owned())?;
    let variables = crate::execute::decode_variables(Some(variables))?;
    if request.query.trim().is_empty() {
        return Err("No query document supplied in the `operations` part.".to_owned());
    }
    Ok((
        Submission {
            query: request.query,
            variables,
            operation_name: request.operation_name.filter(|name| !name.is_empty()),
        },
        UploadedFiles(files),
    ))
}

/// A parse failure in words for the client.
fn refusal(error: ParseRequestError) -> String {
    let message = match error {
        ParseRequestError::MissingOperatorsPart => {
            "The multipart request has no `operations` part: send the query and variables as \
             JSON in a part named `operations`."
        }
        ParseRequestError::MissingMapPart => {
            "The multipart request has no `map` part: send a JSON object naming where each file \
             goes, such as {\"0\": [\"variables.thumbnail\"]}."
        }
        ParseRequestError::InvalidFilesMap(_) => {
            "The `map` part must be a JSON object from file part names to lists of variable \
             paths, such as {\"0\": [\"variables.thumbnail\"]}."
        }
        ParseRequestError::MissingFiles => {
            "The `map` part names a file part that the request does not contain."
        }
        ParseRequestError::UnsupportedBatch => {
            "Send one operation per request; batches are not supported."
        }
        ParseRequestError::InvalidRequest(_) => {
            "The `operations` part must be a JSON object with `query`, `variables` and \
             `operationName`."
        }
        _ => {
            "The request body is not valid multipart/form-data (check the boundary and the \
             parts)."
        }
    };
    message.to_owned()
}

/// The bytes of the file a multipart request mapped to argument `name`. Over JSON, a socket or
/// with an unmapped variable there is none, and the caller is told how to send one.
pub fn file(ctx: &ResolverContext<'_>, name: &str) -> async_graphql::Result<Bytes> {
    let missing = || {
        async_graphql::Error::new(format!(
            "`{name}` must be a file sent in a multipart/form-data POST (the GraphQL multipart request spec), mapped to the variable that holds it."
        ))
    };
    let Value::String(marker) = ctx.args.try_get(name)?.as_value() else {
        return Err(missing());
    };
    let index: usize = marker
        .strip_prefix(FILE_MARKER)
        .and_then(|index| index.parse().ok())
        .ok_or_else(missing)?;
    ctx.data_opt::<UploadedFiles>()
        .and_then(|files| files.0.get(index))
        .cloned()
        .ok_or_else(missing)
}
