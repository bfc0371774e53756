//! Signing up, confirming the email, logging in and out, and resetting a forgotten password.

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{Cookie, SameSite};
use serde::Deserialize;
use shimmer_platform::accounts::{
    BotCheck, LoginOutcome, NewSession, Registration, REMEMBERED_SESSION,
};
use shimmer_platform::PlatformError;

use super::{render, require_user, NoticeQuery};
use crate::context::RequestContext;
use crate::error::WebError;
use crate::forms::{refused, refused_with, FormState, ParsedForm};
use crate::middleware::SESSION_COOKIE;
use crate::templates::{
    ConfirmPage, LoginPage, NoticePage, PageContext, RegisterPage, ResetFormPage, ResetRequestPage,
    SignInLinkPage,
};
use crate::AppState;

pub async fn register_page(
    State(state): State<AppState>,
    context: RequestContext,
) -> Result<Response, WebError> {
    let page = PageContext::new("title-sign-up", &context, state.config.dev_mode);
    let form =
        FormState::default().with_value("form_stamp", &state.platform.sign_up_form_stamp().await?);
    Ok(render(StatusCode::OK, &RegisterPage { page, form }))
}

#[derive(Deserialize)]
pub struct RegisterForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    /// When the form was shown (signed), for the minimum time to fill it in.
    #[serde(default)]
    form_stamp: String,
    /// The honeypot: hidden from people, so only scripts fill it in.
    #[serde(default)]
    website: String,
}

pub async fn register(
    State(state): State<AppState>,
    context: RequestContext,
    ParsedForm(form): ParsedForm<RegisterForm>,
) -> Result<Response, WebError> {
    let registration = Registration {
        username: form.username.clone(),
        email: form.email.clone(),
        password: form.password,
        preferences: Some(shimmer_platform::preferences::checked(
            context.theme.as_str(),
            context.chat_timestamps,
            context.show_mature,
            context.locale.code(),
        )),
    };
    let bot_check = BotCheck {
        form_stamp: form.form_stamp,
        honeypot: form.website,
    };
    match state
        .platform
        .register(
            &registration,
            &bot_check,
            context.client_ip,
            &context.user_agent,
        )
        .await
    {
        Ok(new_session) => {
            signed_in_response(&state, new_session, false, "/?notice=signed_up").await
        }
        Err(error) => {
            let retry_after = error.retry_after();
            let typed = FormState::default()
                .with_value("username", &form.username)
                .with_value("email", &form.email)
                .with_value("form_stamp", &state.platform.sign_up_form_stamp().await?);
            let (status, form_state) = refused_with(error, typed)?;
            let page = PageContext::new("title-sign-up", &context, state.config.dev_mode);
            let mut response = render(
                status,
                &RegisterPage {
                    page,
                    form: form_state,
                },
            );
            if let Some(wait) = retry_after {
                insert_retry_after(&mut response, wait);
            }
            Ok(response)
        }
    }
}

/// `Retry-After` in whole seconds (at least one) on a refusal by a limit.
fn insert_retry_after(response: &mut Response, wait: std::time::Duration) {
    response.headers_mut().insert(
        header::RETRY_AFTER,
        HeaderValue::from(wait.as_secs().max(1)),
    );
}

/// Where to go after logging in (`?return_to=/path`), for pages that need a signed-in user.
#[derive(Debug, Default, Deserialize)]
pub struct ReturnTo {
    #[serde(default)]
    pub(crate) return_to: String,
}

/// `return_to` if it is a path on this site (never another host, so the log-in page cannot be
/// used to send people elsewhere). Every step of logging in checks it with this.
pub(crate) fn local_path(return_to: &str) -> Option<&str> {
    let local = return_to.starts_with('/')
        && !return_to.starts_with("//")
        && !return_to.contains('\\')
        && !return_to.chars().any(char::is_control)
        && return_to.len() <= 4096;
    local.then_some(return_to)
}

/// `path` with `return_to` added to its query, when there is one to carry.
pub(crate) fn carrying_return_to(path: &str, return_to: Option<&str>) -> String {
    match return_to {
        Some(back) => {
            let separator = if path.contains('?') { '&' } else { '?' };
            let query = serde_urlencoded::to_string([("return_to", back)]).unwrap_or_default();
            format!("{path}{separator}{query}")
        }
        None => path.to_owned(),
    }
}

