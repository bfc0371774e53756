//! About panels and a chatter's moderation log on SQLite and (when `SHIMMER_TEST_POSTGRES_URL`
//! is set) PostgreSQL: panels keep their order and are replaced as a whole; the log of one
//! chatter holds only their entries in that channel, newest first.

mod backends;
mod fixtures;

use backends::on_every_backend;

use shimmer_store::{ChannelPanel, Store};

async fn account(store: &Store, name: &str) -> (i64, i64) {
    let user = fixtures::user(store, name, false).await;
    let channel = store.channel_by_user(user.id).await.unwrap().unwrap();
    (user.id, channel.id)
}

fn panel(title: &str, body: &str) -> ChannelPanel {
    ChannelPanel {
        title: title.into(),
        body: body.into(),
    }
}

#[tokio::test]
async fn panels_keep_their_order_and_are_replaced_whole() {
    on_every_backend(|store| async move {
        let (_, channel) = account(&store, "streamer").await;
        let (_, other) = account(&store, "other").await;
        assert!(store.channel_panels(channel).await.unwrap().is_empty());
        let panels = [panel("Rules", "Be kind"), panel("Schedule", "Mondays ✨")];
        store
            .replace_channel_panels(channel, &panels)
            .await
            .unwrap();
        store
            .replace_channel_panels(other, &[panel("Mine", "x")])
            .await
            .unwrap();
        assert_eq!(store.channel_panels(channel).await.unwrap(), panels);
        store
            .replace_channel_panels(channel, &[panels[1].clone()])
            .await
            .unwrap();
        assert_eq!(
            store.channel_panels(channel).await.unwrap(),
            [panels[1].clone()]
        );
        assert_eq!(store.channel_panels(other).await.unwrap().len(), 1);
    })
    .await;
}

#[tokio::test]
async fn a_chatters_log_holds_only_their_entries_in_that_channel() {
    on_every_backend(|store| async move {
        let (owner, channel) = account(&store, "streamer").await;
        let (_, elsewhere) = account(&store, "elsewhere").await;
        let (target, _) = account(&store, "target").await;
        let (bystander, _) = account(&store, "bystander").await;
        store
            .log_moderation(channel, owner, Some(target), "ban", None)
            .await
            .unwrap();
        store
            .log_moderation(channel, owner, Some(bystander), "ban", None)
            .await
            .unwrap();
        store
            .log_moderation(elsewhere, owner, Some(target), "short_timeout", None)
            .await
            .unwrap();
        store
            .log_moderation(channel, owner, Some(target), "unban", None)
            .await
            .unwrap();
        let log = store
            .moderation_log_of_user(channel, target, 10)
            .await
            .unwrap();
        let actions: Vec<&str> = log.iter().map(|entry| entry.action.as_str()).collect();
        assert_eq!(actions, ["unban", "ban"]);
        assert!(log
            .iter()
            .all(|entry| entry.moderator.as_deref() == Some("streamer")));
        assert_eq!(
            store
                .moderation_log_of_user(channel, target, 1)
                .await
                .unwrap()
                .len(),
            1
        );
    })
    .await;
}
