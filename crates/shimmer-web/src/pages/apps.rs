//! Settings pages for the OAuth provider: the developer's own applications (create, edit, logo,
//! rotate secret, delete) and the apps the user has authorized (with revoke). Who may change an
//! app is decided in the domain (`Platform::owned_app`).

use askama::Template;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;
use shimmer_platform::oauth::{app_logo_src, AppForm, MAX_LOGO_BYTES};
use shimmer_platform::AppView;
use shimmer_platform::PlatformError;

use super::{render, require_user, NoticeQuery};
use crate::context::RequestContext;
use crate::error::WebError;
use crate::forms::{read_file_field, refused, FormState, ParsedForm, UploadError};
use crate::templates::{format_time, PageContext};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/users/settings/applications", get(list_page).post(create))
        .route(
            "/users/settings/applications/{id}",
            get(edit_page).post(update),
        )
        .route(
            "/users/settings/applications/{id}/logo",
            post(upload_logo).layer(DefaultBodyLimit::max(MAX_LOGO_BYTES + 64 * 1024)),
        )
        .route(
            "/users/settings/applications/{id}/rotate",
            post(rotate_secret),
        )
        .route(
            "/users/settings/applications/{id}/delete",
            get(delete_page).post(delete),
        )
        .route("/users/settings/authorizations", get(authorizations_page))
        .route(
            "/users/settings/authorizations/{app_id}/revoke",
            post(revoke_authorization),
        )
}

/// An app as the settings pages show it.
pub struct AppRow {
    pub id: i64,
    pub name: String,
    pub client_id: String,
    pub logo: Option<String>,
    /// The operator-made ingest credential, marked so its owner handles it with care.
    pub ingest: bool,
    pub created: String,
}

impl AppRow {
    fn new(app: &AppView, locale: shimmer_i18n::Locale) -> Self {
        Self {
            id: app.id,
            name: app.name.clone(),
            client_id: app.client_id.clone(),
            logo: app_logo_src(app),
            ingest: app.ingest,
            created: format_time(locale, app.created_at),
        }
    }
}

#[derive(Template)]
#[template(path = "settings/applications.html")]
struct ApplicationsPage {
    page: PageContext,
    section: &'static str,
    apps: Vec<AppRow>,
    form: FormState,
}

#[derive(Template)]
#[template(path = "settings/application.html")]
struct ApplicationPage {
    page: PageContext,
    section: &'static str,
    app: AppRow,
    form: FormState,
    /// A secret just made: shown this once.
    new_secret: Option<String>,
}

#[derive(Template)]
#[template(path = "settings/application_delete.html")]
struct DeleteApplicationPage {
    page: PageContext,
    section: &'static str,
    app: AppRow,
}

/// An authorized app as its row on the "Authorized apps" page.
pub struct AuthorizationRow {
    pub app_id: i64,
    pub name: String,
    pub logo: Option<String>,
    /// The scopes' names; the page words each in the reader's language.
    pub scopes: Vec<&'static str>,
    pub granted: String,
}

#[derive(Template)]
#[template(path = "settings/authorizations.html")]
struct AuthorizationsPage {
    page: PageContext,
    section: &'static str,
    apps: Vec<AuthorizationRow>,
}

#[derive(Deserialize)]
pub struct AppFields {
    #[serde(default)]
    name: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    homepage_url: String,
    #[serde(default)]
    redirect_uris: String,
}

impl AppFields {
    fn form(&self) -> AppForm {
        AppForm {
            name: self.name.clone(),
            description: self.description.clone(),
            homepage_url: self.homepage_url.clone(),
            redirect_uris: self.redirect_uris.clone(),
        }
    }

    fn state(&self, state: FormState) -> FormState {
        state
            .with_value("name", &self.name)
            .with_value("description", &self.description)
            .with_value("homepage_url", &self.homepage_url)
            .with_value("redirect_uris", &self.redirect_uris)
    }
}

fn filled(app: &AppView) -> FormState {
    with_app_values(FormState::default(), app)
}

