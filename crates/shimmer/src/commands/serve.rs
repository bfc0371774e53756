//! `shimmer serve`: wires the store, bus, mailer and domain to the website and ingest, and runs
//! them until SIGINT or SIGTERM, then shuts down gracefully.

use std::future::IntoFuture;
use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context;
use shimmer_bus::{Bus, InProcessBus, NatsBus};
use shimmer_cluster::registry::Registry;
use shimmer_cluster::Roles;
use shimmer_platform::mail::{Mailer, OutboxMailer, SmtpMailer, SmtpSettings};
use shimmer_platform::{Platform, PlatformSettings};
use shimmer_web::{AppState, WebConfig};
use tokio_util::sync::CancellationToken;

use crate::cli::ServeArgs;
use crate::config::Config;
use crate::tasks::Tasks;

/// Extra time past the shutdown deadline for closing database connections, so SQLite can
/// checkpoint its write-ahead log.
const CLOSE_STORE_GRACE: std::time::Duration = std::time::Duration::from_secs(1);
/// Longest a stopping node waits to take itself out of the cluster registry.
const WITHDRAW_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(2);

pub async fn run(mut config: Config, args: ServeArgs) -> anyhow::Result<()> {
    if let Some(bind) = &args.bind {
        config.bind = bind.clone();
    }
    crate::telemetry::init(&config.log_format);
    let roles: Roles = args
        .roles
        .as_deref()
        .unwrap_or(&config.roles)
        .parse()
        .context("roles")?;
    if !roles.is_all()
        && (config.nats_url.is_none() || !config.database_url().starts_with("postgres"))
    {
        anyhow::bail!(
            "roles {roles} split Shimmer over several nodes: set nats_url and a PostgreSQL \
             database_url that every node shares"
        );
    }
    // Bind first, so that with port 0 the emailed links name the port actually chosen.
    let listener = tokio::net::TcpListener::bind(&config.bind)
        .await
        .with_context(|| format!("could not listen on {}", config.bind))?;
    if config.base_url.is_none() {
        config.base_url = Some(format!("http://{}", listener.local_addr()?));
    }
    let store = super::open_store(&config).await?;
    // After opening the store, which creates the data directory that keeps the node id.
    let owner = crate::node::identity(config.node_id.as_deref(), &config.data_dir)?;
    let store = store.with_owner(owner.clone());
    tracing::info!(
        database = %redact(&config.database_url()),
        node_id = %owner.node_id,
        host = %owner.host,
        "database ready"
    );

    let (bus, registry): (Arc<dyn Bus>, Option<Registry>) = match &config.nats_url {
        Some(url) => {
            shimmer_cluster::registry::check_node_id(&owner.node_id)?;
            let bus = NatsBus::connect(url).await?;
            let registry = Registry::open(bus.client()).await?;
            (Arc::new(bus), Some(registry))
        }
        None => (Arc::new(InProcessBus::new()), None),
    };
    let mailer = mailer(&config)?;
    // The key that seals two-factor secrets: made now (mode 0600) if the data directory has
    // none, so a broken key fails the start-up rather than someone's log-in.
    shimmer_platform::accounts::secret_box::load_or_create_key(&config.data_dir)
        .context("could not read or create the secret key in the data directory")?;
    let settings = PlatformSettings {
        base_url: config.base_url(),
        data_dir: config.data_dir.clone(),
        report: config.report_settings(),
        support: config.support.clone(),
        ..PlatformSettings::default()
    };
    let platform = Platform::with_chat_config(
        store.clone(),
        bus,
        mailer,
        settings,
        config.chat.to_chat_config(),
    )
    .with_community_config(config.community.clone())
    .with_signup_config(config.signup());
    // Nodes on a shared bus may serve the same clients: count their limits together.
    let platform = if registry.is_some() {
        platform.with_shared_limits()
    } else {
        platform
    };
    let (platform, payments) = crate::payments::enable(&config, platform)?;
    if roles.ingest {
        let recovered = platform.recover_open_streams().await?;
        if recovered > 0 {
            tracing::warn!(recovered, "closed streams left open by an earlier run");
        }
    }
    tracing::info!(%roles, node_id = %owner.node_id, "roles");
    if config.dev_mode() {
        tracing::warn!(
            outbox = %config.outbox_dir().display(),
            "development mode is on: email is written to the outbox and listed at /dev/mailbox; \
             set dev_mode = false (and configure [smtp]) for production"
        );
    }

    let shutdown = CancellationToken::new();
    let tasks = Tasks::new(shutdown.clone());
    let hubs = Arc::new(shimmer_media::hub::HubRegistry::new(Default::default()));
    let ingest = Arc::new(crate::ingest_adapter::PlatformIngest {
        platform: platform.clone(),
    });
    let rtmp = if roles.ingest && config.rtmp_enabled {
        let server =
            shimmer_rtmp::RtmpServer::bind(rtmp_config(&config)?, ingest.clone(), hubs.clone())
                .await
                .context("could not start RTMP ingest")?;
        Some(server)
    } else {
        None
    };
    let rtmp_address = rtmp.as_ref().map(|server| server.local_addr());
    if let Some(server) = rtmp {
        tasks.spawn("RTMP ingest", server.run(shutdown.clone()));
    }
    let ftl = if roles.ingest {
        let ftl = shimmer_ftl::FtlServer::bind(config.ftl.clone(), ingest.clone(), hubs.clone())
            .await
            .context("could not start FTL ingest")?;
        tracing::info!(control = %ftl.control_addr(), media = %ftl.media_addr(), "FTL ingest listening");
        Some(ftl)
    } else {
        None
    };
    let ftl_control = ftl.as_ref().map(|ftl| ftl.control_addr());
    let ftl_media = ftl.as_ref().map(|ftl| ftl.media_addr());
    if let Some(ftl) = ftl {
        tasks.spawn("FTL ingest", ftl.run(shutdown.clone()));
    }
    // A web-only node places every viewer on an edge: it runs no engine and opens no UDP port.
    let engine = if roles.edge || roles.ingest {
        let engine = shimmer_webrtc::Engine::start(
            config.webrtc.clone(),
            hubs.clone(),
            platform.bus.clone(),
        )
        .await
        .context("could not start WebRTC playback")?;
        tracing::info!(udp = %engine.local_addr(), candidates = ?engine.candidates(), "WebRTC playback listening");
        Some(engine)
    } else {
        None
    };
    let whip = match &engine {
        Some(engine) if roles.ingest && config.whip_enabled => {
            Some(shimmer_webrtc::WhipIngest::new(
                engine.clone(),
                ingest,
                hubs.clone(),
                whip_config(&config),
            ))
        }
        _ => None,
    };
    let resolver = Arc::new(crate::ingest_adapter::StoreChannelResolver {
        platform: platform.clone(),
    });
    // One set of live thumbnails: the thumbnailer and the API's uploads write, the site serves.
    let thumbnails =
        Arc::new(shimmer_images::LiveThumbnails::new().context("could not draw the placeholder")?);
    let api = shimmer_api::ApiState::new(
        platform.clone(),
        config.api.to_api_config(),
        thumbnails.clone(),
        shutdown.clone(),
    )?;
    let (cluster, announcer) = match &registry {
        Some(registry) => {
            let (node, announcer) = crate::cluster::join(
                &config,
                roles,
                &owner.node_id,
                registry,
                engine.as_ref(),
                &hubs,
                &tasks,
            )
            .await?;
            (Some(node), Some(announcer))
        }
        None => (None, None),
    };
    let playback_origins = shimmer_web::PlaybackOrigins::with_fixed(&config.edge_origins)
        .map_err(|reason| anyhow::anyhow!("edge_origins: {reason}"))?;
    let directory = Arc::new(crate::cluster::NodeDirectory::new(
        roles
            .web
            .then(|| (owner.node_id.clone(), playback_origins.clone())),
    ));
    if let Some(registry) = &registry {
        tasks.spawn(
            "node directory",
            directory.clone().follow(registry.clone(), shutdown.clone()),
        );
    }
    let placement = match (&registry, &cluster) {
        (Some(registry), Some(node)) => Some(Arc::new(crate::cluster::EdgePlacement::new(
            registry.clone(),
            directory.clone(),
            node.clone(),
        ))
            as Arc<dyn shimmer_webrtc::ViewerPlacement>),
        _ => None,
    };
    let hls_redirect = match (&engine, &placement) {
        (None, Some(placement)) if config.hls_enabled => Some(shimmer_hls::redirect_router(
            Arc::new(crate::cluster::HlsEdges {
                resolver: resolver.clone(),
                placement: placement.clone(),
            }),
        )),
        _ => None,
    };
    let whep = match (&engine, placement) {
        (Some(engine), placement) => {
            shimmer_webrtc::placed_whep_router(engine.clone(), resolver.clone(), placement)
        }
        (None, Some(placement)) => {
            shimmer_webrtc::forwarding_whep_router(&config.webrtc, resolver.clone(), placement)
        }
        (None, None) => anyhow::bail!("a node without viewers of its own must be in a cluster"),
    }
    .layer(axum::middleware::from_fn(viewer_identity_for_whep));
    let whip_routes = whip
        .clone()
        .map(shimmer_webrtc::whip_router)
        .unwrap_or_default();
    let mut extra = whep.merge(whip_routes);
    if let (true, Some(engine)) = (config.hls_enabled, &engine) {
        let streams = Arc::new(crate::ingest_adapter::HlsStreams {
            resolver: resolver.clone(),
            engine: engine.clone(),
        });
        let viewers = Arc::new(crate::ingest_adapter::HlsViewers {
            bus: platform.bus.clone(),
        });
        let hls = shimmer_hls::HlsService::new(
            hls_config(&config),
            streams,
            Some(viewers),
            shutdown.clone(),
        );
        extra = extra.merge(shimmer_hls::router(hls));
    }
    if let Some(redirect) = hls_redirect {
        extra = extra.merge(redirect);
    }
    if roles.web {
        extra = extra.merge(shimmer_api::router(api.clone()));
        if let Some(payments) = &payments {
            extra = extra.merge(payments.router(&platform));
            payments.spawn_worker(&platform, &tasks, shutdown.clone());
        }
    }
    let whip_url = whip
        .as_ref()
        .map(|_| format!("{}/api/whip", config.base_url().trim_end_matches('/')));
    if let (Some(url), Some(engine)) = (&whip_url, &engine) {
        tracing::info!(%url, udp = %engine.local_addr(), "WHIP ingest listening");
    }
    let web_config = WebConfig {
        dev_mode: config.dev_mode(),
        outbox_dir: config.outbox_dir(),
        secure_cookies: config.base_url().starts_with("https://"),
        trusted_proxies: config.trusted_proxies.clone(),
        max_form_bytes: config.max_form_bytes,
        ingest_host: config.ingest_host.clone(),
        ingest_port: ftl_control.map_or(config.ftl.control_port, |address| address.port()),
        rtmp_port: rtmp_address.map(|address| address.port()),
        whip_url: whip_url.clone(),
        metrics_token: config.metrics_token(),
        playback_origins: playback_origins.clone(),
        payment_page_origins: payments
            .as_ref()
            .map(|payments| payments.page_origins.clone())
            .unwrap_or_default(),
    };
    let fanout = Arc::new(shimmer_web::fanout::Fanout::new(config.chat.batch_timing()));
    if roles.web {
        tasks.spawn_until_shutdown("API subscriptions", api.clone().follow_bus());
        tasks.spawn_until_shutdown(
            "live status fan-out",
            fanout.clone().run(platform.bus.clone()),
        );
        let follower = platform.clone();
        tasks.spawn_until_shutdown("chat rooms", async move {
            if let Err(error) = follower.follow_bus().await {
                tracing::error!(%error, "chat rooms cannot follow the bus");
            }
        });
        spawn_community_tasks(&platform, &tasks);
        if let Some(registry) = &registry {
            tasks.spawn(
                "lost node watch",
                crate::cluster::end_streams_of_lost_nodes(
                    platform.clone(),
                    registry.clone(),
                    owner.node_id.clone(),
                    shutdown.clone(),
                ),
            );
        }
    }
    // Thumbnails are rendered where the stream is; in a cluster they are shared through the
    // registry with the nodes that serve pages.
    if let Some(registry) = &registry {
        thumbnails.observe(crate::cluster::ThumbnailSharer::start(
            registry.clone(),
            owner.node_id.clone(),
        ));
        if roles.web {
            tasks.spawn(
                "shared thumbnails",
                crate::cluster::follow_thumbnails(
                    registry.clone(),
                    owner.node_id.clone(),
                    thumbnails.clone(),
                    shutdown.clone(),
                ),
            );
        }
    }
    if roles.ingest && (roles.web || registry.is_some()) {
        let thumbnailer = shimmer_thumbnail::Thumbnailer::new(
            hubs.clone(),
            thumbnails.clone(),
            config.thumbnails.to_config(),
        );
        tasks.spawn("thumbnailer", thumbnailer.run(shutdown.clone()));
    }
    if config.oauth.cleanup_interval_secs.is_some() {
        tracing::warn!(
            "oauth.cleanup_interval_secs is the former name of housekeeping.interval_secs; \
             it still works, but the sweep now covers every expired row"
        );
    }
    if roles.web {
        tasks.spawn(
            "page view counts",
            write_analytics(platform.clone(), ANALYTICS_FLUSH, shutdown.clone()),
        );
    }
    let cluster_member = registry
        .clone()
        .map(|registry| (registry, owner.node_id.clone()));
    if roles.web {
        let sweeper = platform.clone();
        tasks.spawn(
            "housekeeping",
            once_per_round(
                "housekeeping",
                config.housekeeping_interval(),
                cluster_member.clone(),
                shutdown.clone(),
                move || {
                    let platform = sweeper.clone();
                    async move { sweep_expired(&platform).await }
                },
            ),
        );
        // Every web node counts the same viewers; one of them stores each round's samples.
        let platform = platform.clone();
        tasks.spawn(
            "viewer samples",
            once_per_round(
                "viewer-samples",
                platform.viewer_sample_interval(),
                cluster_member.clone(),
                shutdown.clone(),
                move || {
                    let platform = platform.clone();
                    async move { platform.record_viewer_samples().await }
                },
            ),
        );
    }
    let metrics = shimmer_web::install_prometheus();
    // Which node and roles the figures of this listener come from.
    metrics::gauge!("shimmer_node_info", "node_id" => owner.node_id.clone(), "roles" => roles.to_string())
        .set(1.0);
    let metrics_address =
        super::metrics_listener::start(&config, metrics.clone(), shutdown.clone()).await?;
    let state = AppState {
        platform: platform.clone(),
        config: Arc::new(web_config),
        metrics,
        fanout,
        thumbnails,
        shutdown: shutdown.clone(),
    };
    let router = if roles.web {
        shimmer_web::router(state, extra)
    } else {
        shimmer_web::node_router(state, extra)
    };
    let web_address = listener.local_addr()?;
    tracing::info!(address = %web_address, base_url = %config.base_url(), "website listening");

    if let Some(path) = &args.ready_file {
        let ready = serde_json::json!({
            "web": web_address.to_string(),
            "metrics": metrics_address.map(|address| address.to_string()),
            "ftl_control": ftl_control.map(|address| address.to_string()),
            "ftl_media": ftl_media.map(|address| address.to_string()),
            "relay": cluster.as_ref().and_then(|node| node.relay.as_ref()).map(|relay| relay.addr.to_string()),
            "roles": roles.to_string(),
            "webrtc": engine.as_ref().map(|engine| engine.local_addr().to_string()),
            "rtmp": rtmp_address.map(|address| address.to_string()),
            "whip": whip_url,
        });
        write_ready_file(path, &ready.to_string())
            .with_context(|| format!("could not write {}", path.display()))?;
    }

    let signal_shutdown = shutdown.clone();
    let draining = cluster.clone();
    tasks.spawn_until_shutdown("signal handler", async move {
        wait_for_signal().await;
        tracing::info!("shutting down");
        if let Some(node) = draining {
            node.start_draining();
        }
        signal_shutdown.cancel();
    });
    let web_shutdown = shutdown.clone();
    // Chat and API sockets push small frames: without TCP_NODELAY a frame written while the
    // previous one is unacknowledged waits for the peer's delayed ACK (up to 40 ms).
    let listener = axum::serve::ListenerExt::tap_io(listener, |stream| {
        if let Err(error) = stream.set_nodelay(true) {
            tracing::debug!(%error, "could not set TCP_NODELAY on a web connection");
        }
    });
    let web = axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async move { web_shutdown.cancelled().await })
    .into_future();
    tokio::pin!(web);
    let web_finished = tokio::select! {
        result = &mut web => {
            result.context("the web server failed")?;
            true
        }
        () = shutdown.cancelled() => false,
    };
    // From here on every step is bounded by one deadline, whatever clients do: live-status
    // streams and sockets end on the cancelled token, viewer sessions are closed, ingest ends
    // its live streams, and what is still open at the deadline is dropped.
    shutdown.cancel();
    let bound = config.shutdown_timeout();
    let deadline = tokio::time::Instant::now() + bound;
    // Out of the registry first, so no node sends this one another viewer or counts on it.
    if let Some(announcer) = announcer {
        let withdrawn = deadline.min(tokio::time::Instant::now() + WITHDRAW_TIMEOUT);
        if tokio::time::timeout_at(withdrawn, announcer).await.is_err() {
            tracing::warn!("could not leave the cluster registry in time; the lease will expire");
        }
    }
    if !web_finished {
        match tokio::time::timeout_at(deadline, &mut web).await {
            Ok(result) => result.context("the web server failed")?,
            Err(_) => tracing::warn!(
                timeout_secs = bound.as_secs(),
                "web connections still open at the shutdown deadline were dropped"
            ),
        }
    }
    // WHIP publishers end their streams before the socket they share with viewers closes.
    if let Some(whip) = &whip {
        let remaining = deadline.saturating_duration_since(tokio::time::Instant::now());
        let open = whip.shutdown(remaining).await;
        if open > 0 {
            tracing::error!(
                open,
                "WHIP streams were not all ended by the shutdown deadline"
            );
        }
    }
    if let Some(engine) = &engine {
        let remaining = deadline.saturating_duration_since(tokio::time::Instant::now());
        let open = engine
            .shutdown(remaining.min(std::time::Duration::from_secs(2)))
            .await;
        if open > 0 {
            tracing::warn!(open, "viewer sessions did not close in time");
        } else {
            tracing::info!("viewer sessions closed");
        }
    }
    // Ingest ends its live streams, analytics writes its last page views, a periodic job under
    // way finishes: every background task is waited for before the database closes.
    let overran = tasks.join(deadline).await;
    if !overran.is_empty() {
        tracing::error!(tasks = ?overran, "background tasks still running at the shutdown deadline");
    }
    if tokio::time::timeout_at(deadline + CLOSE_STORE_GRACE, store.close())
        .await
        .is_err()
    {
        tracing::warn!("database connections did not close in time");
    }
    tracing::info!("stopped");
    Ok(())
}

