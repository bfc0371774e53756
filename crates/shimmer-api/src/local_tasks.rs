//! The fetches a request's data loaders start, run on the request's own task once the
//! executor has gone as far as it can without them. By then every field it could reach has
//! asked for its key, so one fetch serves them all, and no timer is waited for. Spawned on the
//! runtime instead, a fetch starts while the executor is still collecting keys (it polls a
//! list a few objects at a time, see [`PassWaker`]) and the batch splits; the loader's usual
//! remedy, a timer, adds its delay to every request.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Wake, Waker};

use futures::future::BoxFuture;
use futures::stream::FuturesUnordered;
use futures::task::AtomicWaker;
use futures::{Stream, StreamExt};

/// Where a request's loaders queue their fetches. Cheap to clone.
#[derive(Clone, Default)]
pub struct LocalTasks(Arc<Mutex<Queue>>);

#[derive(Default)]
struct Queue {
    jobs: Vec<BoxFuture<'static, ()>>,
    /// The task to wake when a job is queued while it sleeps.
    sleeper: Option<Waker>,
}

impl LocalTasks {
    fn queue(&self) -> MutexGuard<'_, Queue> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Queues a job for the task driving this request (a data loader's spawner).
    pub fn spawn(&self, job: BoxFuture<'static, ()>) {
        let sleeper = {
            let mut queue = self.queue();
            queue.jobs.push(job);
            queue.sleeper.take()
        };
        if let Some(waker) = sleeper {
            waker.wake();
        }
    }

    /// Runs `work` with the queued jobs alongside, on the caller's task.
    pub async fn run<F: Future>(self, work: F) -> F::Output {
        let mut work = std::pin::pin!(work);
        let mut driver = Driver::new(self);
        futures::future::poll_fn(|cx| driver.poll(cx, |cx| work.as_mut().poll(cx))).await
    }

    /// The items of `stream` (a subscription's events), with the queued jobs run alongside on
    /// the task that reads them.
    pub fn drive<S: Stream + Unpin>(self, stream: S) -> Driven<S> {
        Driven {
            stream,
            driver: Driver::new(self),
        }
    }
}

/// A stream whose loaders' jobs run on the task reading it.
pub struct Driven<S> {
    stream: S,
    driver: Driver,
}

impl<S: Stream + Unpin> Stream for Driven<S> {
    type Item = S::Item;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<S::Item>> {
        let this = self.get_mut();
        let stream = &mut this.stream;
        this.driver.poll(cx, |cx| stream.poll_next_unpin(cx))
    }
}

/// How many polls in a row may end with the work asking to be polled again before its queued
/// jobs run anyway: work that never settles (a subscription whose events keep coming) still
/// gets its fetches. A 1000-row list settles after about as many polls.
const MAX_DEFERRALS: usize = 4096;

struct Driver {
    tasks: LocalTasks,
    running: FuturesUnordered<BoxFuture<'static, ()>>,
    wake: Arc<PassWaker>,
    /// Polls in a row that ended with the work still busy.
    deferred: usize,
}

/// The waker the work is polled with. async-graphql's executor resolves the objects of a list
/// as futures that, having polled each of their fields once, wake themselves and return: the
/// list then stops after two of them and yields to the scheduler, so one poll of a request
/// reaches only part of it. This waker records such wakes (the driver then defers the jobs
/// and reschedules itself), and passes on to the task only the wakes that come while the work
/// is not being polled.
#[derive(Default)]
struct PassWaker {
    woken: AtomicBool,
    polling: AtomicBool,
    task: AtomicWaker,
}

impl Wake for PassWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.woken.store(true, Ordering::SeqCst);
        if !self.polling.load(Ordering::SeqCst) {
            self.task.wake();
        }
    }
}

impl Driver {
    fn new(tasks: LocalTasks) -> Self {
        Self {
            tasks,
            running: FuturesUnordered::new(),
            wake: Arc::default(),
            deferred: 0,
        }
    }