pub async fn login_page(
    State(state): State<AppState>,
    context: RequestContext,
    Query(notice): Query<NoticeQuery>,
    Query(back): Query<ReturnTo>,
) -> Response {
    let return_to = local_path(&back.return_to);
    if context.signed_in.is_some() {
        return Redirect::to(return_to.unwrap_or("/")).into_response();
    }
    let page = PageContext::new("title-log-in", &context, state.config.dev_mode)
        .with_notice(notice.message());
    render(
        StatusCode::OK,
        &LoginPage {
            page,
            form: FormState::default().with_value("return_to", return_to.unwrap_or_default()),
        },
    )
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    login: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    remember: Option<String>,
    #[serde(default)]
    return_to: String,
}

pub async fn login(
    State(state): State<AppState>,
    context: RequestContext,
    ParsedForm(form): ParsedForm<LoginForm>,
) -> Result<Response, WebError> {
    let remember = form.remember.is_some();
    let result = state
        .platform
        .login(
            &form.login,
            &form.password,
            remember,
            context.client_ip,
            &context.user_agent,
        )
        .await;
    match result {
        Ok(LoginOutcome::Session(new_session)) => {
            let target = local_path(&form.return_to).unwrap_or("/?notice=logged_in");
            signed_in_response(&state, *new_session, remember, target).await
        }
        Ok(LoginOutcome::SecondFactor { pending_token, .. }) => {
            Ok(super::two_factor::pending_login_response(
                &state,
                pending_token,
                local_path(&form.return_to),
            ))
        }
        Err(error) => {
            let retry_after = error.retry_after();
            let (status, form_state) = refused(error)?;
            let form_state = form_state
                .with_value("login", &form.login)
                .with_value("remember", if remember { "on" } else { "" })
                .with_value("return_to", local_path(&form.return_to).unwrap_or_default());
            let page = PageContext::new("title-log-in", &context, state.config.dev_mode);
            let mut response = render(
                status,
                &LoginPage {
                    page,
                    form: form_state,
                },
            );
            if let Some(wait) = retry_after {
                insert_retry_after(&mut response, wait);
            }
            Ok(response)
        }
    }
}

/// The response that signs a browser in: the session cookie, the account's saved preferences
/// as cookies (so they follow the person to every device), and a redirect.
pub(crate) async fn signed_in_response(
    state: &AppState,
    new_session: NewSession,
    remember: bool,
    to: &str,
) -> Result<Response, WebError> {
    let mut cookie = Cookie::build((SESSION_COOKIE, new_session.token))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.config.secure_cookies);
    if remember {
        cookie = cookie.max_age(time::Duration::seconds(REMEMBERED_SESSION.as_secs() as i64));
    }
    let mut response = Redirect::to(to).into_response();
    if let Ok(value) = HeaderValue::from_str(&cookie.build().to_string()) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    if let Some(preferences) = state
        .platform
        .saved_preferences(new_session.user.id)
        .await?
    {
        super::preferences::append_cookies(
            &mut response,
            &preferences,
            state.config.secure_cookies,
        );
    }
    Ok(response)
}

/// `GET /users/login/link/{token}`: the emailed sign-in link's page, with a button (mail
/// scanners that open links must not use it up).
pub async fn sign_in_link_page(
    State(state): State<AppState>,
    context: RequestContext,
    Path(token): Path<String>,
) -> Result<Response, WebError> {
    let page = PageContext::new(
        "title-log-in-with-your-link",
        &context,
        state.config.dev_mode,
    );
    let (status, form) = match state.platform.check_sign_in_link(&token).await {
        Ok(()) => (StatusCode::OK, FormState::default()),
        Err(error) => refused(error)?,
    };
    Ok(render(status, &SignInLinkPage { page, form, token }))
}

/// `POST /users/login/link/{token}`: signs in with the link (or on to the second step).
pub async fn sign_in_with_link(
    State(state): State<AppState>,
    context: RequestContext,
    Path(token): Path<String>,
) -> Result<Response, WebError> {
    match state
        .platform
        .sign_in_with_link(&token, &context.user_agent)
        .await
    {
        Ok(LoginOutcome::Session(new_session)) => {
            signed_in_response(&state, *new_session, false, "/?notice=logged_in").await
        }
        Ok(LoginOutcome::SecondFactor { pending_token, .. }) => Ok(
            super::two_factor::pending_login_response(&state, pending_token, None),
        ),
        Err(error) => {
            let (status, form) = refused(error)?;
            let page = PageContext::new(
                "title-log-in-with-your-link",
                &context,
                state.config.dev_mode,
            );
            Ok(render(status, &SignInLinkPage { page, form, token }))
        }
    }
}

pub async fn logout(
    State(state): State<AppState>,
    context: RequestContext,
) -> Result<Response, WebError> {
    if let Some(signed_in) = &context.signed_in {
        // Already gone is fine: the point is that it is gone.
        match state
            .platform
            .end_session(signed_in.user.id, signed_in.session.id)
            .await
        {
            Ok(()) | Err(PlatformError::NotFound(_)) => {}
            Err(error) => return Err(error.into()),
        }
    }
    let mut response = Redirect::to("/?notice=logged_out").into_response();
    let removal = crate::middleware::session_removal_cookie();
    if let Ok(value) = HeaderValue::from_str(&removal.to_string()) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    Ok(response)
}

