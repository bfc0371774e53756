//! Form parsing that answers malformed or oversized submissions with a clear page, and the state
//! a form page needs to show its errors next to the fields with the values the visitor typed.

use std::borrow::Borrow;
use std::collections::HashMap;

use axum::body::{Body, Bytes};
use axum::extract::rejection::FormRejection;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use serde::de::DeserializeOwned;
use shimmer_i18n::Locale;
use shimmer_platform::{FieldError, PlatformError};

use crate::error::WebError;

/// Like axum's `Form`, with rejections turned into readable error pages. A body whose decoded
/// names or values are not UTF-8 is refused: the standard decoder would silently turn such bytes
/// into U+FFFD and store what nobody typed.
pub struct ParsedForm<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ParsedForm<T> {
    type Rejection = WebError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let (parts, body) = request.into_parts();
        let body = Bytes::from_request(Request::from_parts(parts.clone(), body), state)
            .await
            .map_err(|_| WebError::PayloadTooLarge)?;
        if !decodes_as_utf8(&body) {
            return Err(WebError::bad_request(
                "The form contains text that is not valid UTF-8, so it was not saved. Send it \
                 again from the page in your browser.",
            ));
        }
        let request = Request::from_parts(parts, Body::from(body));
        match axum::Form::<T>::from_request(request, state).await {
            Ok(axum::Form(value)) => Ok(Self(value)),
            Err(FormRejection::BytesRejection(_)) => Err(WebError::PayloadTooLarge),
            Err(FormRejection::InvalidFormContentType(_)) => Err(WebError::Status(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "Forms must be sent as application/x-www-form-urlencoded.".into(),
            )),
            Err(rejection) => Err(WebError::bad_request(format!(
                "The form could not be read ({}). Reload the page and try again.",
                rejection.body_text()
            ))),
        }
    }
}

/// Whether every name and value of an `application/x-www-form-urlencoded` body is UTF-8 once
/// `+` and percent escapes are decoded.
fn decodes_as_utf8(body: &[u8]) -> bool {
    body.split(|byte| *byte == b'&').all(|pair| {
        let spaced: Vec<u8> = pair
            .iter()
            .map(|byte| if *byte == b'+' { b' ' } else { *byte })
            .collect();
        percent_encoding::percent_decode(&spaced)
            .decode_utf8()
            .is_ok()
    })
}

/// Values and errors of a submitted form, for showing it again.
#[derive(Debug, Clone, Default)]
pub struct FormState {
    values: HashMap<&'static str, String>,
    errors: Vec<FieldError>,
    /// A message about the form as a whole: a catalogue key, or the domain's words.
    pub general: Option<String>,
    /// The wait a rate-limit refusal names, for its message.
    retry_after_secs: Option<u64>,
}

impl FormState {
    pub fn with_value(mut self, field: &'static str, value: &str) -> Self {
        self.values.insert(field, value.to_owned());
        self
    }

    /// The form state after `error`: field errors go next to their fields, anything else on top.
    pub fn with_error(mut self, error: &PlatformError) -> Self {
        match error {
            PlatformError::Invalid(errors) => self.errors.extend(errors.iter().cloned()),
            PlatformError::BadCredentials => self.general = Some("error-bad-credentials".into()),
            PlatformError::Unauthenticated => self.general = Some("error-unauthenticated".into()),
            PlatformError::Forbidden => self.general = Some("error-forbidden".into()),
            PlatformError::RateLimited { retry_after } => {
                self.general = Some("error-rate-limited".into());
                self.retry_after_secs = Some(retry_after.as_secs().max(1));
            }
            other => self.general = Some(other.to_string()),
        }
        self
    }

    /// The message about the whole form in `locale` (catalogue keys, and the domain's English
    /// words the catalogue knows, translated).
    pub fn general_in(&self, locale: impl Borrow<Locale>) -> Option<String> {
        let locale = *locale.borrow();
        self.general
            .as_ref()
            .map(|message| match self.retry_after_secs {
                Some(seconds) => locale.message(message, &[("seconds", seconds.into())]),
                None => locale.words(message),
            })
    }

    /// The error next to `field` in `locale`.
    pub fn error_in(&self, field: &str, locale: impl Borrow<Locale>) -> Option<String> {
        let locale = *locale.borrow();
        self.error(field).map(|message| locale.words(message))
    }

    pub fn value(&self, field: &str) -> &str {
        self.values.get(field).map_or("", String::as_str)
    }

    pub fn error(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|error| error.field == field)
            .map(|error| error.message.as_str())
    }
}

/// The status and form state for showing a form again after a refusal. Internal failures are
/// not the visitor's to fix: they become the generic error page instead.
pub fn refused(error: PlatformError) -> Result<(StatusCode, FormState), WebError> {
    refused_with(error, FormState::default())
}

/// [`refused`], keeping what the visitor typed in `form` (its values echoed back).
pub fn refused_with(
    error: PlatformError,
    form: FormState,
) -> Result<(StatusCode, FormState), WebError> {
    if error.is_internal() {
        return Err(error.into());
    }
    Ok((status_for(&error), form.with_error(&error)))
}

/// The HTTP status for a form page shown again after `error`.
pub fn status_for(error: &PlatformError) -> StatusCode {
    match error {
        PlatformError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
        PlatformError::BadCredentials => StatusCode::UNAUTHORIZED,
        PlatformError::RateLimited { .. } | PlatformError::Throttled { .. } => {
            StatusCode::TOO_MANY_REQUESTS
        }
        PlatformError::TokenUnusable { .. } => StatusCode::GONE,
        PlatformError::Forbidden | PlatformError::Denied(_) => StatusCode::FORBIDDEN,
        PlatformError::NotFound(_) => StatusCode::NOT_FOUND,
        PlatformError::Refused(_) => StatusCode::CONFLICT,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// Why the file of an upload form could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UploadError {
    /// The form itself could not be read: malformed, or cut off (`too_large` when over the limit).
    Form { too_large: bool },
    /// The file's contents could not be read whole (`too_large` when over the limit).
    File { too_large: bool },
}

impl UploadError {
    pub fn too_large(self) -> bool {
        match self {
            Self::Form { too_large } | Self::File { too_large } => too_large,
        }
    }
}

/// The bytes of the file field `name` of a multipart upload form (empty when the form has none);
/// other fields are skipped.
pub async fn read_file_field(
    mut multipart: axum::extract::Multipart,
    name: &str,
) -> Result<Vec<u8>, UploadError> {
    let over_limit = |status: StatusCode| status == StatusCode::PAYLOAD_TOO_LARGE;
    let mut file = Vec::new();
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|error| UploadError::Form {
            too_large: over_limit(error.status()),
        })?
    {
        if field.name() == Some(name) {
            file = field
                .bytes()
                .await
                .map_err(|error| UploadError::File {
                    too_large: over_limit(error.status()),
                })?
                .to_vec();
        }
    }
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::decodes_as_utf8;

    #[test]
    fn invalid_utf8_in_any_field_is_found() {
        assert!(decodes_as_utf8(b"name=J%C3%BCrgen&bio=a+b"));
        assert!(decodes_as_utf8(b""));
        assert!(!decodes_as_utf8(b"name=J%FCrgen"));
        assert!(!decodes_as_utf8(b"ok=1&bio=%C3"));
        assert!(!decodes_as_utf8(b"na%FFme=x"));
        assert!(!decodes_as_utf8(b"raw=\xff"));
    }
}
