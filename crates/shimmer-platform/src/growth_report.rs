//! The growth and financial report staff publish every couple of weeks: for any period of
//! whole UTC days, the community, streaming, website and money figures beside those of the
//! period just before it, each with its change. Computed from the database on demand
//! (`/staff/report`, `shimmer report`); costs come from the operator's settings.

use serde::{Deserialize, Serialize};
use shimmer_store::{GrowthDay, GrowthFigures};

use crate::payments::format_money;
use crate::staff::Permission;
use crate::{FieldError, Platform, PlatformError, UserView};

const DAY_MS: i64 = 24 * 3600 * 1000;
/// The longest period one report covers.
pub const MAX_REPORT_DAYS: i64 = 1_100;

/// What running the site costs, for the report's estimate, and the social follower counts
/// the operator types in (shown as they are).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReportSettings {
    /// The price of a gigabyte of egress, in hundredths of a cent.
    pub bandwidth_price_per_gb_centicents: i64,
    /// The servers' fixed monthly cost, in cents (prorated by days).
    pub server_cost_per_month_cents: i64,
    /// The currency of the costs and of payments.
    pub currency: String,
    /// Follower counts elsewhere (Discord, Twitter, ...), by name.
    pub social: std::collections::BTreeMap<String, i64>,
}

/// A period of whole UTC days, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportPeriod {
    /// Days since the Unix epoch.
    pub first_day: i64,
    pub last_day: i64,
}

fn invalid(field: &'static str, message: String) -> PlatformError {
    PlatformError::Invalid(vec![FieldError::new(field, message)])
}

/// Days since the Unix epoch of a `YYYY-MM-DD` date.
fn parse_day(text: &str, field: &'static str) -> Result<i64, PlatformError> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let date = time::Date::parse(text.trim(), &format).map_err(|_| {
        invalid(
            field,
            format!(
                "The {field} date must look like 2026-12-31 (year-month-day); got \"{}\".",
                text.trim().chars().take(40).collect::<String>()
            ),
        )
    })?;
    Ok(date
        .midnight()
        .assume_utc()
        .unix_timestamp()
        .div_euclid(DAY_MS / 1000))
}

/// `YYYY-MM-DD` of a day counted since the Unix epoch.
pub fn day_name(day: i64) -> String {
    crate::analytics::day_of(day * DAY_MS)
}

impl ReportPeriod {
    /// The period from `from` to `to` (`YYYY-MM-DD`, both included), refused with a message a
    /// person understands when a date is malformed, reversed or the span too long.
    pub fn parse(from: &str, to: &str) -> Result<Self, PlatformError> {
        let first_day = parse_day(from, "from")?;
        let last_day = parse_day(to, "to")?;
        if last_day < first_day {
            return Err(invalid(
                "to",
                "The period ends before it starts: put the earlier date first.".into(),
            ));
        }
        if last_day - first_day + 1 > MAX_REPORT_DAYS {
            return Err(invalid(
                "from",
                format!("A report covers at most {MAX_REPORT_DAYS} days; choose a shorter period."),
            ));
        }
        Ok(Self {
            first_day,
            last_day,
        })
    }

    /// The last `days` days up to and including today.
    pub fn last_days(days: i64) -> Self {
        let today = crate::now_ms().div_euclid(DAY_MS);
        Self {
            first_day: today - days.clamp(1, MAX_REPORT_DAYS) + 1,
            last_day: today,
        }
    }

    pub fn days(&self) -> i64 {
        self.last_day - self.first_day + 1
    }

    /// The period of the same length just before this one.
    pub fn previous(&self) -> Self {
        Self {
            first_day: self.first_day - self.days(),
            last_day: self.first_day - 1,
        }
    }

    fn start_ms(&self) -> i64 {
        self.first_day * DAY_MS
    }

    fn end_ms(&self) -> i64 {
        (self.last_day + 1) * DAY_MS
    }
}

/// One figure with the previous period's and the change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportRow {
    /// A stable name for tools (`new_users`, `mrr_cents`, ...).
    pub key: &'static str,
    pub label: &'static str,
    pub value: i64,
    pub previous: Option<i64>,
    /// The value as people read it (money, hours).
    pub display: String,
    pub previous_display: Option<String>,
    /// "▲ +12 (+4.5 %)", "▼ -3 (-10.0 %)", "= 0", or empty without a previous value.
    pub change: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportSection {
    pub title: &'static str,
    pub rows: Vec<ReportRow>,
}

/// The whole report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GrowthReport {
    pub from: String,
    pub to: String,
    pub previous_from: String,
    pub previous_to: String,
    pub sections: Vec<ReportSection>,
    /// Per-day figures of the period, for the charts.
    pub days: Vec<ReportDay>,
    pub social: Vec<(String, i64)>,
}

/// One day of the charts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportDay {
    pub day: String,
    pub new_users: i64,
    pub streams: i64,
    pub views: i64,
    pub revenue_cents: i64,
}

/// How a figure is shown.
#[derive(Clone, Copy)]
enum Unit {
    Count,
    Money,
    /// Milliseconds shown as hours with one decimal.
    Hours,
}

