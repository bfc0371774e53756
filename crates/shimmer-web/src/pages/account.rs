//! The account itself: changing the username, downloading the data, deleting the account.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use shimmer_platform::PlatformError;

use super::{render, require_user, NoticeQuery};
use crate::context::RequestContext;
use crate::error::WebError;
use crate::forms::{refused, refused_with, FormState, ParsedForm};
use crate::templates::PageContext;
use crate::AppState;

#[derive(Template)]
#[template(path = "accounts/account.html")]
struct AccountPage {
    page: PageContext,
    section: &'static str,
    form: FormState,
    username: String,
    two_factor: bool,
}

async fn account_response(
    state: &AppState,
    context: &RequestContext,
    status: StatusCode,
    form: FormState,
    notice: Option<&'static str>,
) -> Result<Response, WebError> {
    let user = &require_user(context)?.user;
    let two_factor = state.platform.two_factor_enabled(user.id).await?;
    let page =
        PageContext::new("title-account", context, state.config.dev_mode).with_notice(notice);
    Ok(render(
        status,
        &AccountPage {
            page,
            section: "account",
            form,
            username: user.username.clone(),
            two_factor,
        },
    ))
}

pub async fn page(
    State(state): State<AppState>,
    context: RequestContext,
    Query(notice): Query<NoticeQuery>,
) -> Result<Response, WebError> {
    account_response(
        &state,
        &context,
        StatusCode::OK,
        FormState::default(),
        notice.message(),
    )
    .await
}

#[derive(Deserialize)]
pub struct RenameForm {
    #[serde(default)]
    new_username: String,
    #[serde(default)]
    current_password: String,
}

pub async fn rename(
    State(state): State<AppState>,
    context: RequestContext,
    ParsedForm(form): ParsedForm<RenameForm>,
) -> Result<Response, WebError> {
    let signed_in = require_user(&context)?;
    match state
        .platform
        .change_username(signed_in, &form.current_password, &form.new_username)
        .await
    {
        Ok(()) => {
            Ok(Redirect::to("/users/settings/account?notice=username_changed").into_response())
        }
        Err(error) => {
            let echoed = FormState::default().with_value("new_username", &form.new_username);
            let (status, form) = refused_with(error, echoed)?;
            account_response(&state, &context, status, form, None).await
        }
    }
}

pub async fn export(
    State(state): State<AppState>,
    context: RequestContext,
) -> Result<Response, WebError> {
    let signed_in = require_user(&context)?;
    let zip = state.platform.export_account(signed_in).await?;
    let mut response = zip.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/zip"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(value) = HeaderValue::from_str(&format!(
        "attachment; filename=\"shimmer-{}.zip\"",
        signed_in.user.username
    )) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}

#[derive(Deserialize)]
pub struct DeleteForm {
    #[serde(default)]
    delete_password: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    confirm: Option<String>,
}

pub async fn delete(
    State(state): State<AppState>,
    context: RequestContext,
    ParsedForm(form): ParsedForm<DeleteForm>,
) -> Result<Response, WebError> {
    let signed_in = require_user(&context)?;
    if form.confirm.as_deref() != Some("yes") {
        let error = PlatformError::invalid("confirm", "account-delete-tick");
        let (status, form) = refused(error)?;
        return account_response(&state, &context, status, form, None).await;
    }
    match state
        .platform
        .delete_account(signed_in, &form.delete_password, &form.code)
        .await
    {
        Ok(()) => {
            let mut response = Redirect::to("/?notice=account_deleted").into_response();
            let removal = crate::middleware::session_removal_cookie();
            if let Ok(value) = HeaderValue::from_str(&removal.to_string()) {
                response.headers_mut().append(header::SET_COOKIE, value);
            }
            Ok(response)
        }
        Err(error) => {
            let error = match error {
                PlatformError::Invalid(mut errors) => {
                    for error in &mut errors {
                        if error.field == "current_password" {
                            error.field = "delete_password";
                        }
                    }
                    PlatformError::Invalid(errors)
                }
                other => other,
            };
            let (status, form) = refused(error)?;
            account_response(&state, &context, status, form, None).await
        }
    }
}
