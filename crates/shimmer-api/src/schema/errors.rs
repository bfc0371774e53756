//! The errors resolvers answer with, in the words Glimesh's clients expect.

use async_graphql::Error;
use shimmer_platform::PlatformError;

use crate::auth::UNAUTHORIZED;

/// What a lookup of a row that does not exist (or may not be seen) answers.
const NOT_FOUND: &str = "Could not find resource";

/// What a server fault answers; the fault itself is logged, not described.
const INTERNAL: &str = "Something went wrong on our side. Try again later.";

/// A domain refusal as a GraphQL error. Server faults are logged and not described.
pub fn fail(error: PlatformError) -> Error {
    match error {
        PlatformError::Forbidden | PlatformError::Denied(_) | PlatformError::Unauthenticated => {
            unauthorized()
        }
        PlatformError::NotFound(_) => not_found(),
        error if error.is_internal() => {
            tracing::error!(%error, "an API operation failed");
            internal()
        }
        error => Error::new(error.to_string()),
    }
}

/// The caller may not do this.
pub fn unauthorized() -> Error {
    Error::new(UNAUTHORIZED)
}

/// The row an argument names does not exist.
pub fn not_found() -> Error {
    Error::new(NOT_FOUND)
}

/// A fault on the server's side, already logged by the caller.
pub fn internal() -> Error {
    Error::new(INTERNAL)
}