/// The RTMP server's settings: its own address and Opus bitrate, the FTL section's platform-call
/// deadline, metadata interval and node name (one ingest model, one set of those).
fn rtmp_config(config: &Config) -> anyhow::Result<shimmer_rtmp::RtmpServerConfig> {
    let bind = config
        .rtmp_bind
        .parse()
        .with_context(|| format!("rtmp_bind {:?} is not an address:port", config.rtmp_bind))?;
    Ok(shimmer_rtmp::RtmpServerConfig {
        bind,
        opus: shimmer_rtmp::transcode::OpusSettings {
            bitrate: config.rtmp_opus_bitrate,
            ..Default::default()
        },
        ingest_name: config.ftl.ingest_name.clone(),
        call_timeout: config.ftl.call_timeout(),
        metadata_interval: std::time::Duration::from_millis(
            config.ftl.metadata_interval_ms.max(100),
        ),
        max_bitrate_bps: config.ftl.max_bitrate_bps,
        ..Default::default()
    })
}

/// WHIP ingest's settings: the FTL section's platform-call deadline, metadata interval and node
/// name (one ingest model, one set of those), the WebRTC section's offer size limit.
fn hls_config(config: &Config) -> shimmer_hls::HlsConfig {
    let part = config.hls_part_ms.clamp(100, 1000);
    let mut hls = shimmer_hls::HlsConfig::default();
    hls.packager.part_target = std::time::Duration::from_millis(part);
    hls.packager.segment_target =
        std::time::Duration::from_millis(config.hls_segment_ms.clamp(part, 2000));
    hls
}