fn with_app_values(form: FormState, app: &AppView) -> FormState {
    form.with_value("name", &app.name)
        .with_value("description", &app.description)
        .with_value("homepage_url", &app.homepage_url)
        .with_value("redirect_uris", &app.redirect_uris.join("\n"))
}

async fn list_response(
    state: &AppState,
    context: &RequestContext,
    status: StatusCode,
    notice: Option<&'static str>,
    form: FormState,
) -> Result<Response, WebError> {
    let user = &require_user(context)?.user;
    let apps = state.platform.apps_of(user).await?;
    let page = PageContext::new(
        "title-developer-applications",
        context,
        state.config.dev_mode,
    )
    .with_notice(notice);
    Ok(render(
        status,
        &ApplicationsPage {
            page,
            section: "applications",
            apps: apps
                .iter()
                .map(|app| AppRow::new(app, context.locale))
                .collect(),
            form,
        },
    ))
}

async fn list_page(
    State(state): State<AppState>,
    context: RequestContext,
    Query(notice): Query<NoticeQuery>,
) -> Result<Response, WebError> {
    list_response(
        &state,
        &context,
        StatusCode::OK,
        notice.message(),
        FormState::default(),
    )
    .await
}

async fn create(
    State(state): State<AppState>,
    context: RequestContext,
    ParsedForm(fields): ParsedForm<AppFields>,
) -> Result<Response, WebError> {
    let user = &require_user(&context)?.user;
    match state.platform.create_app(user, &fields.form(), false).await {
        Ok(created) => Ok(edit_response(
            &state,
            &context,
            StatusCode::CREATED,
            Some("notice-app-created"),
            &created.app,
            filled(&created.app),
            Some(created.client_secret),
        )),
        Err(error) => {
            let (status, form_state) = refused(error)?;
            list_response(&state, &context, status, None, fields.state(form_state)).await
        }
    }
}

fn edit_response(
    state: &AppState,
    context: &RequestContext,
    status: StatusCode,
    notice: Option<&'static str>,
    app: &AppView,
    form: FormState,
    new_secret: Option<String>,
) -> Response {
    let page =
        PageContext::new(app.name.clone(), context, state.config.dev_mode).with_notice(notice);
    render(
        status,
        &ApplicationPage {
            page,
            section: "applications",
            app: AppRow::new(app, context.locale),
            form,
            new_secret,
        },
    )
}

async fn edit_page(
    State(state): State<AppState>,
    context: RequestContext,
    Path(id): Path<i64>,
    Query(notice): Query<NoticeQuery>,
) -> Result<Response, WebError> {
    let user = &require_user(&context)?.user;
    let app = state.platform.owned_app(user, id).await?;
    Ok(edit_response(
        &state,
        &context,
        StatusCode::OK,
        notice.message(),
        &app,
        filled(&app),
        None,
    ))
}

async fn update(
    State(state): State<AppState>,
    context: RequestContext,
    Path(id): Path<i64>,
    ParsedForm(fields): ParsedForm<AppFields>,
) -> Result<Response, WebError> {
    let user = &require_user(&context)?.user;
    match state.platform.update_app(user, id, &fields.form()).await {
        Ok(()) => Ok(Redirect::to(&format!(
            "/users/settings/applications/{id}?notice=app_saved"
        ))
        .into_response()),
        Err(error @ (PlatformError::Forbidden | PlatformError::NotFound(_))) => Err(error.into()),
        Err(error) => {
            let app = state.platform.owned_app(user, id).await?;
            let (status, form_state) = refused(error)?;
            Ok(edit_response(
                &state,
                &context,
                status,
                None,
                &app,
                fields.state(form_state),
                None,
            ))
        }
    }
}

/// The `logo` file of an upload form.
async fn read_logo(multipart: Multipart) -> Result<Vec<u8>, WebError> {
    read_file_field(multipart, "logo")
        .await
        .map_err(|error| match error {
            UploadError::Form { .. } => WebError::bad_request("error-upload-unreadable"),
            UploadError::File { .. } => {
                WebError::Status(StatusCode::PAYLOAD_TOO_LARGE, "apps-logo-too-large".into())
            }
        })
}

