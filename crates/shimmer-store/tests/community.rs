//! The store suite for community data: categories, subcategories, tags, follows, notification
//! bookkeeping, discovery and viewer statistics. Every case runs on SQLite and, when
//! `SHIMMER_TEST_POSTGRES_URL` names a server, on PostgreSQL in a fresh database.

mod backends;

use backends::on_every_backend;

use shimmer_store::{LiveFilter, NewUser, NotificationLimits, Store, StreamMinute, TagName, User};

async fn user(store: &Store, name: &str) -> User {
    store
        .create_user(&NewUser {
            username: name,
            email: &format!("{name}@example.com"),
            password_hash: "hash",
            email_confirmed: true,
            is_admin: false,
            stream_key_secret: "secret",
        })
        .await
        .unwrap()
}

fn tag(name: &str) -> TagName {
    TagName {
        name: name.to_owned(),
        slug: name.to_lowercase().replace(' ', "-"),
    }
}

#[tokio::test]
async fn categories_are_seeded_and_subcategories_created_once() {
    on_every_backend(|store| async move {
        let names: Vec<String> = store
            .categories()
            .await
            .unwrap()
            .into_iter()
            .map(|c| c.slug)
            .collect();
        assert_eq!(
            names,
            ["art", "music", "tech", "irl", "education", "gaming"]
        );
        let gaming = store.category_by_slug("gaming").await.unwrap().unwrap();
        assert!(store.category_by_slug("cooking").await.unwrap().is_none());
        let alice = user(&store, "alice").await;
        let first = store
            .find_or_create_subcategory(gaming.id, "Celeste", "celeste", alice.id)
            .await
            .unwrap();
        let again = store
            .find_or_create_subcategory(gaming.id, "CELESTE", "celeste", alice.id)
            .await
            .unwrap();
        assert_eq!(first, again);
        assert_eq!(again.name, "Celeste");
        store
            .find_or_create_subcategory(gaming.id, "Chess", "chess", alice.id)
            .await
            .unwrap();
        let listed = store.subcategories(gaming.id, "ce", 10).await.unwrap();
        assert_eq!(listed, vec![first.clone()]);
        let art = store.category_by_slug("art").await.unwrap().unwrap();
        assert!(store
            .subcategories(art.id, "", 10)
            .await
            .unwrap()
            .is_empty());
    })
    .await;
}

#[tokio::test]
async fn tags_are_created_on_first_use_and_counted_once_per_attachment() {
    on_every_backend(|store| async move {
        let gaming = store.category_by_slug("gaming").await.unwrap().unwrap();
        let alice = user(&store, "alice").await;
        let bob = user(&store, "bob").await;
        let a = store.channel_by_user(alice.id).await.unwrap().unwrap().id;
        let b = store.channel_by_user(bob.id).await.unwrap().unwrap().id;
        store
            .set_channel_category(a, Some(gaming.id), None)
            .await
            .unwrap();
        let tags = store
            .set_channel_tags(
                a,
                gaming.id,
                &[tag("Speedrun"), tag("Chill"), tag("Speedrun")],
            )
            .await
            .unwrap();
        assert_eq!(tags.len(), 2);
        // Saving the same tags again attaches nothing new, so counts stay.
        store
            .set_channel_tags(a, gaming.id, &[tag("Speedrun"), tag("Chill")])
            .await
            .unwrap();
        store
            .set_channel_tags(b, gaming.id, &[tag("Speedrun")])
            .await
            .unwrap();
        let speedrun = store
            .tag_by_slug(gaming.id, "speedrun")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(speedrun.usage_count, 2);
        let suggestions = store.tags_matching(gaming.id, "", 10).await.unwrap();
        assert_eq!(suggestions[0].slug, "speedrun");
        assert_eq!(
            store
                .tags_matching(gaming.id, "ch", 10)
                .await
                .unwrap()
                .len(),
            1
        );
        let both = store.tags_of_channels(&[a, b]).await.unwrap();
        assert_eq!(both.len(), 3);
        // Moving to another category drops the per-category tags.
        let music = store.category_by_slug("music").await.unwrap().unwrap();
        store
            .set_channel_category(a, Some(music.id), None)
            .await
            .unwrap();
        assert!(store.channel_tags(a).await.unwrap().is_empty());
        assert_eq!(
            store.channel_category_ids(a).await.unwrap(),
            Some((Some(music.id), None))
        );
    })
    .await;
}

