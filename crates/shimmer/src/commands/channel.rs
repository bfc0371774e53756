//! `shimmer channel ...`: read a channel's key and live status from the database.

use anyhow::Context;

use crate::cli::ChannelCommand;
use crate::config::Config;

pub async fn run(config: Config, command: ChannelCommand) -> anyhow::Result<()> {
    let store = super::open_store(&config).await?;
    let result = async {
        match command {
            ChannelCommand::Key { username } => {
                let channel = store
                    .channel_by_username(&username)
                    .await?
                    .with_context(|| format!("no channel named {username}"))?;
                println!("{}", channel.stream_key());
            }
            ChannelCommand::Status { username } => {
                let channel = store
                    .channel_by_username(&username)
                    .await?
                    .with_context(|| format!("no channel named {username}"))?;
                match channel.current_stream_id.filter(|_| channel.is_live()) {
                    Some(stream_id) => println!("live {stream_id}"),
                    None => println!("offline"),
                }
            }
        }
        anyhow::Ok(())
    }
    .await;
    store.close().await;
    result
}