fn whip_config(config: &Config) -> shimmer_webrtc::WhipConfig {
    shimmer_webrtc::WhipConfig {
        ingest_name: config.ftl.ingest_name.clone(),
        call_timeout: config.ftl.call_timeout(),
        metadata_interval: std::time::Duration::from_millis(
            config.ftl.metadata_interval_ms.max(100),
        ),
        max_offer_bytes: config.webrtc.max_offer_bytes,
        max_bitrate_bps: config.ftl.max_bitrate_bps,
        ..Default::default()
    }
}

/// Viewer counting and live-notification emails: bus listeners that run beside the site, never
/// on the ingest path.
fn spawn_community_tasks(platform: &Platform, tasks: &Tasks) {
    let counter = platform.clone();
    tasks.spawn_until_shutdown("viewer counting", async move {
        if let Err(error) = counter.count_viewers().await {
            tracing::error!(%error, "viewer counting cannot follow the bus");
        }
    });
    let notifier = platform.clone();
    tasks.spawn_until_shutdown("live notifications", async move {
        if let Err(error) = notifier.send_live_notifications().await {
            tracing::error!(%error, "live notifications cannot follow the bus");
        }
    });
}

/// How often counted page views are written (and past days closed).
const ANALYTICS_FLUSH: std::time::Duration = std::time::Duration::from_secs(30);

