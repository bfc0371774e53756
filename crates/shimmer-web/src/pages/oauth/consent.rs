//! `GET/POST /oauth/authorize`: the page where a signed-in user sees which app asks for what and
//! approves or denies it, and the app logos that page shows.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use serde::Deserialize;
use shimmer_platform::oauth::{app_logo_src, AuthorizeError, AuthorizeParams, AuthorizeRequest};

use crate::context::RequestContext;
use crate::error::WebError;
use crate::forms::ParsedForm;
use crate::pages::render;
use crate::templates::PageContext;
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/oauth/authorize", get(page).post(answer))
        .route("/oauth/logos/{file}", get(logo))
}

/// The request's parameters as they arrive in the query string or the consent form.
#[derive(Debug, Default, Deserialize)]
pub struct AuthorizeFields {
    #[serde(default)]
    client_id: String,
    #[serde(default)]
    redirect_uri: String,
    #[serde(default)]
    response_type: String,
    #[serde(default)]
    scope: String,
    #[serde(default)]
    state: String,
    #[serde(default)]
    code_challenge: String,
    #[serde(default)]
    code_challenge_method: String,
    /// `authorize` or `deny` (the consent form's buttons).
    #[serde(default)]
    action: String,
}

impl AuthorizeFields {
    fn params(&self) -> AuthorizeParams {
        AuthorizeParams {
            client_id: self.client_id.clone(),
            redirect_uri: self.redirect_uri.clone(),
            response_type: self.response_type.clone(),
            scope: self.scope.clone(),
            state: self.state.clone(),
            code_challenge: self.code_challenge.clone(),
            code_challenge_method: self.code_challenge_method.clone(),
        }
    }
}

/// One permission as the consent page lists it.
pub struct ScopeLine {
    /// The scope's name; the page words it in the reader's language.
    pub name: &'static str,
}

#[derive(Template)]
#[template(path = "oauth/authorize.html")]
struct ConsentPage {
    page: PageContext,
    app_name: String,
    app_description: String,
    homepage_url: String,
    owner: String,
    logo: Option<String>,
    scopes: Vec<ScopeLine>,
    redirect_host: String,
    client_id: String,
    redirect_uri: String,
    response_type: String,
    scope: String,
    state: String,
    code_challenge: String,
    code_challenge_method: String,
}

/// Where the browser goes next, or the page explaining why it goes nowhere.
fn refusal(error: AuthorizeError) -> Result<Response, WebError> {
    match error {
        AuthorizeError::Page(message) => Err(WebError::bad_request(message)),
        AuthorizeError::Redirect {
            redirect_uri,
            error,
            description,
            state,
        } => Ok(Redirect::to(&shimmer_platform::oauth::redirect_error(
            &redirect_uri,
            error,
            &description,
            state.as_deref(),
        ))
        .into_response()),
        AuthorizeError::Internal(error) => Err(error.into()),
    }
}

/// The login page, coming back here afterwards.
fn login_redirect(fields: &AuthorizeFields) -> Response {
    let pairs = [
        ("client_id", fields.client_id.as_str()),
        ("redirect_uri", &fields.redirect_uri),
        ("response_type", &fields.response_type),
        ("scope", &fields.scope),
        ("state", &fields.state),
        ("code_challenge", &fields.code_challenge),
        ("code_challenge_method", &fields.code_challenge_method),
    ];
    let query = serde_urlencoded::to_string(
        pairs
            .iter()
            .filter(|(_, value)| !value.is_empty())
            .collect::<Vec<_>>(),
    )
    .unwrap_or_default();
    let back = format!("/oauth/authorize?{query}");
    let target = serde_urlencoded::to_string([("return_to", back.as_str())]).unwrap_or_default();
    Redirect::to(&format!("/users/login?{target}")).into_response()
}

async fn page(
    State(state): State<AppState>,
    context: RequestContext,
    Query(fields): Query<AuthorizeFields>,
) -> Result<Response, WebError> {
    // A request that cannot succeed is refused before anyone is asked to log in for it.
    let request = match state.platform.check_authorize(&fields.params()).await {
        Ok(request) => request,
        Err(error) => return refusal(error),
    };
    if context.signed_in.is_none() {
        return Ok(login_redirect(&fields));
    }
    let owner = state
        .platform
        .user(request.app.owner_id)
        .await?
        .map(|user| user.username)
        .unwrap_or_default();
    let mut response = render(
        StatusCode::OK,
        &consent_page(&state, &context, &fields, &request, owner),
    );
    // The answer redirects to the app; the policy must let this page's form lead there.
    if let Ok(redirect) = url::Url::parse(&request.redirect_uri) {
        let policy = format!(
            "{}; form-action 'self' {}",
            crate::middleware::security_headers::CONTENT_SECURITY_POLICY
                .replace("form-action 'self'; ", ""),
            redirect.origin().ascii_serialization()
        );
        if let Ok(value) = HeaderValue::from_str(&policy) {
            response
                .headers_mut()
                .insert(header::CONTENT_SECURITY_POLICY, value);
        }
    }
    Ok(response)
}

fn consent_page(
    state: &AppState,
    context: &RequestContext,
    fields: &AuthorizeFields,
    request: &AuthorizeRequest,
    owner: String,
) -> ConsentPage {
    let app = &request.app;
    ConsentPage {
        page: PageContext::new(
            context.message("oauth-title", &[("app", app.name.as_str().into())]),
            context,
            state.config.dev_mode,
        ),
        app_name: app.name.clone(),
        app_description: app.description.clone(),
        homepage_url: app.homepage_url.clone(),
        owner,
        logo: app_logo_src(app),
        scopes: request
            .scopes
            .iter()
            .map(|scope| ScopeLine {
                name: scope.as_str(),
            })
            .collect(),
        redirect_host: url::Url::parse(&request.redirect_uri)
            .ok()
            .and_then(|url| url.host_str().map(str::to_owned))
            .unwrap_or_default(),
        client_id: fields.client_id.clone(),
        // As given (possibly empty): whether the request named one decides whether the code
        // exchange must name it too.
        redirect_uri: fields.redirect_uri.clone(),
        response_type: fields.response_type.clone(),
        scope: request.scopes.to_string(),
        state: fields.state.clone(),
        code_challenge: fields.code_challenge.clone(),
        code_challenge_method: fields.code_challenge_method.clone(),
    }
}

async fn answer(
    State(state): State<AppState>,
    context: RequestContext,
    ParsedForm(fields): ParsedForm<AuthorizeFields>,
) -> Result<Response, WebError> {
    let Some(signed_in) = &context.signed_in else {
        return Ok(login_redirect(&fields));
    };
    let request = match state.platform.check_authorize(&fields.params()).await {
        Ok(request) => request,
        Err(error) => return refusal(error),
    };
    let target = match fields.action.as_str() {
        "authorize" => {
            state
                .platform
                .approve_authorization(&signed_in.user, &request)
                .await?
        }
        "deny" => request.denied_redirect(),
        _ => {
            return Err(WebError::bad_request(
                "Choose Authorize or Deny on the authorization page.",
            ))
        }
    };
    Ok(Redirect::to(&target).into_response())
}

async fn logo(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> Result<Response, WebError> {
    let (path, content_type) = state.platform.app_logo_file(&file).await?;
    let bytes = tokio::fs::read(&path)
        .await
        .map_err(|_| WebError::NotFound)?;
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=86400"),
    );
    Ok(response)
}
