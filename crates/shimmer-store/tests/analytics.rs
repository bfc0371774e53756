//! Site analytics in the store, on SQLite and (when `SHIMMER_TEST_POSTGRES_URL` is set)
//! PostgreSQL: one salt per day for every node, page views added up, visitors counted once,
//! and a closed day keeps its counts but loses its hashes and salt.

mod backends;

use backends::on_every_backend;
use shimmer_store::AnalyticsDay;

fn day(day: &str, page_views: i64, unique_visitors: i64) -> AnalyticsDay {
    AnalyticsDay {
        day: day.into(),
        page_views,
        unique_visitors,
    }
}

#[tokio::test]
async fn days_add_up_and_closing_one_forgets_its_visitors() {
    on_every_backend(|store| async move {
        let salt = store.analytics_salt("2026-03-01", "first").await.unwrap();
        assert_eq!(salt, "first");
        assert_eq!(
            store.analytics_salt("2026-03-01", "second").await.unwrap(),
            "first",
            "a second node gets the day's salt"
        );
        store.analytics_salt("2026-03-02", "other").await.unwrap();

        let visitors = |names: &[&str]| {
            names
                .iter()
                .map(|name| name.to_string())
                .collect::<Vec<_>>()
        };
        store
            .add_page_views("2026-03-01", 3, &visitors(&["a", "b"]))
            .await
            .unwrap();
        store
            .add_page_views("2026-03-01", 2, &visitors(&["b", "c"]))
            .await
            .unwrap();
        store
            .add_page_views("2026-03-02", 4, &visitors(&["a"]))
            .await
            .unwrap();
        assert_eq!(
            store
                .analytics_days("2026-03-01", "2026-03-31")
                .await
                .unwrap(),
            [day("2026-03-01", 5, 3), day("2026-03-02", 4, 1)]
        );

        assert_eq!(store.close_analytics_days("2026-03-02").await.unwrap(), 1);
        assert_eq!(
            store
                .analytics_days("2026-03-01", "2026-03-31")
                .await
                .unwrap(),
            [day("2026-03-01", 5, 3), day("2026-03-02", 4, 1)],
            "a closed day keeps its figures"
        );
        assert_eq!(
            store.analytics_salt("2026-03-01", "new").await.unwrap(),
            "new",
            "the closed day's salt is gone"
        );
        assert_eq!(
            store.close_analytics_days("2026-03-02").await.unwrap(),
            0,
            "closing again changes nothing"
        );
        assert_eq!(
            store
                .analytics_days("2026-03-01", "2026-03-01")
                .await
                .unwrap(),
            [day("2026-03-01", 5, 3)]
        );
        assert!(store
            .analytics_days("2026-04-01", "2026-04-30")
            .await
            .unwrap()
            .is_empty());
    })
    .await;
}