async fn upload_logo(
    State(state): State<AppState>,
    context: RequestContext,
    Path(id): Path<i64>,
    multipart: Multipart,
) -> Result<Response, WebError> {
    let user = &require_user(&context)?.user;
    let app = state.platform.owned_app(user, id).await?;
    let bytes = read_logo(multipart).await?;
    match state.platform.set_app_logo(user, id, &bytes).await {
        Ok(()) => Ok(Redirect::to(&format!(
            "/users/settings/applications/{id}?notice=logo_saved"
        ))
        .into_response()),
        Err(error) => {
            let (status, form_state) = refused(error)?;
            let form_state = with_app_values(form_state, &app);
            Ok(edit_response(
                &state, &context, status, None, &app, form_state, None,
            ))
        }
    }
}

async fn rotate_secret(
    State(state): State<AppState>,
    context: RequestContext,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    let user = &require_user(&context)?.user;
    let rotated = state.platform.rotate_app_secret(user, id).await?;
    Ok(edit_response(
        &state,
        &context,
        StatusCode::OK,
        Some("notice-secret-rotated"),
        &rotated.app,
        filled(&rotated.app),
        Some(rotated.client_secret),
    ))
}

async fn delete_page(
    State(state): State<AppState>,
    context: RequestContext,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    let user = &require_user(&context)?.user;
    let app = state.platform.owned_app(user, id).await?;
    let page = PageContext::new(
        context.message("apps-delete-title", &[("app", app.name.as_str().into())]),
        &context,
        state.config.dev_mode,
    );
    Ok(render(
        StatusCode::OK,
        &DeleteApplicationPage {
            page,
            section: "applications",
            app: AppRow::new(&app, context.locale),
        },
    ))
}

#[derive(Deserialize)]
pub struct DeleteFields {
    #[serde(default)]
    confirm: String,
}

async fn delete(
    State(state): State<AppState>,
    context: RequestContext,
    Path(id): Path<i64>,
    ParsedForm(fields): ParsedForm<DeleteFields>,
) -> Result<Response, WebError> {
    let user = &require_user(&context)?.user;
    let app = state.platform.owned_app(user, id).await?;
    if fields.confirm.trim() != app.name {
        return Err(WebError::Status(
            StatusCode::UNPROCESSABLE_ENTITY,
            context.t("apps-delete-confirm-refused"),
        ));
    }
    state.platform.delete_app(user, id).await?;
    Ok(Redirect::to("/users/settings/applications?notice=app_deleted").into_response())
}

async fn authorizations_page(
    State(state): State<AppState>,
    context: RequestContext,
    Query(notice): Query<NoticeQuery>,
) -> Result<Response, WebError> {
    let user = &require_user(&context)?.user;
    let apps = state.platform.authorized_apps(user).await?;
    let page = PageContext::new("title-authorized-apps", &context, state.config.dev_mode)
        .with_notice(notice.message());
    Ok(render(
        StatusCode::OK,
        &AuthorizationsPage {
            page,
            section: "authorizations",
            apps: apps
                .iter()
                .map(|authorized| AuthorizationRow {
                    app_id: authorized.app.id,
                    name: authorized.app.name.clone(),
                    logo: app_logo_src(&authorized.app),
                    scopes: authorized
                        .scopes
                        .iter()
                        .map(|scope| scope.as_str())
                        .collect(),
                    granted: format_time(context.locale, authorized.last_granted_at),
                })
                .collect(),
        },
    ))
}

async fn revoke_authorization(
    State(state): State<AppState>,
    context: RequestContext,
    Path(app_id): Path<i64>,
) -> Result<Response, WebError> {
    let user = &require_user(&context)?.user;
    state.platform.revoke_authorization(user, app_id).await?;
    Ok(Redirect::to("/users/settings/authorizations?notice=authorization_revoked").into_response())
}
