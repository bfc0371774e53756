//! `shimmer app ...`: OAuth applications from the operator's shell, including the dedicated
//! ingest credential that the settings pages never offer.

use shimmer_platform::oauth::AppForm;

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
            let (platform, store) = super::shell_platform(&config).await?;
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
