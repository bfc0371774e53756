//! `shimmer dev stripe`: the local Stripe stand-in, for trying payments by hand.

use anyhow::Context;

use crate::cli::DevStripeArgs;

pub async fn run(args: DevStripeArgs) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(&args.bind)
        .await
        .with_context(|| format!("could not listen on {}", args.bind))?;
    let address = listener.local_addr()?;
    let webhook_url = args
        .webhook_url
        .unwrap_or_else(|| "http://127.0.0.1:8080/api/webhooks/stripe".into());
    println!("Stripe stand-in listening on http://{address}");
    println!("events go to {webhook_url}; serve Shimmer with:");
    println!(
        "  SHIMMER_PAYMENTS__ENABLED=true SHIMMER_STRIPE__API_BASE=http://{address} \\\n  \
         SHIMMER_STRIPE__SECRET_KEY={} SHIMMER_STRIPE__WEBHOOK_SECRET={} shimmer serve",
        args.api_key, args.webhook_secret
    );
    shimmer_stripe_standin::serve(
        listener,
        shimmer_stripe_standin::StandinConfig {
            api_key: args.api_key,
            webhook_secret: args.webhook_secret,
            connect_webhook_secret: None,
            webhook_url: Some(webhook_url),
        },
    )
    .await
    .context("the Stripe stand-in stopped")
}
