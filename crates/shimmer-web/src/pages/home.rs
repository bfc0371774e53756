use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;

use super::{render, NoticeQuery};
use crate::context::RequestContext;
use crate::error::WebError;
use crate::templates::{ChannelCard, HomePage, PageContext};
use crate::AppState;

const HOME_CHANNELS: i64 = 60;

pub async fn page(
    State(state): State<AppState>,
    context: RequestContext,
    Query(notice): Query<NoticeQuery>,
) -> Result<Response, WebError> {
    let channels = state
        .platform
        .store
        .list_channels(HOME_CHANNELS)
        .await
        .map_err(shimmer_platform::PlatformError::from)?;
    let (live, offline): (Vec<_>, Vec<_>) = channels
        .into_iter()
        .map(|channel| ChannelCard {
            live: channel.is_live(),
            username: channel.username,
            display_name: channel.display_name,
            title: channel.title,
            mature: channel.mature,
            language: channel.language,
        })
        .partition(|card| card.live);
    let page =
        PageContext::new("Home", &context, state.config.dev_mode).with_notice(notice.message());
    Ok(render(
        StatusCode::OK,
        &HomePage {
            page,
            live,
            offline,
        },
    ))
}