#[tokio::test]
async fn follows_lists_counts_and_notification_caps() {
    on_every_backend(|store| async move {
        let streamer = user(&store, "streamer").await;
        let other = user(&store, "other").await;
        let fan = user(&store, "fan").await;
        assert!(store.follow(fan.id, streamer.id, true).await.unwrap());
        assert!(!store.follow(fan.id, streamer.id, false).await.unwrap());
        assert!(store.follow(fan.id, other.id, true).await.unwrap());
        assert!(
            store
                .follow_of(fan.id, streamer.id)
                .await
                .unwrap()
                .unwrap()
                .live_notifications
        );
        assert_eq!(store.follower_count(streamer.id).await.unwrap(), 1);
        assert_eq!(store.following_count(fan.id).await.unwrap(), 2);
        assert_eq!(
            store.followers(streamer.id, 10, 0).await.unwrap()[0].username,
            "fan"
        );
        assert_eq!(store.following(fan.id, 10, 0).await.unwrap().len(), 2);
        let recipients = store
            .live_notification_recipients(streamer.id)
            .await
            .unwrap();
        assert_eq!(recipients.len(), 1);
        assert_eq!(recipients[0].email, "fan@example.com");

        let channel = store
            .channel_by_user(streamer.id)
            .await
            .unwrap()
            .unwrap()
            .id;
        let other_channel = store.channel_by_user(other.id).await.unwrap().unwrap().id;
        let first = store.start_stream(channel, "replaced").await.unwrap();
        let now = shimmer_store::now_ms();
        let limits = NotificationLimits {
            same_streamer_since: now - 3_600_000,
            daily_since: now - 86_400_000,
            daily_cap: 2,
        };
        assert!(store
            .claim_live_notification(fan.id, streamer.id, first.id, limits)
            .await
            .unwrap());
        // Once per stream, and once per streamer per hour.
        assert!(!store
            .claim_live_notification(fan.id, streamer.id, first.id, limits)
            .await
            .unwrap());
        let second = store.start_stream(channel, "replaced").await.unwrap();
        assert!(!store
            .claim_live_notification(fan.id, streamer.id, second.id, limits)
            .await
            .unwrap());
        // Another streamer is fine until the daily cap (2) is reached.
        let third = store.start_stream(other_channel, "replaced").await.unwrap();
        assert!(store
            .claim_live_notification(fan.id, other.id, third.id, limits)
            .await
            .unwrap());
        let relaxed = NotificationLimits {
            same_streamer_since: now + 1,
            ..limits
        };
        assert!(!store
            .claim_live_notification(fan.id, streamer.id, second.id, relaxed)
            .await
            .unwrap());

        assert!(store
            .set_live_notifications(fan.id, streamer.id, false)
            .await
            .unwrap());
        assert!(store
            .live_notification_recipients(streamer.id)
            .await
            .unwrap()
            .is_empty());
        assert!(store.unfollow(fan.id, streamer.id).await.unwrap());
        assert!(!store.unfollow(fan.id, streamer.id).await.unwrap());
        assert_eq!(store.follower_count(streamer.id).await.unwrap(), 0);

        assert!(store
            .claim_follow_announcement(channel, fan.id, now - 1000)
            .await
            .unwrap());
        assert!(!store
            .claim_follow_announcement(channel, fan.id, now - 1000)
            .await
            .unwrap());
        assert!(store
            .claim_follow_announcement(channel, fan.id, shimmer_store::now_ms() + 1)
            .await
            .unwrap());

        let secret = store.site_secret("unsubscribe", "one").await.unwrap();
        assert_eq!(secret, "one");
        assert_eq!(
            store.site_secret("unsubscribe", "two").await.unwrap(),
            "one"
        );
    })
    .await;
}

