//! Shared rate limits on SQLite and (when `SHIMMER_TEST_POSTGRES_URL` is set) PostgreSQL: a
//! burst, then one request per interval, each key on its own; concurrent checks from many
//! connections never allow more than the limit; whole allowances are swept like expired rows.

mod backends;

use backends::on_every_backend;

use shimmer_store::{now_ms, AllowanceCheck, ExpiredRows, ExpiryCutoffs};

const SECOND: i64 = 1_000;

fn at(now_ms: i64) -> AllowanceCheck {
    AllowanceCheck {
        now_ms,
        interval_ms: 10 * SECOND,
        burst: 3,
    }
}

#[tokio::test]
async fn a_burst_then_one_per_interval_per_key() {
    on_every_backend(|store| async move {
        let start = 1_700_000_000_000;
        for _ in 0..3 {
            assert_eq!(store.take_allowance("a", at(start)).await.unwrap(), None);
        }
        // The fourth at once waits for one interval.
        assert_eq!(
            store.take_allowance("a", at(start)).await.unwrap(),
            Some(10 * SECOND)
        );
        assert_eq!(
            store
                .take_allowance("a", at(start + 4 * SECOND))
                .await
                .unwrap(),
            Some(6 * SECOND)
        );
        // Another key has its own allowance.
        assert_eq!(store.take_allowance("b", at(start)).await.unwrap(), None);
        // One interval later, one more; then waiting again.
        assert_eq!(
            store
                .take_allowance("a", at(start + 10 * SECOND))
                .await
                .unwrap(),
            None
        );
        assert_eq!(
            store
                .take_allowance("a", at(start + 10 * SECOND))
                .await
                .unwrap(),
            Some(10 * SECOND)
        );
        // After a long quiet spell the whole burst is back, and no more.
        let later = start + 3_600 * SECOND;
        for _ in 0..3 {
            assert_eq!(store.take_allowance("a", at(later)).await.unwrap(), None);
        }
        assert!(store
            .take_allowance("a", at(later))
            .await
            .unwrap()
            .is_some());
    })
    .await;
}

#[tokio::test]
async fn concurrent_checks_allow_exactly_the_burst() {
    on_every_backend(|store| async move {
        let now = now_ms();
        let check = AllowanceCheck {
            now_ms: now,
            interval_ms: 3_600 * SECOND,
            burst: 5,
        };
        let attempts = (0..40).map(|_| {
            let store = store.clone();
            tokio::spawn(async move { store.take_allowance("contended", check).await.unwrap() })
        });
        let mut allowed = 0;
        for attempt in attempts {
            if attempt.await.unwrap().is_none() {
                allowed += 1;
            }
        }
        assert_eq!(
            allowed, 5,
            "exactly the burst is allowed, whatever the interleaving"
        );
    })
    .await;
}

#[tokio::test]
async fn whole_allowances_are_swept() {
    on_every_backend(|store| async move {
        let now = now_ms();
        store
            .take_allowance("old", at(now - 60 * SECOND))
            .await
            .unwrap();
        store.take_allowance("recent", at(now)).await.unwrap();
        let cutoffs = ExpiryCutoffs {
            sessions: 0,
            pending_logins: 0,
            email_tokens: 0,
            username_holds: 0,
            channel_timeouts: 0,
            live_notifications: 0,
            rate_allowances: now,
        };
        assert_eq!(
            store.delete_expired_rows(&cutoffs, 10).await.unwrap(),
            ExpiredRows {
                rate_allowances: 1,
                ..ExpiredRows::default()
            }
        );
        // The recent key's spent allowance survived the sweep.
        assert!(store
            .take_allowance("recent", at(now))
            .await
            .unwrap()
            .is_none());
        assert!(store
            .take_allowance("recent", at(now))
            .await
            .unwrap()
            .is_none());
        assert!(store
            .take_allowance("recent", at(now))
            .await
            .unwrap()
            .is_some());
    })
    .await;
}
