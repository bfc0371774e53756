//! One module per subcommand.

mod app;
mod channel;
mod cluster_status;
mod dev_stripe;
mod metrics_listener;
mod push;
mod push_whip;
mod report;
mod serve;
mod user;

use anyhow::Context;
use shimmer_store::Store;

use crate::cli::{Cli, Command};
use crate::config::Config;

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Push(args) => return push::run(args).await,
        Command::Dev(crate::cli::DevCommand::Stripe(args)) => return dev_stripe::run(args).await,
        _ => {}
    }
    let config = Config::load(&cli.global)?;
    match cli.command {
        Command::Push(_) | Command::Dev(_) => unreachable!("handled above"),
        Command::Serve(args) => serve::run(config, args).await,
        Command::Migrate => {
            let store = open_store(&config).await?;
            store.close().await;
            println!("migrations applied");
            Ok(())
        }
        Command::User(command) => user::run(config, command).await,
        Command::Channel(command) => channel::run(config, command).await,
        Command::Report(args) => report::run(config, args).await,
        Command::App(command) => app::run(config, command).await,
        Command::Cluster(command) => cluster_status::run(config, command).await,
    }
}

/// The domain for a one-off shell command: the configured database (returned too, so the
/// command can close it), an in-process bus and the outbox mailer.
pub async fn shell_platform(
    config: &Config,
) -> anyhow::Result<(shimmer_platform::Platform, Store)> {
    let store = open_store(config).await?;
    let mailer = shimmer_platform::mail::OutboxMailer::new(config.outbox_dir(), &config.mail_from)?;
    let settings = shimmer_platform::PlatformSettings {
        base_url: config.base_url(),
        data_dir: config.data_dir.clone(),
        report: config.report_settings(),
        support: config.support.clone(),
        ..shimmer_platform::PlatformSettings::default()
    };
    let platform = shimmer_platform::Platform::new(
        store.clone(),
        std::sync::Arc::new(shimmer_bus::InProcessBus::new()),
        std::sync::Arc::new(mailer),
        settings,
    );
    Ok((platform, store))
}

/// Opens the configured database, creating the data directory for SQLite.
pub async fn open_store(config: &Config) -> anyhow::Result<Store> {
    std::fs::create_dir_all(&config.data_dir).with_context(|| {
        format!(
            "could not create the data directory {}",
            config.data_dir.display()
        )
    })?;
    let url = config.database_url();
    let options = shimmer_store::StoreOptions {
        acquire_timeout: config.database_acquire_timeout(),
    };
    Store::connect_with(&url, options)
        .await
        .with_context(|| format!("could not open the database at {url}"))
}