fn change(value: i64, previous: i64, unit: Unit, currency: &str) -> String {
    let difference = value - previous;
    let arrow = match difference.signum() {
        1 => "▲",
        -1 => "▼",
        _ => return "= 0".into(),
    };
    let amount = match unit {
        Unit::Count => format!("{difference:+}"),
        Unit::Money => {
            let sign = if difference > 0 { "+" } else { "-" };
            format!("{sign}{}", format_money(difference.abs(), currency))
        }
        Unit::Hours => format!("{:+.1} h", difference as f64 / 3_600_000.0),
    };
    if previous > 0 {
        let percent = difference as f64 * 100.0 / previous as f64;
        format!("{arrow} {amount} ({percent:+.1} %)")
    } else {
        format!("{arrow} {amount}")
    }
}

fn show(value: i64, unit: Unit, currency: &str) -> String {
    match unit {
        Unit::Count => value.to_string(),
        Unit::Money => format_money(value, currency),
        Unit::Hours => format!("{:.1} h", value as f64 / 3_600_000.0),
    }
}

/// The estimated cost of a period: egress at the price per gigabyte plus the prorated
/// monthly server cost, in cents (rounded half up).
pub fn estimated_cost_cents(settings: &ReportSettings, egress_bytes: i64, days: i64) -> i64 {
    let bandwidth_centicents = (i128::from(egress_bytes)
        * i128::from(settings.bandwidth_price_per_gb_centicents)
        + 500_000_000)
        / 1_000_000_000;
    let bandwidth_cents = (bandwidth_centicents + 50) / 100;
    let server_cents = (settings.server_cost_per_month_cents * days + 15) / 30;
    i64::try_from(bandwidth_cents).unwrap_or(i64::MAX) + server_cents
}

impl Platform {
    /// The report for staff who may read the site's figures.
    pub async fn growth_report(
        &self,
        actor: &UserView,
        period: ReportPeriod,
    ) -> Result<GrowthReport, PlatformError> {
        Self::authorize_staff(actor, Permission::Figures)?;
        self.growth_report_for_operator(period).await
    }

    /// The report without an account's check: for `shimmer report`, run by whoever operates
    /// the machine.
    pub async fn growth_report_for_operator(
        &self,
        period: ReportPeriod,
    ) -> Result<GrowthReport, PlatformError> {
        let previous = period.previous();
        let figures = |period: ReportPeriod| async move {
            self.store
                .growth_figures(
                    period.start_ms(),
                    period.end_ms(),
                    &day_name(period.first_day),
                    &day_name(period.last_day + 1),
                )
                .await
        };
        let now = figures(period).await?;
        let before = figures(previous).await?;
        let pending_payout = self.store.pending_payout_cents().await?;
        let settings = &self.settings.report;
        let currency = if settings.currency.is_empty() {
            "usd"
        } else {
            settings.currency.as_str()
        };
        let row = |key, label, unit, value: fn(&GrowthFigures) -> i64| {
            let (value, previous) = (value(&now), value(&before));
            ReportRow {
                key,
                label,
                value,
                previous: Some(previous),
                display: show(value, unit, currency),
                previous_display: Some(show(previous, unit, currency)),
                change: change(value, previous, unit, currency),
            }
        };
        let cost = |figures: &GrowthFigures, days| {
            estimated_cost_cents(settings, figures.egress_bytes, days)
        };
        let (cost_now, cost_before) = (cost(&now, period.days()), cost(&before, previous.days()));
        let money = vec![
            row(
                "platform_subscription_cents",
                "Gross platform subscriptions",
                Unit::Money,
                |f| f.platform_subscription_cents,
            ),
            row(
                "channel_subscription_cents",
                "Gross channel subscriptions (gifts included)",
                Unit::Money,
                |f| f.channel_subscription_cents,
            ),
            row("donation_cents", "Donations", Unit::Money, |f| {
                f.donation_cents
            }),
            ReportRow {
                key: "estimated_payout_cents",
                label: "Estimated next payout (now)",
                value: pending_payout,
                previous: None,
                display: show(pending_payout, Unit::Money, currency),
                previous_display: None,
                change: String::new(),
            },
            ReportRow {
                key: "estimated_cost_cents",
                label: "Estimated server and bandwidth cost",
                value: cost_now,
                previous: Some(cost_before),
                display: format!(
                    "{} ({:.1} GB out)",
                    show(cost_now, Unit::Money, currency),
                    now.egress_bytes as f64 / 1e9
                ),
                previous_display: Some(show(cost_before, Unit::Money, currency)),
                change: change(cost_now, cost_before, Unit::Money, currency),
            },
        ];
        let sections = vec![
            ReportSection {
                title: "Community",
                rows: vec![
                    row("new_users", "New users", Unit::Count, |f| f.new_users),
                    row("total_users", "Users in all", Unit::Count, |f| {
                        f.total_users
                    }),
                    row("new_apps", "New OAuth apps", Unit::Count, |f| f.new_apps),
                    row("total_apps", "OAuth apps in all", Unit::Count, |f| {
                        f.total_apps
                    }),
                    row(
                        "mrr_cents",
                        "Monthly recurring revenue (at the end)",
                        Unit::Money,
                        |f| f.mrr_cents,
                    ),
                    row("support_tickets", "Support requests", Unit::Count, |f| {
                        f.support_tickets
                    }),
                ],
            },
            ReportSection {
                title: "Streaming",
                rows: vec![
                    row("streams", "Streams", Unit::Count, |f| f.streams),
                    row("views", "Views (viewer sessions)", Unit::Count, |f| f.views),
                    row("unique_streamers", "Unique streamers", Unit::Count, |f| {
                        f.unique_streamers
                    }),
                    row("streamed_ms", "Hours streamed", Unit::Hours, |f| {
                        f.streamed_ms
                    }),
                ],
            },
            ReportSection {
                title: "Website",
                rows: vec![
                    row("page_views", "Page views", Unit::Count, |f| f.page_views),
                    row(
                        "unique_visitors",
                        "Unique visitors (summed per day)",
                        Unit::Count,
                        |f| f.visitor_days,
                    ),
                ],
            },
            ReportSection {
                title: "Money",
                rows: money,
            },
        ];
        let days = self
            .store
            .growth_days(period.start_ms(), period.end_ms())
            .await?
            .into_iter()
            .map(|day: GrowthDay| ReportDay {
                day: day_name(day.day),
                new_users: day.new_users,
                streams: day.streams,
                views: day.views,
                revenue_cents: day.revenue_cents,
            })
            .collect();
        Ok(GrowthReport {
            from: day_name(period.first_day),
            to: day_name(period.last_day),
            previous_from: day_name(previous.first_day),
            previous_to: day_name(previous.last_day),
            sections,
            days,
            social: settings
                .social
                .iter()
                .map(|(name, count)| (name.clone(), *count))
                .collect(),
        })
    }
}

