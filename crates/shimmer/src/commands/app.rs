//! `shimmer app ...`: OAuth applications from the operator's shell, including the dedicated
//! ingest credential that the settings pages never offer.

use std::sync::Arc;

use shimmer_bus::InProcessBus;
use shimmer_platform::oauth::AppForm;
use shimmer_platform::{Platform, PlatformSettings};

use crate::cli::AppCommand;
use crate::config::Config;

pub async fn run(config: Config, command: AppCommand) -> anyhow::Result<()> {
    match command {
        AppCommand::Create {
            owner,
            name,
            redirect_uris,
            ingest,
        } => {
            let store = super::open_store(&config).await?;
            let mailer =
                shimmer_platform::mail::OutboxMailer::new(config.outbox_dir(), &config.mail_from)?;
            let settings = PlatformSettings {
                base_url: config.base_url(),
                data_dir: config.data_dir.clone(),
                ..PlatformSettings::default()
            };
            let platform = Platform::new(
                store.clone(),
                Arc::new(InProcessBus::new()),
                Arc::new(mailer),
                settings,
            );
            let form = AppForm {
                name,
                redirect_uris: redirect_uris.join("\n"),
                ..AppForm::default()
            };
            let created = platform
                .create_app_for_username(&owner, &form, ingest)
                .await;
            store.close().await;
            let created = created?;
            println!("client_id={}", created.app.client_id);
            println!("client_secret={}", created.client_secret);
            Ok(())
        }
    }
}
