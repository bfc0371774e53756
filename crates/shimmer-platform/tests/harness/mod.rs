//! A platform of its own for each test: SQLite, uploads and the mail outbox in a temporary
//! directory, the in-process bus. Keep the directory alive as long as the platform.

use std::sync::Arc;

use shimmer_bus::InProcessBus;
use shimmer_platform::mail::OutboxMailer;
use shimmer_platform::{Platform, PlatformSettings};
use shimmer_store::Store;

// Each test file uses one of the two constructors.
#[allow(dead_code)]
pub async fn platform() -> (Platform, tempfile::TempDir) {
    let (platform, _store, dir) = platform_and_store().await;
    (platform, dir)
}

/// The platform and a handle on its database, for tests that set up or inspect rows the
/// domain offers no method for (the store is private to the domain).
#[allow(dead_code)]
pub async fn platform_and_store() -> (Platform, Store, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::connect(&format!("sqlite://{}/db.sqlite", dir.path().display()))
        .await
        .unwrap();
    let mailer = OutboxMailer::new(dir.path().join("outbox"), "noreply@example.com").unwrap();
    let settings = PlatformSettings {
        data_dir: dir.path().join("data"),
        ..PlatformSettings::default()
    };
    let platform = Platform::new(
        store.clone(),
        Arc::new(InProcessBus::new()),
        Arc::new(mailer),
        settings,
    );
    (platform, store, dir)
}
