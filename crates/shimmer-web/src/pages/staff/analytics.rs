//! `/staff/analytics`: the site's page views and unique visitors per day (first-party, no
//! addresses kept), for staff who may look things up.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use shimmer_platform::analytics::AnalyticsDayView;

use crate::context::RequestContext;
use crate::error::WebError;
use crate::pages::{render, require_user};
use crate::templates::PageContext;
use crate::AppState;

/// The chart's drawing area, in SVG units.
const CHART_WIDTH: i64 = 600;
const CHART_HEIGHT: i64 = 120;

/// One day's bar in the chart.
struct Bar {
    x: i64,
    y: i64,
    width: i64,
    height: i64,
    label: String,
}

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

/// Page views as bars, the busiest day full height.
fn bars(rows: &[AnalyticsDayView]) -> Vec<Bar> {
    let most = rows
        .iter()
        .map(|row| row.page_views)
        .max()
        .unwrap_or(0)
        .max(1);
    let count = i64::try_from(rows.len()).unwrap_or(1).max(1);
    let slot = CHART_WIDTH / count;
    rows.iter()
        .enumerate()
        .map(|(index, row)| {
            let height = (row.page_views * CHART_HEIGHT / most).max(1);
            Bar {
                x: i64::try_from(index).unwrap_or(0) * slot,
                y: CHART_HEIGHT - height,
                width: (slot - 2).max(1),
                height,
                label: format!("{}: {} page views", row.day, row.page_views),
            }
        })
        .collect()
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
            page: PageContext::new("Site analytics", &context, state.config.dev_mode),
            days,
            bars: bars(&rows),
            total_views,
            rows,
            chart_width: CHART_WIDTH,
            chart_height: CHART_HEIGHT,
        },
    ))
}