/// Writes the page views counted on this node every `every`, and once more at shutdown.
async fn write_analytics(
    platform: Platform,
    every: std::time::Duration,
    shutdown: CancellationToken,
) {
    loop {
        let stopping = tokio::select! {
            () = shutdown.cancelled() => true,
            () = tokio::time::sleep(every) => false,
        };
        if let Err(error) = platform.flush_analytics().await {
            tracing::warn!(%error, "could not write page views");
        }
        if stopping {
            return;
        }
    }
}

/// Runs `work` at start-up and then every `every`, until shutdown; in a cluster (`cluster`: the
/// registry and this node's id) only on the node that claims each round of `job`, so a job
/// meant to run once for the site does. Rounds are counted from the epoch, so every node names
/// the same round alike; with the registry unreachable, each node runs the round (the jobs are
/// idempotent, only wasteful).
async fn once_per_round<F, Fut>(
    job: &'static str,
    every: std::time::Duration,
    cluster: Option<(Registry, String)>,
    shutdown: CancellationToken,
    mut work: F,
) where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let mut ticker = tokio::time::interval(every);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = shutdown.cancelled() => return,
            _ = ticker.tick() => {}
        }
        if let Some((registry, node_id)) = &cluster {
            let round = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |since| since.as_millis() / every.as_millis().max(1));
            if let Ok(false) = registry.claim_round(job, round as u64, node_id).await {
                tracing::debug!(job, round, "another node runs this round");
                continue;
            }
        }
        work().await;
    }
}

