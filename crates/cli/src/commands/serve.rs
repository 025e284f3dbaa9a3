//! `duban serve`: open (or create) and migrate the database, bind the listener and run the
//! web server and the background job runner until Ctrl-C or SIGTERM. `duban demo` reuses
//! [`bind`] and [`serve`].

use crate::config::{Config, Db};
use anyhow::Context;
use duban_store::Store;
use std::process::ExitCode;
use tokio::net::TcpListener;

pub async fn run(config: &Config) -> anyhow::Result<ExitCode> {
    let target = config.database(Db::Main);
    let store = super::open_and_migrate(config, &target).await?;
    tracing::info!(database.url = %target.url, "database ready");
    if super::count_users(&store).await? == 0 {
        println!("There are no accounts yet. Create the first administrator with");
        println!();
        println!("    duban user add --admin <name>");
        println!();
        println!("(with the same --config, --data-dir or DATABASE_URL as this server).");
    }
    let (listener, url) = bind(config).await?;
    serve(config, store, listener, &url).await
}

/// Binds `server.listen` and works out the URL to show people.
pub async fn bind(config: &Config) -> anyhow::Result<(TcpListener, String)> {
    let listen = &config.server.listen;
    let listener = TcpListener::bind(listen.as_str())
        .await
        .with_context(|| format!("could not listen on {listen}"))?;
    let addr = listener
        .local_addr()
        .context("could not read the bound address")?;
    Ok((listener, config.public_url(addr)))
}

/// Runs the web server on `listener` until a shutdown signal, then closes the database.
pub async fn serve(
    config: &Config,
    store: Store,
    listener: TcpListener,
    url: &str,
) -> anyhow::Result<ExitCode> {
    // The data directory holds the default key file (and attachments in directory mode).
    super::create_data_dir(config)?;
    let shutdown = shutdown_signal()?;
    let addr = listener
        .local_addr()
        .context("could not read the bound address")?;
    tracing::info!(server.addr = %addr, server.url = %url, "listening");
    let mut web = config.web();
    // Links that leave the site (e-mails, group-chat posts, feeds) are absolute: on
    // `server.public_url`, or when that is empty on the address this server answers on.
    web.notify.public_url = url.trim_end_matches('/').to_string();
    // The log's key, held to the one recorded in the database: a node with another key (or
    // none, when the log has one) refuses to start here, saying how to fix it.
    let key = crate::signing_key::for_serving(config, &store, config.now()).await?;
    web.transparency.key = Some(duban_web::transparency::LogKey::new(key));
    if let Some(pin) = web.pinned_clock {
        tracing::warn!(time.pinned = %pin, "the clock is pinned (time.pinned): for demos and tests only; every page says so");
    }
    let state = duban_web::AppState::new(store.clone(), web);
    // A tree head over what was written while no server ran (or the demo just loaded), so
    // the log is checkable from the first request.
    if let Err(e) = duban_web::transparency::publish_due(&state, state.now()).await {
        tracing::warn!(error = %e, "no tree head published at start");
    }
    println!("duban is running at {url} (press Ctrl-C to stop)");
    // Background jobs (deliveries, digests, reminders) run beside the server; any number of
    // processes may run them on one database.
    let jobs = duban_web::jobs::start(state.clone());
    let served = duban_web::serve(listener, state, shutdown).await;
    jobs.stop().await;
    served.context("the web server failed")?;
    store.close().await;
    tracing::info!("stopped");
    Ok(ExitCode::SUCCESS)
}

/// Starts listening for Ctrl-C and SIGTERM (as sent by systemd, Docker and Kubernetes) now,
/// before the URL is printed, so an early signal is not missed; the future resolves on the first.
fn shutdown_signal() -> anyhow::Result<impl Future<Output = ()> + Send + 'static> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut interrupt =
            signal(SignalKind::interrupt()).context("could not listen for Ctrl-C")?;
        let mut terminate =
            signal(SignalKind::terminate()).context("could not listen for SIGTERM")?;
        Ok(async move {
            tokio::select! {
                _ = interrupt.recv() => {}
                _ = terminate.recv() => {}
            }
            tracing::info!("shutting down: finishing requests in flight");
        })
    }
    #[cfg(not(unix))]
    {
        Ok(async {
            if let Err(e) = tokio::signal::ctrl_c().await {
                tracing::warn!(error = %e, "could not listen for Ctrl-C");
                std::future::pending::<()>().await;
            }
            tracing::info!("shutting down: finishing requests in flight");
        })
    }
}
