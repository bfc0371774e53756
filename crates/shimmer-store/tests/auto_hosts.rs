//! Auto-host lists on SQLite and (when `SHIMMER_TEST_POSTGRES_URL` is set) PostgreSQL: the list
//! keeps its order, and the first listed channel that is live and not mature is the one hosted.

mod backends;
mod fixtures;

use backends::on_every_backend;

use shimmer_store::{ChannelSettings, Store};

async fn channel(store: &Store, name: &str) -> (i64, i64) {
    let user = fixtures::user(store, name, false).await;
    let channel = store.channel_by_user(user.id).await.unwrap().unwrap();
    (user.id, channel.id)
}

#[tokio::test]
async fn the_first_live_channel_that_is_not_mature_is_hosted() {
    on_every_backend(|store| async move {
        let (_, host) = channel(&store, "host").await;
        let (mature_user, mature) = channel(&store, "mature").await;
        let (offline_user, _) = channel(&store, "offline").await;
        let (live_user, live) = channel(&store, "live").await;
        store
            .replace_auto_hosts(host, &[mature_user, offline_user, live_user])
            .await
            .unwrap();
        assert_eq!(
            store.auto_host_usernames(host).await.unwrap(),
            ["mature", "offline", "live"]
        );
        assert_eq!(store.first_live_auto_host(host).await.unwrap(), None);

        store
            .update_channel_settings(
                mature,
                &ChannelSettings {
                    title: "Late night".into(),
                    language: "en".into(),
                    mature: true,
                },
            )
            .await
            .unwrap();
        store.start_stream(mature, "replaced").await.unwrap();
        assert_eq!(store.first_live_auto_host(host).await.unwrap(), None);
        store.start_stream(live, "replaced").await.unwrap();
        assert_eq!(store.first_live_auto_host(host).await.unwrap(), Some(live));

        store.replace_auto_hosts(host, &[]).await.unwrap();
        assert!(store.auto_host_usernames(host).await.unwrap().is_empty());
        assert_eq!(store.first_live_auto_host(host).await.unwrap(), None);
    })
    .await;
}
