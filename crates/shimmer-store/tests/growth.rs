//! The growth report's queries on SQLite and (when `SHIMMER_TEST_POSTGRES_URL` is set)
//! PostgreSQL: the same figures from the same rows on both.

mod backends;
mod fixtures;

use backends::on_every_backend;
use fixtures::user;

const DAY_MS: i64 = 24 * 3600 * 1000;

#[tokio::test]
async fn figures_count_the_period_on_every_backend() {
    on_every_backend(|store| async move {
        let before = store
            .growth_figures(0, i64::MAX / 2, "0000", "9999")
            .await
            .unwrap();
        user(&store, "alpha", false).await;
        user(&store, "bravo", false).await;
        store
            .add_page_views("2026-01-05", 7, &["a".into(), "b".into()])
            .await
            .unwrap();
        let now = shimmer_store::now_ms();
        let figures = store
            .growth_figures(0, now + DAY_MS, "2026-01-01", "2026-02-01")
            .await
            .unwrap();
        assert_eq!(figures.new_users - before.new_users, 2);
        assert_eq!(figures.total_users, figures.new_users);
        assert_eq!((figures.page_views, figures.visitor_days), (7, 2));
        assert_eq!(figures.streams, 0);
        assert_eq!(figures.streamed_ms, 0);
        assert_eq!(figures.mrr_cents, 0);
        let later = store
            .growth_figures(now + DAY_MS, now + 2 * DAY_MS, "2026-02-01", "2026-03-01")
            .await
            .unwrap();
        assert_eq!((later.new_users, later.page_views), (0, 0));
        assert_eq!(later.total_users, figures.total_users);
        let days = store.growth_days(0, now + DAY_MS).await.unwrap();
        assert_eq!(
            days.iter().map(|day| day.new_users).sum::<i64>(),
            figures.new_users
        );
        assert_eq!(store.pending_payout_cents().await.unwrap(), 0);
        assert_eq!(store.mrr_cents_at(now).await.unwrap(), 0);
    })
    .await;
}
