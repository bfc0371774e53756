//! The growth and financial report on a generated history: `shimmer report` (JSON and
//! Markdown) and `/staff/report` give the figures the generator says it wrote, beside the
//! previous period's; only staff who may read the figures see the page; bad periods are
//! refused with a reason.

mod support;

use std::collections::BTreeSet;

use serde_json::Value;
use shimmer_testkit::seed::{seed, SeedPlan, SeedSummary};
use support::{Browser, Server};

const PASSWORD: &str = "correct horse battery staple";
/// 2025-11-08, the history's last day. The report covers 14 days ending two weeks before it
/// (`LAST - 13..=LAST`) and compares them with the 14 days before (`FIRST..=LAST - 14`).
const END_DAY: i64 = 20_400;
const LAST: i64 = END_DAY - 14;
const FIRST: i64 = LAST - 27;
const DAY_MS: i64 = 24 * 3600 * 1000;

fn name(day: i64) -> String {
    shimmer_platform::growth_report::day_name(day)
}

/// What the generator wrote in days `first..=last`, by the report's keys.
fn expected(summary: &SeedSummary, first: i64, last: i64) -> Vec<(&'static str, i64)> {
    let days = || summary.days.range(first..=last).map(|(_, day)| day);
    let sum = |value: fn(&shimmer_testkit::seed::SeedDay) -> i64| days().map(value).sum::<i64>();
    let streamers: BTreeSet<i64> = days().flat_map(|day| day.streamers.clone()).collect();
    let end_ms = (last + 1) * DAY_MS;
    vec![
        ("new_users", sum(|day| day.new_users)),
        (
            "total_users",
            summary
                .days
                .range(..=last)
                .map(|(_, day)| day.new_users)
                .sum(),
        ),
        ("new_apps", sum(|day| day.new_apps)),
        (
            "total_apps",
            summary
                .days
                .range(..=last)
                .map(|(_, day)| day.new_apps)
                .sum(),
        ),
        (
            "mrr_cents",
            summary
                .subscriptions
                .iter()
                .filter(|(at, _)| *at < end_ms)
                .map(|(_, amount)| amount)
                .sum(),
        ),
        ("support_tickets", sum(|day| day.support_tickets)),
        ("streams", sum(|day| day.streams)),
        ("views", sum(|day| day.views)),
        ("unique_streamers", streamers.len() as i64),
        ("streamed_ms", sum(|day| day.streamed_ms)),
        ("page_views", sum(|day| day.page_views)),
        ("unique_visitors", sum(|day| day.unique_visitors)),
        (
            "platform_subscription_cents",
            sum(|day| day.platform_subscription_cents),
        ),
        (
            "channel_subscription_cents",
            sum(|day| day.channel_subscription_cents),
        ),
        ("donation_cents", sum(|day| day.donation_cents)),
    ]
}

fn row<'a>(report: &'a Value, key: &str) -> &'a Value {
    report["sections"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|section| section["rows"].as_array().unwrap())
        .find(|row| row["key"] == key)
        .unwrap_or_else(|| panic!("no {key} row"))
}

