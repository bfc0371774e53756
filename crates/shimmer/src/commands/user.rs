//! `shimmer user ...`: account administration from the shell, with or without a running server.

use shimmer_platform::accounts::{CreateOptions, Registration};
use shimmer_platform::staff::StaffLevel;

use crate::cli::UserCommand;
use crate::config::Config;

/// How `shimmer user staff` names a level.
fn described(level: Option<StaffLevel>) -> String {
    match level {
        Some(level) => format!("{} ({})", level.number(), level.name()),
        None => "0 (not staff)".to_owned(),
    }
}

pub async fn run(config: Config, command: UserCommand) -> anyhow::Result<()> {
    let (platform, store) = super::shell_platform(&config).await?;
    match command {
        UserCommand::Create {
            username,
            email,
            password,
            confirmed,
            admin,
        } => {
            let registration = Registration {
                username,
                email,
                password,
                preferences: None,
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
        UserCommand::Staff { username, level } => {
            let change = platform.set_staff_level_from_shell(&username, level).await;
            store.close().await;
            let change = change?;
            if change.before == change.after {
                println!(
                    "{username}: staff level unchanged at {}",
                    described(change.after)
                );
            } else {
                println!(
                    "{username}: staff level {} -> {}",
                    described(change.before),
                    described(change.after)
                );
            }
            Ok(())
        }
    }
}