#[tokio::test]
async fn live_listing_filters_and_puts_followed_first() {
    on_every_backend(|store| async move {
        let gaming = store.category_by_slug("gaming").await.unwrap().unwrap();
        let art = store.category_by_slug("art").await.unwrap().unwrap();
        let ann = user(&store, "ann").await;
        let ben = user(&store, "ben").await;
        let cat = user(&store, "cat").await;
        let fan = user(&store, "fan").await;
        let a = store.channel_by_user(ann.id).await.unwrap().unwrap().id;
        let b = store.channel_by_user(ben.id).await.unwrap().unwrap().id;
        store
            .set_channel_category(a, Some(gaming.id), None)
            .await
            .unwrap();
        let chess = store
            .find_or_create_subcategory(art.id, "Painting", "painting", ben.id)
            .await
            .unwrap();
        store
            .set_channel_category(b, Some(art.id), Some(chess.id))
            .await
            .unwrap();
        store
            .set_channel_tags(a, gaming.id, &[tag("Speedrun")])
            .await
            .unwrap();
        store.start_stream(a, "replaced").await.unwrap();
        store.start_stream(b, "replaced").await.unwrap();
        store.follow(fan.id, ben.id, false).await.unwrap();

        let all = store
            .live_channels(&LiveFilter::default(), 10)
            .await
            .unwrap();
        assert_eq!(all.len(), 2, "the offline channel of cat is not listed");
        assert!(all.iter().all(|c| c.user_id != cat.id));
        let followed = LiveFilter {
            followed_by: Some(fan.id),
            ..LiveFilter::default()
        };
        let listed = store.live_channels(&followed, 10).await.unwrap();
        assert_eq!(listed[0].username, "ben");
        assert!(listed[0].followed && !listed[1].followed);
        let by_category = LiveFilter {
            category_id: Some(gaming.id),
            ..LiveFilter::default()
        };
        let gaming_live = store.live_channels(&by_category, 10).await.unwrap();
        assert_eq!(gaming_live.len(), 1);
        assert_eq!(gaming_live[0].category_slug.as_deref(), Some("gaming"));
        let speedrun = store
            .tag_by_slug(gaming.id, "speedrun")
            .await
            .unwrap()
            .unwrap();
        let by_tag = LiveFilter {
            tag_id: Some(speedrun.id),
            ..LiveFilter::default()
        };
        assert_eq!(
            store.live_channels(&by_tag, 10).await.unwrap()[0].username,
            "ann"
        );
        let by_sub = LiveFilter {
            subcategory_id: Some(chess.id),
            ..LiveFilter::default()
        };
        assert_eq!(
            store.live_channels(&by_sub, 10).await.unwrap()[0].username,
            "ben"
        );
        let search = LiveFilter {
            search: Some("BEN".into()),
            ..LiveFilter::default()
        };
        assert_eq!(store.live_channels(&search, 10).await.unwrap().len(), 1);
        let wildcard = LiveFilter {
            search: Some("%_".into()),
            ..LiveFilter::default()
        };
        assert!(store.live_channels(&wildcard, 10).await.unwrap().is_empty());
        let language = LiveFilter {
            language: Some("fr".into()),
            ..LiveFilter::default()
        };
        assert!(store.live_channels(&language, 10).await.unwrap().is_empty());
    })
    .await;
}

#[tokio::test]
async fn viewer_statistics_and_editors() {
    on_every_backend(|store| async move {
        let ann = user(&store, "ann").await;
        let mod_user = user(&store, "helper").await;
        let channel = store.channel_by_user(ann.id).await.unwrap().unwrap().id;
        let stream = store.start_stream(channel, "replaced").await.unwrap();
        let keys = |keys: &[&str]| keys.iter().map(|k| k.to_string()).collect::<Vec<_>>();
        store
            .record_stream_viewers(stream.id, &keys(&["u:1"]), 1, 1)
            .await
            .unwrap();
        store
            .record_stream_viewers(stream.id, &keys(&["u:1", "v:abc"]), 2, 2)
            .await
            .unwrap();
        store
            .record_stream_viewers(stream.id, &keys(&[]), 1, 3)
            .await
            .unwrap();
        for (minute, viewers) in [(0, 1), (60_000, 2), (60_000, 3)] {
            store
                .record_stream_minute(
                    stream.id,
                    StreamMinute {
                        minute_at: minute,
                        viewers,
                        bitrate: 2_500_000,
                    },
                )
                .await
                .unwrap();
        }
        let stats = store.viewer_stats(stream.id).await.unwrap().unwrap();
        assert_eq!((stats.peak_viewers, stats.unique_viewers), (2, 2));
        assert!((stats.average_viewers - 2.0).abs() < 1e-9);
        assert_eq!(store.stream_minutes(stream.id).await.unwrap().len(), 2);
        assert_eq!(store.latest_bitrate(stream.id).await.unwrap(), 0);

        assert!(!store
            .set_channel_editor(channel, mod_user.id, true)
            .await
            .unwrap());
        store
            .upsert_moderator(channel, mod_user.id, Default::default())
            .await
            .unwrap();
        assert!(!store.is_channel_editor(channel, mod_user.id).await.unwrap());
        assert!(store
            .set_channel_editor(channel, mod_user.id, true)
            .await
            .unwrap());
        assert!(store.is_channel_editor(channel, mod_user.id).await.unwrap());
        assert!(!store.hide_viewer_count(channel).await.unwrap());
        store.set_hide_viewer_count(channel, true).await.unwrap();
        assert!(store.hide_viewer_count(channel).await.unwrap());
    })
    .await;
}
