//! `/staff/report?from=YYYY-MM-DD&to=YYYY-MM-DD`: the growth and financial report (the last
//! 14 days unless a period is given), for staff who may read the site's figures.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use shimmer_i18n::Locale;
use shimmer_platform::growth_report::{GrowthReport, ReportPeriod};
use shimmer_platform::payments::format_money;

use super::charts::{bars, Chart, CHART_HEIGHT, CHART_WIDTH};
use crate::context::RequestContext;
use crate::error::WebError;
use crate::pages::{render, require_user};
use crate::templates::PageContext;
use crate::AppState;

/// The period shown when none is asked for.
const DEFAULT_DAYS: i64 = 14;

#[derive(Template)]
#[template(path = "staff/report.html")]
struct ReportPage {
    page: PageContext,
    report: GrowthReport,
    charts: Vec<Chart>,
    chart_width: i64,
    chart_height: i64,
}

#[derive(Deserialize, Default)]
pub struct ReportQuery {
    #[serde(default)]
    from: Option<String>,
    #[serde(default)]
    to: Option<String>,
}

fn charts(locale: Locale, report: &GrowthReport, currency: &str) -> Vec<Chart> {
    let chart =
        |title: &str,
         value: &dyn Fn(&shimmer_platform::growth_report::ReportDay) -> (String, i64)| {
            Chart {
                title: title.to_owned(),
                bars: bars(&report.days.iter().map(value).collect::<Vec<_>>()),
            }
        };
    vec![
        chart(&locale.t("staff-chart-new-users"), &|day| {
            (
                count_label(locale, "staff-chart-new-users-bar", &day.day, day.new_users),
                day.new_users,
            )
        }),
        chart(&locale.t("staff-chart-streams"), &|day| {
            (
                count_label(locale, "staff-chart-streams-bar", &day.day, day.streams),
                day.streams,
            )
        }),
        chart(&locale.t("staff-chart-views"), &|day| {
            (
                count_label(locale, "staff-chart-views-bar", &day.day, day.views),
                day.views,
            )
        }),
        chart(&locale.t("staff-chart-money"), &|day| {
            (
                format!("{}: {}", day.day, format_money(day.revenue_cents, currency)),
                day.revenue_cents,
            )
        }),
    ]
}

/// One day's bar title: the day and its count in `locale`'s words.
fn count_label(locale: Locale, key: &str, day: &str, count: i64) -> String {
    locale.message(key, &[("day", day.into()), ("count", count.into())])
}

pub async fn page(
    State(state): State<AppState>,
    context: RequestContext,
    Query(query): Query<ReportQuery>,
) -> Result<Response, WebError> {
    let actor = &require_user(&context)?.user;
    let period = match (query.from.as_deref(), query.to.as_deref()) {
        (Some(from), Some(to)) if !from.is_empty() || !to.is_empty() => {
            ReportPeriod::parse(from, to)?
        }
        _ => ReportPeriod::last_days(DEFAULT_DAYS),
    };
    let report = state.platform.growth_report(actor, period).await?;
    let currency = state.platform.settings.report.currency.clone();
    Ok(render(
        StatusCode::OK,
        &ReportPage {
            page: PageContext::new(
                "title-growth-and-financial-report",
                &context,
                state.config.dev_mode,
            ),
            charts: charts(
                context.locale,
                &report,
                if currency.is_empty() {
                    "usd"
                } else {
                    &currency
                },
            ),
            report,
            chart_width: CHART_WIDTH,
            chart_height: CHART_HEIGHT,
        },
    ))
}
