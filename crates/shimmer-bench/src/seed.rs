//! `shimmer-bench seed`: fills a database with a generated platform history (accounts, apps,
//! streams with viewers, page views, subscriptions, donations) for trying the growth report
//! (`shimmer report`, `/staff/report`) at a realistic size. Prints, as JSON, what it wrote per
//! day.

use shimmer_platform::growth_report::ReportPeriod;
use shimmer_testkit::seed::{seed, SeedPlan};

#[derive(clap::Args)]
pub struct Args {
    /// The database to fill (sqlite://PATH?mode=rwc or postgres://...); migrated first.
    #[arg(long)]
    database: String,
    /// Accounts to make, spread over the days.
    #[arg(long, default_value_t = 1000)]
    users: i64,
    /// Days of history.
    #[arg(long, default_value_t = 90)]
    days: i64,
    /// The last day (YYYY-MM-DD, UTC); today by default.
    #[arg(long)]
    end: Option<String>,
    /// The generator's seed (the same seed makes the same history).
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let end_day = match &args.end {
        Some(end) => {
            ReportPeriod::parse(end, end)
                .map_err(|error| anyhow::anyhow!("--end: {error}"))?
                .last_day
        }
        None => ReportPeriod::last_days(1).last_day,
    };
    let plan = SeedPlan {
        users: args.users,
        days: args.days,
        end_day,
        seed: args.seed,
    };
    let summary = tokio::runtime::Runtime::new()?
        .block_on(seed(&args.database, &plan))
        .map_err(|error| anyhow::anyhow!("seeding failed: {error}"))?;
    println!("{}", serde_json::to_string(&summary)?);
    Ok(())
}
