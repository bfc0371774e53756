//! Every background task of a node, started from one place and joined at shutdown. A task that
//! ends or panics while the node is running is logged by name (a listener that stopped is a
//! node that silently does less); at shutdown the node waits, within its deadline, for each
//! task to finish its last work (ingest ends its streams, analytics writes its last views) and
//! names those still running when the deadline comes.

use std::collections::BTreeMap;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use futures::FutureExt;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

/// The node's supervised task set.
#[derive(Clone)]
pub struct Tasks {
    tracker: TaskTracker,
    shutdown: CancellationToken,
    running: Arc<Mutex<BTreeMap<u64, &'static str>>>,
    next_id: Arc<AtomicU64>,
}

impl Tasks {
    /// A task set whose tasks stop when `shutdown` is cancelled.
    pub fn new(shutdown: CancellationToken) -> Self {
        Self {
            tracker: TaskTracker::new(),
            shutdown,
            running: Arc::default(),
            next_id: Arc::default(),
        }
    }

    /// The token that stops the node, for tasks that watch it themselves.
    pub fn shutdown(&self) -> &CancellationToken {
        &self.shutdown
    }

    /// Runs `task`, which watches the shutdown token itself and is let finish its last work.
    pub fn spawn<F>(&self, name: &'static str, task: F) -> tokio::task::JoinHandle<()>
    where
        F: Future<Output = ()> + Send + 'static,
    {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        self.running
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .insert(id, name);
        let running = self.running.clone();
        let shutdown = self.shutdown.clone();
        self.tracker.spawn(async move {
            let outcome = AssertUnwindSafe(task).catch_unwind().await;
            running
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .remove(&id);
            match outcome {
                Err(_) => tracing::error!(task = name, "background task panicked"),
                Ok(()) if !shutdown.is_cancelled() => {
                    tracing::error!(task = name, "background task ended while the node runs")
                }
                Ok(()) => tracing::debug!(task = name, "background task stopped"),
            }
        })
    }

    /// Runs `task`, which would otherwise run as long as its source (a bus subscription): it is
    /// stopped where it waits when the node shuts down.
    pub fn spawn_until_shutdown<F>(
        &self,
        name: &'static str,
        task: F,
    ) -> tokio::task::JoinHandle<()>
    where
        F: Future<Output = ()> + Send + 'static,
    {
        let shutdown = self.shutdown.clone();
        self.spawn(name, async move {
            shutdown.run_until_cancelled(task).await;
        })
    }

    /// Waits for every task until `deadline`; returns the names of those still running then.
    pub async fn join(&self, deadline: tokio::time::Instant) -> Vec<&'static str> {
        self.tracker.close();
        if tokio::time::timeout_at(deadline, self.tracker.wait())
            .await
            .is_ok()
        {
            return Vec::new();
        }
        self.running
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .values()
            .copied()
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test]
    async fn join_waits_for_last_work_and_names_what_overran() {
        let shutdown = CancellationToken::new();
        let tasks = Tasks::new(shutdown.clone());
        let finished = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = finished.clone();
        let token = shutdown.clone();
        tasks.spawn("writer", async move {
            token.cancelled().await;
            tokio::time::sleep(Duration::from_millis(50)).await;
            flag.store(true, Ordering::SeqCst);
        });
        tasks.spawn_until_shutdown("listener", std::future::pending());
        tasks.spawn("stuck", async {
            tokio::time::sleep(Duration::from_secs(3600)).await;
        });
        shutdown.cancel();
        let overran = tasks
            .join(tokio::time::Instant::now() + Duration::from_millis(500))
            .await;
        assert!(
            finished.load(Ordering::SeqCst),
            "the writer finished its work"
        );
        assert_eq!(overran, vec!["stuck"]);
    }

    #[tokio::test]
    async fn a_panicking_task_leaves_the_set() {
        let shutdown = CancellationToken::new();
        let tasks = Tasks::new(shutdown.clone());
        tasks.spawn("boom", async { panic!("a test panic") });
        shutdown.cancel();
        let overran = tasks
            .join(tokio::time::Instant::now() + Duration::from_secs(5))
            .await;
        assert!(overran.is_empty());
    }
}