#[tokio::test]
async fn the_report_gives_the_generated_figures_and_only_to_those_allowed() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/shimmer.db", dir.path().display());
    let summary = seed(
        &url,
        &SeedPlan {
            users: 300,
            days: 60,
            end_day: END_DAY,
            seed: 7,
        },
    )
    .await
    .unwrap();
    let server = Server::start_in(
        dir.path(),
        &[
            ("SHIMMER_REPORT__BANDWIDTH_PRICE_PER_GB_CENTICENTS", "50"),
            ("SHIMMER_REPORT__SERVER_COST_PER_MONTH_CENTS", "30000"),
            ("SHIMMER_REPORT__SOCIAL__DISCORD", "1234"),
        ],
    );

    // The shell: JSON for tools, every figure and the previous period's.
    let output = server.cli(&[
        "report",
        "--from",
        &name(LAST - 13),
        "--to",
        &name(LAST),
        "--format",
        "json",
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["from"], name(LAST - 13));
    assert_eq!(report["previous_from"], name(FIRST));
    assert_eq!(report["previous_to"], name(LAST - 14));
    for (key, want) in expected(&summary, LAST - 13, LAST) {
        assert_eq!(row(&report, key)["value"], want, "{key} this period");
    }
    for (key, want) in expected(&summary, FIRST, LAST - 14) {
        assert_eq!(
            row(&report, key)["previous"],
            want,
            "{key} the period before"
        );
    }
    assert!(row(&report, "new_users")["value"].as_i64().unwrap() > 0);
    assert_eq!(
        row(&report, "estimated_payout_cents")["value"],
        summary.pending_payout_cents
    );
    let egress: i64 = summary
        .days
        .range(LAST - 13..=LAST)
        .map(|(_, day)| day.egress_bytes)
        .sum();
    // Egress at 0.5 ¢ a GB (rounded to cents) plus 14 of 30 days of $300.
    let bandwidth_cents = ((egress * 50 + 500_000_000) / 1_000_000_000 + 50) / 100;
    assert_eq!(
        row(&report, "estimated_cost_cents")["value"],
        bandwidth_cents + 14_000
    );
    assert_eq!(report["social"][0], serde_json::json!(["discord", 1234]));
    assert_eq!(report["days"].as_array().unwrap().len(), 14);

    // Markdown for a post.
    let output = server.cli(&["report", "--from", &name(LAST - 13), "--to", &name(LAST)]);
    let markdown = String::from_utf8(output.stdout).unwrap();
    let new_users = row(&report, "new_users")["value"].as_i64().unwrap();
    assert!(
        markdown.contains(&format!("| New users | {new_users} |")),
        "{markdown}"
    );
    assert!(markdown.contains("| discord | 1234 |"), "{markdown}");

    // Bad periods are refused with a reason, by the shell and by the page.
    let output = server.cli(&["report", "--from", &name(LAST), "--to", &name(FIRST)]);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("ends before it starts"));

    // The page: managers and admins; not a lead, a streamer or a visitor.
    for (username, level) in [("lead", "3"), ("manager", "4")] {
        server.create_user(username, PASSWORD, true);
        assert!(server
            .cli(&["user", "staff", username, "--level", level])
            .status
            .success());
    }
    let lead = Browser::new(&server);
    lead.login("lead", PASSWORD).await;
    support::enrol_two_factor(&lead).await;
    let (status, body) = lead.get("/staff/report").await;
    assert_eq!(status, 403);
    assert!(body.contains("manager or above"), "{body}");
    server.create_user("streamer", PASSWORD, true);
    let streamer = Browser::new(&server);
    streamer.login("streamer", PASSWORD).await;
    assert_eq!(streamer.get("/staff/report").await.0, 403);
    assert_eq!(Browser::new(&server).get("/staff/report").await.0, 303);

    let manager = Browser::new(&server);
    manager.login("manager", PASSWORD).await;
    support::enrol_two_factor(&manager).await;
    let (status, page) = manager
        .get(&format!(
            "/staff/report?from={}&to={}",
            name(LAST - 13),
            name(LAST)
        ))
        .await;
    assert_eq!(status, 200, "{page}");
    for (key, want) in expected(&summary, LAST - 13, LAST) {
        assert!(
            page.contains(&format!("data-key=\"{key}\" data-value=\"{want}\"")),
            "{key} = {want} on the page"
        );
    }
    assert_eq!(
        page.matches("<svg class=\"bar-chart\"").count(),
        4,
        "{page}"
    );
    let (status, page) = manager
        .get("/staff/report?from=2025-13-01&to=2025-12-01")
        .await;
    assert!(status == 400 || status == 422, "{status}");
    assert!(page.contains("must look like 2026-12-31"), "{page}");
    let (status, _) = manager.get("/staff/report").await;
    assert_eq!(status, 200, "the last 14 days by default");
}
