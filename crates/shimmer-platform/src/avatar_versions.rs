//! Users' avatar versions, remembered for a few seconds. A chat overlay's subscription asks for
//! the author's `avatarUrl` with every message, so without this each message costs one
//! database read per subscriber: at 1000 subscribers that alone pushed delivery p99 past a
//! second. Versions change only when a user uploads an avatar; this node forgets the user's
//! entry at once, other nodes within [`TTL`] (the URL's version only defeats browser caches,
//! the file behind it is already the new one).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use hashlink::LruCache;

/// The longest a remembered version is used without asking the database again.
pub const TTL: Duration = Duration::from_secs(5);
/// Users remembered; the least recently used goes first.
const CAPACITY: usize = 20_000;

/// See the module docs.
pub(crate) struct AvatarVersions {
    versions: Mutex<LruCache<i64, (i64, Instant)>>,
}

impl Default for AvatarVersions {
    fn default() -> Self {
        Self {
            versions: Mutex::new(LruCache::new(CAPACITY)),
        }
    }
}

impl AvatarVersions {
    fn lock(&self) -> std::sync::MutexGuard<'_, LruCache<i64, (i64, Instant)>> {
        self.versions
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The remembered versions of those `user_ids` read less than [`TTL`] before `now`, and
    /// the ids that must be read from the database.
    pub(crate) fn lookup(&self, user_ids: &[i64], now: Instant) -> (HashMap<i64, i64>, Vec<i64>) {
        let mut versions = self.lock();
        let mut known = HashMap::with_capacity(user_ids.len());
        let mut missing = Vec::new();
        for &id in user_ids {
            match versions.get(&id) {
                Some(&(version, read_at)) if now.duration_since(read_at) < TTL => {
                    known.insert(id, version);
                }
                _ => missing.push(id),
            }
        }
        (known, missing)
    }

    /// Remembers versions read from the database at `read_at` (taken before the read).
    pub(crate) fn remember(
        &self,
        versions: impl IntoIterator<Item = (i64, i64)>,
        read_at: Instant,
    ) {
        let mut remembered = self.lock();
        for (id, version) in versions {
            remembered.insert(id, (version, read_at));
        }
    }

    /// Forgets a user whose avatar changed.
    pub(crate) fn forget(&self, user_id: i64) {
        self.lock().remove(&user_id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembers_for_the_ttl_and_forgets_a_changed_user() {
        let cache = AvatarVersions::default();
        let now = Instant::now();
        cache.remember([(1, 3), (2, 0)], now);
        let (known, missing) = cache.lookup(&[1, 2, 3], now + TTL / 2);
        assert_eq!(known, HashMap::from([(1, 3), (2, 0)]));
        assert_eq!(missing, vec![3]);
        let (known, missing) = cache.lookup(&[1], now + TTL);
        assert!(known.is_empty());
        assert_eq!(missing, vec![1]);
        cache.forget(2);
        assert_eq!(cache.lookup(&[2], now).1, vec![2]);
    }
}
