//! The Prometheus metrics listener (`metrics_bind`): `/metrics` on its own address, loopback by
//! default, so the public site never shows its internals to visitors.

use std::net::SocketAddr;

use anyhow::Context;
use metrics_exporter_prometheus::PrometheusHandle;
use tokio_util::sync::CancellationToken;

use crate::config::Config;

/// Binds `metrics_bind` and serves `/metrics` there until `shutdown`; returns the bound
/// address, or `None` when the key is empty (no listener).
pub async fn start(
    config: &Config,
    handle: Option<PrometheusHandle>,
    shutdown: CancellationToken,
) -> anyhow::Result<Option<SocketAddr>> {
    let bind = config.metrics_bind.trim();
    if bind.is_empty() {
        return Ok(None);
    }
    let listener = tokio::net::TcpListener::bind(bind).await.with_context(|| {
        format!(
            "could not listen on {bind} for metrics (set metrics_bind to a free address, or to \
             an empty value to turn the metrics listener off)"
        )
    })?;
    let address = listener.local_addr()?;
    tracing::info!(%address, "metrics listening");
    let router = shimmer_web::metrics_router(handle, config.metrics_token());
    tokio::spawn(async move {
        let served = axum::serve(listener, router)
            .with_graceful_shutdown(async move { shutdown.cancelled().await })
            .await;
        if let Err(error) = served {
            tracing::error!(%error, "the metrics listener failed");
        }
    });
    Ok(Some(address))
}
