//! A platform of its own for each test: SQLite, uploads and the mail outbox in a temporary
//! directory, the in-process bus. Keep the directory alive as long as the platform.

use std::sync::Arc;

use shimmer_bus::InProcessBus;
use shimmer_platform::mail::OutboxMailer;
use shimmer_platform::{Platform, PlatformSettings};
use shimmer_store::Store;

pub async fn platform() -> (Platform, tempfile::TempDir) {
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
        store,
        Arc::new(InProcessBus::new()),
        Arc::new(mailer),
        settings,
    );
    (platform, dir)
}
