//! The store suite for site search: channels (only those that streamed, live first, typos
//! allowed), categories with live counts and tags. Every case runs on SQLite and, when
//! `SHIMMER_TEST_POSTGRES_URL` names a server, on PostgreSQL in a fresh database.

mod backends;
mod fixtures;

use backends::on_every_backend;

use shimmer_store::{ChannelSettings, Store, TagName};

/// Makes an account (and so its channel) and returns the channel's id.
async fn channel(store: &Store, name: &str, title: &str) -> i64 {
    let user = fixtures::user(store, name, false).await;
    let id = store.channel_by_user(user.id).await.unwrap().unwrap().id;
    store
        .update_channel_settings(
            id,
            &ChannelSettings {
                title: title.to_owned(),
                language: "en".to_owned(),
                mature: false,
            },
        )
        .await
        .unwrap();
    id
}

/// Streams once and ends, leaving the channel offline.
async fn streamed(store: &Store, channel_id: i64) {
    let stream = store.start_stream(channel_id, "replaced").await.unwrap();
    assert!(store
        .end_stream(channel_id, stream.id, "ended")
        .await
        .unwrap());
}

fn names(found: &[shimmer_store::ChannelMatch]) -> Vec<&str> {
    found.iter().map(|c| c.username.as_str()).collect()
}

#[tokio::test]
async fn channels_are_found_despite_typos_live_first_and_only_once_they_streamed() {
    on_every_backend(|store| async move {
        let offline = channel(&store, "ninjja", "Speedruns at night").await;
        streamed(&store, offline).await;
        let live = channel(&store, "pixelpainter", "Ninja turtles fan art").await;
        store.start_stream(live, "replaced").await.unwrap();
        // Never streamed: a viewer's account is not a channel.
        channel(&store, "ninja", "Ninja").await;
        // Streamed but unrelated.
        let other = channel(&store, "chessclub", "Blitz").await;
        streamed(&store, other).await;

        let found = store.search_channels("ninja", 10).await.unwrap();
        assert_eq!(
            names(&found),
            ["pixelpainter", "ninjja"],
            "the live channel first, the offline one despite the typo, never the account that never streamed"
        );
        assert!(found[0].live && !found[1].live);
        assert!(found[1].last_streamed_at > 0);

        // Case does not matter; a swapped pair of letters is one typo.
        assert_eq!(
            names(&store.search_channels("NINJA", 10).await.unwrap()),
            ["pixelpainter", "ninjja"]
        );
        assert_eq!(
            names(&store.search_channels("nijna", 10).await.unwrap()),
            ["pixelpainter"]
        );
        // Every word must match, in the name or the title.
        assert_eq!(
            names(&store.search_channels("speedrun ninja", 10).await.unwrap()),
            ["ninjja"]
        );
        assert_eq!(
            names(&store.search_channels("blits", 10).await.unwrap()),
            ["chessclub"]
        );
        // Short words must match as they are; nothing matches nothing.
        assert!(store.search_channels("zzz", 10).await.unwrap().is_empty());
        assert!(store.search_channels("  ", 10).await.unwrap().is_empty());
        assert!(store.search_channels("%_", 10).await.unwrap().is_empty());
        // The limit applies after ordering.
        assert_eq!(
            names(&store.search_channels("ninja", 1).await.unwrap()),
            ["pixelpainter"]
        );
    })
    .await;
}

#[tokio::test]
async fn hidden_and_banned_channels_are_not_found() {
    on_every_backend(|store| async move {
        let hidden = channel(&store, "hiddenninja", "Quiet").await;
        streamed(&store, hidden).await;
        let banned = channel(&store, "bannedninja", "Loud").await;
        streamed(&store, banned).await;
        assert_eq!(store.search_channels("ninja", 10).await.unwrap().len(), 2);
        assert_eq!(store.channels_that_streamed(10).await.unwrap().len(), 2);
        assert_eq!(store.channels_that_streamed_count().await.unwrap(), 2);

        store
            .set_channel_hidden_from_discovery(hidden, true)
            .await
            .unwrap();
        let banned_user = store
            .user_by_username("bannedninja")
            .await
            .unwrap()
            .unwrap();
        assert!(store
            .create_platform_ban(banned_user.id, &banned_user.email, "spam", banned_user.id)
            .await
            .unwrap());
        assert!(store.search_channels("ninja", 10).await.unwrap().is_empty());
        // The home page's "Recently live" and the browse list leave them out as well.
        assert!(store.channels_that_streamed(10).await.unwrap().is_empty());
        assert_eq!(store.channels_that_streamed_count().await.unwrap(), 0);
        assert!(store
            .channels_that_streamed_page(0, 10)
            .await
            .unwrap()
            .is_empty());

        // Shown again once staff show the channel and lift the ban.
        store
            .set_channel_hidden_from_discovery(hidden, false)
            .await
            .unwrap();
        assert!(store
            .lift_platform_ban(banned_user.id, banned_user.id)
            .await
            .unwrap());
        assert_eq!(store.channels_that_streamed(10).await.unwrap().len(), 2);
    })
    .await;
}