impl GrowthReport {
    /// The report as Markdown tables, for pasting into a post.
    pub fn to_markdown(&self) -> String {
        let mut out = format!(
            "# Growth and financial report, {} to {}\n\nCompared with {} to {}.\n",
            self.from, self.to, self.previous_from, self.previous_to
        );
        for section in &self.sections {
            out.push_str(&format!(
                "\n## {}\n\n| Figure | This period | Previous period | Change |\n|---|---:|---:|---|\n",
                section.title
            ));
            for row in &section.rows {
                out.push_str(&format!(
                    "| {} | {} | {} | {} |\n",
                    row.label,
                    row.display,
                    row.previous_display.as_deref().unwrap_or("–"),
                    row.change
                ));
            }
        }
        if !self.social.is_empty() {
            out.push_str("\n## Social\n\n| Where | Followers |\n|---|---:|\n");
            for (name, count) in &self.social {
                out.push_str(&format!("| {name} | {count} |\n"));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_parse_and_refuse_with_reasons() {
        let period = ReportPeriod::parse("2026-11-01", "2026-11-14").unwrap();
        assert_eq!(period.days(), 14);
        assert_eq!(day_name(period.first_day), "2026-11-01");
        let previous = period.previous();
        assert_eq!(
            (day_name(previous.first_day), day_name(previous.last_day)),
            ("2026-10-18".to_owned(), "2026-10-31".to_owned())
        );
        for (from, to, says) in [
            ("2026-13-01", "2026-12-01", "must look like"),
            ("yesterday", "2026-12-01", "must look like"),
            ("2026-12-02", "2026-12-01", "ends before it starts"),
            ("2020-01-01", "2026-12-01", "at most"),
        ] {
            let error = ReportPeriod::parse(from, to).unwrap_err().to_string();
            assert!(error.contains(says), "{from}..{to}: {error}");
        }
    }

    #[test]
    fn changes_read_as_people_expect() {
        assert_eq!(change(110, 100, Unit::Count, "usd"), "▲ +10 (+10.0 %)");
        assert_eq!(change(90, 100, Unit::Count, "usd"), "▼ -10 (-10.0 %)");
        assert_eq!(change(5, 0, Unit::Count, "usd"), "▲ +5");
        assert_eq!(change(7, 7, Unit::Count, "usd"), "= 0");
        assert_eq!(change(1500, 2000, Unit::Money, "usd"), "▼ -$5.00 (-25.0 %)");
        assert_eq!(
            change(3 * 3_600_000, 2 * 3_600_000, Unit::Hours, "usd"),
            "▲ +1.0 h (+50.0 %)"
        );
    }

    #[test]
    fn costs_are_egress_at_the_price_plus_the_prorated_servers() {
        let settings = ReportSettings {
            // 0.5 cents a gigabyte.
            bandwidth_price_per_gb_centicents: 50,
            server_cost_per_month_cents: 30_000,
            ..ReportSettings::default()
        };
        // 2,000 GB at 0.5 ¢ is $10.00; 14 of 30 days of $300 is $140.00.
        assert_eq!(
            estimated_cost_cents(&settings, 2_000_000_000_000, 14),
            1_000 + 14_000
        );
        assert_eq!(estimated_cost_cents(&ReportSettings::default(), 5, 3), 0);
    }
}