    /// Polls the work; once it has settled (waits on something outside this task), runs the
    /// jobs its polls queued, and polls it again while jobs finish (a finished fetch has
    /// answered fields the work can now complete).
    fn poll<T>(
        &mut self,
        cx: &mut Context<'_>,
        mut work: impl FnMut(&mut Context<'_>) -> Poll<T>,
    ) -> Poll<T> {
        self.wake.task.register(cx.waker());
        let waker = Waker::from(self.wake.clone());
        loop {
            self.wake.woken.store(false, Ordering::SeqCst);
            self.wake.polling.store(true, Ordering::SeqCst);
            let polled = work(&mut Context::from_waker(&waker));
            self.wake.polling.store(false, Ordering::SeqCst);
            if polled.is_ready() {
                self.deferred = 0;
                return polled;
            }
            let busy = self.wake.woken.load(Ordering::SeqCst);
            if busy && self.deferred < MAX_DEFERRALS {
                self.deferred += 1;
                cx.waker().wake_by_ref();
                return Poll::Pending;
            }
            self.deferred = 0;
            let queued = std::mem::take(&mut self.tasks.queue().jobs);
            self.running.extend(queued);
            let mut finished = false;
            while let Poll::Ready(Some(())) = self.running.poll_next_unpin(cx) {
                finished = true;
            }
            if finished {
                continue;
            }
            if busy {
                cx.waker().wake_by_ref();
                return Poll::Pending;
            }
            let mut queue = self.tasks.queue();
            if queue.jobs.is_empty() {
                queue.sleeper = Some(cx.waker().clone());
                return Poll::Pending;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::sync::atomic::AtomicUsize;

    use async_graphql::dataloader::{DataLoader, Loader};
    use futures::FutureExt;

    use super::*;

    /// Doubles numbers, counting its batches.
    struct Doubler(Arc<AtomicUsize>);

    impl Loader<u32> for Doubler {
        type Value = u32;
        type Error = String;

        async fn load(&self, keys: &[u32]) -> Result<HashMap<u32, u32>, String> {
            self.0.fetch_add(1, Ordering::Relaxed);
            tokio::task::yield_now().await;
            Ok(keys.iter().map(|key| (*key, key * 2)).collect())
        }
    }

    /// Pending once, having woken itself: asks to be polled again at once.
    struct YieldOnce(bool);

    impl Future for YieldOnce {
        type Output = ();

        fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
            if self.0 {
                return Poll::Ready(());
            }
            self.0 = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }

    fn loader(tasks: &LocalTasks, batches: &Arc<AtomicUsize>) -> DataLoader<Doubler> {
        let spawner = tasks.clone();
        DataLoader::new(Doubler(batches.clone()), move |job| spawner.spawn(job))
            .delay(std::time::Duration::ZERO)
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn keys_asked_for_while_the_work_is_busy_load_together_and_later_ones_load_too() {
        let tasks = LocalTasks::default();
        let batches = Arc::new(AtomicUsize::new(0));
        let loader = loader(&tasks, &batches);
        let work = async {
            // Every other key is asked for after its future yielded by waking itself, as the
            // executor's nested fields do, so the keys arrive over many polls.
            let first: Vec<Option<u32>> = futures::future::try_join_all((0..200).map(|n| {
                let loader = &loader;
                async move {
                    if n % 2 == 1 {
                        YieldOnce(false).await;
                    }
                    loader.load_one(n).await
                }
            }))
            .await
            .unwrap();
            // A key asked for after the first batch answered: a second batch.
            let later = loader.load_one(1000).await.unwrap();
            (first, later)
        };
        let (first, later) = tasks.clone().run(work).await;
        assert_eq!(first, (0..200).map(|n| Some(n * 2)).collect::<Vec<_>>());
        assert_eq!(later, Some(2000));
        assert_eq!(batches.load(Ordering::Relaxed), 2);
    }

    #[tokio::test]
    async fn a_driven_stream_loads_for_each_item() {
        let tasks = LocalTasks::default();
        let batches = Arc::new(AtomicUsize::new(0));
        let loader = Arc::new(loader(&tasks, &batches));
        let items = futures::stream::iter(1..=3u32)
            .then(move |n| {
                let loader = loader.clone();
                async move { loader.load_one(n).await.unwrap() }
            })
            .boxed();
        let doubled: Vec<Option<u32>> = tasks.drive(items).collect().await;
        assert_eq!(doubled, vec![Some(2), Some(4), Some(6)]);
        assert_eq!(batches.load(Ordering::Relaxed), 3);
    }

    #[tokio::test]
    async fn a_job_queued_from_another_task_wakes_the_driver() {
        let tasks = LocalTasks::default();
        let (sender, receiver) = futures::channel::oneshot::channel::<u32>();
        let queuer = tasks.clone();
        tokio::spawn(async move {
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            queuer.spawn(
                async move {
                    let _ = sender.send(7);
                }
                .boxed(),
            );
        });
        assert_eq!(tasks.run(receiver).await, Ok(7));
    }
}
