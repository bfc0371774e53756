//! `/staff/analytics`: the site's page views and unique visitors per day (first-party, no
//! addresses kept), for staff who may look things up.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use shimmer_platform::analytics::AnalyticsDayView;

use super::charts::{bars, Bar, CHART_HEIGHT, CHART_WIDTH};
use crate::context::RequestContext;
use crate::error::WebError;
use crate::pages::{render, require_user};
use crate::templates::PageContext;
use crate::AppState;

#[derive(Template)]
#[template(path = "staff/analytics.html")]
struct AnalyticsPage {
    page: PageContext,
    days: i64,
    rows: Vec<AnalyticsDayView>,
    total_views: i64,
    bars: Vec<Bar>,
    chart_width: i64,
    chart_height: i64,
}

#[derive(Deserialize, Default)]
pub struct AnalyticsQuery {
    #[serde(default)]
    days: Option<i64>,
}

pub async fn page(
    State(state): State<AppState>,
    context: RequestContext,
    Query(query): Query<AnalyticsQuery>,
) -> Result<Response, WebError> {
    let actor = &require_user(&context)?.user;
    let days = query
        .days
        .unwrap_or(30)
        .clamp(1, shimmer_platform::analytics::MAX_ANALYTICS_DAYS);
    let rows = state.platform.site_analytics(actor, days).await?;
    let total_views = rows.iter().map(|row| row.page_views).sum();
    Ok(render(
        StatusCode::OK,
        &AnalyticsPage {
            page: PageContext::new("title-site-analytics", &context, state.config.dev_mode),
            days,
            bars: bars(
                &rows
                    .iter()
                    .map(|row| {
                        (
                            context.message(
                                "staff-analytics-bar",
                                &[
                                    ("day", row.day.as_str().into()),
                                    ("count", row.page_views.into()),
                                ],
                            ),
                            row.page_views,
                        )
                    })
                    .collect::<Vec<_>>(),
            ),
            total_views,
            rows,
            chart_width: CHART_WIDTH,
            chart_height: CHART_HEIGHT,
        },
    ))
}