#[tokio::test]
async fn searches_and_the_streamed_list_come_in_pages_with_totals() {
    on_every_backend(|store| async move {
        for n in 0..7 {
            let id = channel(&store, &format!("pager{n}"), "Paging along").await;
            streamed(&store, id).await;
        }
        let live = channel(&store, "livepager", "Paging live").await;
        store.start_stream(live, "replaced").await.unwrap();
        // Matches the words but never streamed: not counted.
        channel(&store, "pagerviewer", "Paging").await;

        let first = store.search_channels_page("paging", 0, 3).await.unwrap();
        assert_eq!(first.total, 8);
        assert_eq!(names(&first.channels)[0], "livepager", "live first");
        let mut seen: Vec<String> = Vec::new();
        for offset in [0, 3, 6] {
            let page = store
                .search_channels_page("paging", offset, 3)
                .await
                .unwrap();
            assert_eq!(page.total, 8);
            seen.extend(page.channels.into_iter().map(|c| c.username));
        }
        assert_eq!(seen.len(), 8, "every match on exactly one page: {seen:?}");
        seen.sort();
        seen.dedup();
        assert_eq!(seen.len(), 8, "no match on two pages");
        let past = store.search_channels_page("paging", 30, 3).await.unwrap();
        assert!(past.channels.is_empty());
        assert_eq!(
            past.total, 8,
            "a page past the end still counts the matches"
        );

        assert_eq!(store.channels_that_streamed_count().await.unwrap(), 8);
        let whole = store.channels_that_streamed_page(0, 100).await.unwrap();
        assert_eq!(whole[0].username, "livepager");
        let second = store.channels_that_streamed_page(5, 5).await.unwrap();
        assert_eq!(second.len(), 3);
        assert_eq!(second[0].id, whole[5].id);
        assert!(store
            .channels_that_streamed_page(8, 5)
            .await
            .unwrap()
            .is_empty());
    })
    .await;
}

#[tokio::test]
async fn categories_carry_live_counts_and_are_found_with_tags() {
    on_every_backend(|store| async move {
        let gaming = store.category_by_slug("gaming").await.unwrap().unwrap();
        let live = channel(&store, "alice", "Celeste").await;
        let hidden = channel(&store, "bob", "Celeste too").await;
        for id in [live, hidden] {
            store
                .set_channel_category(id, Some(gaming.id), None)
                .await
                .unwrap();
            store.start_stream(id, "replaced").await.unwrap();
        }
        store
            .set_channel_hidden_from_discovery(hidden, true)
            .await
            .unwrap();
        store
            .set_channel_tags(
                live,
                gaming.id,
                &[TagName {
                    name: "Speedrun".to_owned(),
                    slug: "speedrun".to_owned(),
                }],
            )
            .await
            .unwrap();

        let counts = store.live_categories().await.unwrap();
        assert_eq!(counts.len(), 6, "every category, live or not");
        let gaming_count = counts.iter().find(|c| c.slug == "gaming").unwrap();
        assert_eq!(
            gaming_count.live_channels, 1,
            "hidden channels are not counted"
        );
        assert!(counts
            .iter()
            .filter(|c| c.slug != "gaming")
            .all(|c| c.live_channels == 0));

        let categories = store.search_categories("gamng").await.unwrap();
        assert_eq!(categories.len(), 1);
        assert_eq!(categories[0].slug, "gaming");
        assert_eq!(categories[0].live_channels, 1);
        assert!(store.search_categories("").await.unwrap().is_empty());

        let tags = store.search_tags("speedrn", 10).await.unwrap();
        assert_eq!(tags.len(), 1);
        assert_eq!(
            (tags[0].slug.as_str(), tags[0].category_slug.as_str()),
            ("speedrun", "gaming")
        );
        assert!(store.search_tags("chess", 10).await.unwrap().is_empty());
    })
    .await;
}
