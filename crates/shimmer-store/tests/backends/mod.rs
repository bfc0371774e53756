//! Runs a store test on every backend: SQLite in a temporary directory always, and PostgreSQL
//! in a fresh database when `SHIMMER_TEST_POSTGRES_URL` names a server (CI sets
//! `SHIMMER_REQUIRE_POSTGRES` so that a missing server fails instead of skipping).

use std::future::Future;

use shimmer_store::Store;

/// Runs `case` once per available backend, each on an empty database.
pub async fn on_every_backend<F, Fut>(case: F)
where
    F: Fn(Store) -> Fut,
    Fut: Future<Output = ()>,
{
    on_every_backend_with_url(|store, _| case(store)).await;
}

/// [`on_every_backend`], also giving the case the database's URL, for statements the store
/// has no query for (checking what the schema itself refuses).
pub async fn on_every_backend_with_url<F, Fut>(case: F)
where
    F: Fn(Store, String) -> Fut,
    Fut: Future<Output = ()>,
{
    let directory = tempfile::tempdir().unwrap();
    let sqlite_url = format!("sqlite://{}/store.db", directory.path().display());
    case(
        Store::connect(&sqlite_url).await.unwrap(),
        sqlite_url.clone(),
    )
    .await;
    match std::env::var("SHIMMER_TEST_POSTGRES_URL") {
        Ok(admin_url) => {
            let url = shimmer_store::testing::fresh_postgres_database(&admin_url)
                .await
                .unwrap();
            case(Store::connect(&url).await.unwrap(), url).await;
        }
        Err(_) if std::env::var("SHIMMER_REQUIRE_POSTGRES").is_ok() => {
            panic!("SHIMMER_REQUIRE_POSTGRES is set but SHIMMER_TEST_POSTGRES_URL is not")
        }
        Err(_) => eprintln!("PostgreSQL store tests skipped: SHIMMER_TEST_POSTGRES_URL is unset"),
    }
}
