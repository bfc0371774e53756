//! `shimmer user ...`: account administration from the shell, with or without a running server.

use std::sync::Arc;

use shimmer_bus::InProcessBus;
use shimmer_platform::accounts::{CreateOptions, Registration};
use shimmer_platform::{Platform, PlatformSettings};

use crate::cli::UserCommand;
use crate::config::Config;

pub async fn run(config: Config, command: UserCommand) -> anyhow::Result<()> {
    match command {
        UserCommand::Create {
            username,
            email,
            password,
            confirmed,
            admin,
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
            let registration = Registration {
                username,
                email,
                password,
            };
            let options = CreateOptions {
                email_confirmed: confirmed,
                is_admin: admin,
            };
            let user = platform.create_account(&registration, options).await;
            store.close().await;
            let user = user?;
            println!("{}", user.id);
            Ok(())
        }
    }
}
