//! `shimmer report --from DATE --to DATE [--format markdown|json]`: the growth and financial
//! report from the configured database, for whoever operates the machine.

use shimmer_platform::growth_report::ReportPeriod;

use crate::cli::{ReportArgs, ReportFormat};
use crate::config::Config;

pub async fn run(config: Config, args: ReportArgs) -> anyhow::Result<()> {
    let period = ReportPeriod::parse(&args.from, &args.to).map_err(anyhow::Error::msg)?;
    let (platform, store) = super::shell_platform(&config).await?;
    let report = platform.growth_report_for_operator(period).await;
    store.close().await;
    let report = report?;
    match args.format {
        ReportFormat::Markdown => print!("{}", report.to_markdown()),
        ReportFormat::Json => println!("{}", serde_json::to_string_pretty(&report)?),
    }
    Ok(())
}
