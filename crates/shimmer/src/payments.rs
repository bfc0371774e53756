//! Money features on this node: the Stripe client given to the platform, the webhook route
//! and the worker that applies stored events (web nodes only).

use std::sync::Arc;

use anyhow::Context;
use shimmer_platform::Platform;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

use crate::config::Config;
use crate::tasks::Tasks;

/// What a node with payments on runs beside the platform.
pub struct PaymentsWiring {
    webhook_secrets: Vec<String>,
    wake: Arc<Notify>,
    /// Where the money forms may lead (the CSP's `form-action`).
    pub page_origins: Vec<String>,
}

/// Turns payments on in `platform` when the configuration asks for it, refusing to start
/// with a message that names the key when it is incomplete.
pub fn enable(
    config: &Config,
    platform: Platform,
) -> anyhow::Result<(Platform, Option<PaymentsWiring>)> {
    if !config.payments.enabled {
        return Ok((platform, None));
    }
    config
        .payments
        .validate()
        .map_err(anyhow::Error::msg)
        .context("invalid [payments] settings")?;
    let secret_key = non_empty(&config.stripe.secret_key)
        .context("payments.enabled needs stripe.secret_key (Stripe's secret API key)")?;
    let webhook_secret = non_empty(&config.stripe.webhook_secret).context(
        "payments.enabled needs stripe.webhook_secret (the signing secret of the webhook endpoint /api/webhooks/stripe)",
    )?;
    let webhook_secrets = std::iter::once(webhook_secret)
        .chain(non_empty(&config.stripe.connect_webhook_secret))
        .collect();
    let api_base = non_empty(&config.stripe.api_base)
        .unwrap_or_else(|| shimmer_payments::STRIPE_API_BASE.to_owned());
    let processor = shimmer_payments::StripeProcessor::new(&secret_key, &api_base)
        .context("could not make the Stripe client")?;
    tracing::info!(%api_base, currency = %config.payments.currency, "payments on");
    Ok((
        platform.with_payments(config.payments.clone(), Arc::new(processor)),
        Some(PaymentsWiring {
            webhook_secrets,
            wake: Arc::new(Notify::new()),
            page_origins: shimmer_payments::hosted_page_origins(&api_base),
        }),
    ))
}

impl PaymentsWiring {
    /// The webhook route, to merge into the site.
    pub fn router(&self, platform: &Platform) -> axum::Router {
        shimmer_payments::webhook::router(
            platform.clone(),
            self.webhook_secrets.clone(),
            self.wake.clone(),
        )
    }

    /// Starts the worker that applies stored events and the payday schedule, until
    /// `shutdown`.
    pub fn spawn_worker(&self, platform: &Platform, tasks: &Tasks, shutdown: CancellationToken) {
        tasks.spawn(
            "payment events",
            shimmer_payments::worker::run(
                platform.clone(),
                self.wake.clone(),
                shutdown.clone().cancelled_owned(),
            ),
        );
        tasks.spawn(
            "payday schedule",
            payday_schedule(platform.clone(), shutdown),
        );
    }
}

/// How often the payday schedule and lapsed gift months are looked at. A payday is prepared at
/// most once per configured interval; the database allows one open payday across every node.
const PAYDAY_CHECK: std::time::Duration = std::time::Duration::from_secs(600);

async fn payday_schedule(platform: Platform, shutdown: CancellationToken) {
    loop {
        tokio::select! {
            () = shutdown.cancelled() => return,
            () = tokio::time::sleep(PAYDAY_CHECK) => {}
        }
        match platform.run_payday_schedule().await {
            Ok(Some(payday)) => tracing::info!(payday, "payday prepared for staff review"),
            Ok(None) => {}
            Err(error) => tracing::warn!(%error, "could not prepare the scheduled payday"),
        }
        match platform.end_lapsed_gifts().await {
            Ok(0) => {}
            Ok(ended) => tracing::info!(ended, "gift subscriptions ended"),
            Err(error) => tracing::warn!(%error, "could not end lapsed gift subscriptions"),
        }
    }
}

fn non_empty(value: &Option<String>) -> Option<String> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|value| !value.is_empty())
        .map(str::to_owned)
}