pub async fn confirm_page(
    State(state): State<AppState>,
    context: RequestContext,
    Path(token): Path<String>,
) -> Response {
    let page = PageContext::new("title-confirm-your-email", &context, state.config.dev_mode);
    render(StatusCode::OK, &ConfirmPage { page, token })
}

pub async fn confirm(
    State(state): State<AppState>,
    context: RequestContext,
    Path(token): Path<String>,
) -> Result<Response, WebError> {
    let user = state.platform.confirm_email(&token).await?;
    let signed_in = context.signed_in.is_some();
    let page = PageContext::new("title-email-confirmed", &context, state.config.dev_mode);
    Ok(render(
        StatusCode::OK,
        &NoticePage {
            page,
            heading: context.t("title-email-confirmed"),
            message: context.message(
                "auth-confirmed",
                &[
                    ("username", user.username.as_str().into()),
                    ("email", user.email.as_str().into()),
                ],
            ),
            link_href: if signed_in {
                "/users/settings/stream"
            } else {
                "/users/login"
            },
            link_label: context.t(if signed_in {
                "auth-find-stream-key"
            } else {
                "nav-log-in"
            }),
        },
    ))
}

pub async fn resend_confirmation(
    State(state): State<AppState>,
    context: RequestContext,
) -> Result<Response, WebError> {
    let signed_in = require_user(&context)?;
    if signed_in.user.email_confirmed() {
        return Ok(Redirect::to("/users/settings/security").into_response());
    }
    state.platform.send_confirmation(&signed_in.user).await?;
    Ok(Redirect::to("/users/settings/security?notice=confirmation_sent").into_response())
}

pub async fn reset_request_page(
    State(state): State<AppState>,
    context: RequestContext,
) -> Response {
    let page = PageContext::new("title-reset-your-password", &context, state.config.dev_mode);
    render(
        StatusCode::OK,
        &ResetRequestPage {
            page,
            form: FormState::default(),
            sent: false,
        },
    )
}

#[derive(Deserialize)]
pub struct ResetRequestForm {
    #[serde(default)]
    email: String,
}

pub async fn reset_request(
    State(state): State<AppState>,
    context: RequestContext,
    ParsedForm(form): ParsedForm<ResetRequestForm>,
) -> Result<Response, WebError> {
    let page = PageContext::new("title-reset-your-password", &context, state.config.dev_mode);
    match state
        .platform
        .request_password_reset(&form.email, context.client_ip, context.locale)
        .await
    {
        Ok(()) => Ok(render(
            StatusCode::OK,
            &ResetRequestPage {
                page,
                form: FormState::default(),
                sent: true,
            },
        )),
        Err(error) => {
            let (status, form_state) = refused(error)?;
            let form = form_state.with_value("email", &form.email);
            Ok(render(
                status,
                &ResetRequestPage {
                    page,
                    form,
                    sent: false,
                },
            ))
        }
    }
}

pub async fn reset_page(
    State(state): State<AppState>,
    context: RequestContext,
    Path(token): Path<String>,
) -> Result<Response, WebError> {
    let page = PageContext::new(
        "title-choose-a-new-password",
        &context,
        state.config.dev_mode,
    );
    let (status, form) = match state.platform.check_reset_token(&token).await {
        Ok(()) => (StatusCode::OK, FormState::default()),
        Err(error) => refused(error)?,
    };
    Ok(render(status, &ResetFormPage { page, form, token }))
}

#[derive(Deserialize)]
pub struct ResetForm {
    #[serde(default)]
    password: String,
}

pub async fn reset(
    State(state): State<AppState>,
    context: RequestContext,
    Path(token): Path<String>,
    ParsedForm(form): ParsedForm<ResetForm>,
) -> Result<Response, WebError> {
    match state.platform.reset_password(&token, &form.password).await {
        Ok(_) => {
            let mut response = Redirect::to("/users/login?notice=password_reset").into_response();
            let removal = crate::middleware::session_removal_cookie();
            if let Ok(value) = HeaderValue::from_str(&removal.to_string()) {
                response.headers_mut().append(header::SET_COOKIE, value);
            }
            Ok(response)
        }
        Err(error) => {
            let (status, form) = refused(error)?;
            let page = PageContext::new(
                "title-choose-a-new-password",
                &context,
                state.config.dev_mode,
            );
            Ok(render(status, &ResetFormPage { page, form, token }))
        }
    }
}