/// Deletes every expired row nothing needs any more (see `Platform::sweep_expired`).
async fn sweep_expired(platform: &Platform) {
    match platform.sweep_expired().await {
        Ok(swept) if swept.total() > 0 => tracing::info!(
            sessions = swept.rows.sessions,
            pending_logins = swept.rows.pending_logins,
            email_tokens = swept.rows.email_tokens,
            username_holds = swept.rows.username_holds,
            channel_timeouts = swept.rows.channel_timeouts,
            live_notifications = swept.rows.live_notifications,
            rate_allowances = swept.rows.rate_allowances,
            oauth_codes = swept.oauth.codes,
            oauth_tokens = swept.oauth.tokens,
            "deleted expired rows"
        ),
        Ok(_) => tracing::debug!("no expired rows to delete"),
        Err(error) => tracing::warn!(%error, "could not delete expired rows"),
    }
}

/// Hands WHEP the viewer's identity for viewer counting (signed-in user or per-browser id).
async fn viewer_identity_for_whep(
    mut request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    if let Some(identity) = shimmer_web::viewer_identity(&request) {
        request
            .extensions_mut()
            .insert(shimmer_webrtc::http::ViewerIdentity(identity));
    }
    next.run(request).await
}

/// Writes the file whole or not at all (a reader never sees half of it).
fn write_ready_file(path: &std::path::Path, contents: &str) -> std::io::Result<()> {
    let mut partial = path.as_os_str().to_owned();
    partial.push(".partial");
    std::fs::write(&partial, contents)?;
    std::fs::rename(&partial, path)
}

fn mailer(config: &Config) -> anyhow::Result<Arc<dyn Mailer>> {
    if config.smtp.host.is_empty() {
        return Ok(Arc::new(OutboxMailer::new(
            config.outbox_dir(),
            &config.mail_from,
        )?));
    }
    let settings = SmtpSettings {
        host: config.smtp.host.clone(),
        port: config.smtp.port.unwrap_or(587),
        username: config.smtp.username.clone(),
        password: config.smtp.password.clone(),
        security: config
            .smtp
            .security
            .clone()
            .unwrap_or_else(|| "starttls".into()),
        from: config.mail_from.clone(),
    };
    Ok(Arc::new(SmtpMailer::new(&settings)?))
}

/// The database URL without its password, for logs.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &url[scheme_end + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{}:***{}", &url[..scheme_end + 3], user, &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

async fn wait_for_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut terminate =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(signal) => signal,
                Err(error) => {
                    tracing::error!(%error, "could not listen for SIGTERM");
                    let _ = interrupt.await;
                    return;
                }
            };
        tokio::select! {
            _ = interrupt => {}
            _ = terminate.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = interrupt.await;
    }
}
