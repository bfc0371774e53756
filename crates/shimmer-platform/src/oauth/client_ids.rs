//! Known client ids, remembered briefly: read-only API clients send their client id with every
//! request, and looking it up in the database each time costs a round trip per request.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long a known client id is trusted without asking the database again. Bounds how long a
/// deleted application keeps working on other nodes; on this node deletion forgets it at once.
const TTL: Duration = Duration::from_secs(10);
/// At most this many ids are remembered; when full the cache starts over. Unknown ids are
/// never remembered, so random ids cannot fill it.
const CAPACITY: usize = 10_000;

/// Client id → application id of apps that exist.
#[derive(Default)]
pub(crate) struct ClientIdCache {
    known: Mutex<HashMap<String, (i64, Instant)>>,
}

impl ClientIdCache {
    /// The application id, when the id was seen recently.
    pub(crate) fn get(&self, client_id: &str, now: Instant) -> Option<i64> {
        let known = self
            .known
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        known
            .get(client_id)
            .filter(|(_, seen)| now.duration_since(*seen) < TTL)
            .map(|(app_id, _)| *app_id)
    }

    pub(crate) fn insert(&self, client_id: &str, app_id: i64, now: Instant) {
        let mut known = self
            .known
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if known.len() >= CAPACITY {
            known.clear();
        }
        known.insert(client_id.to_owned(), (app_id, now));
    }

    /// Forgets an application (deleted).
    pub(crate) fn forget_app(&self, app_id: i64) {
        let mut known = self
            .known
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        known.retain(|_, (id, _)| *id != app_id);
    }

    /// Forgets everything (an account and its apps were deleted).
    pub(crate) fn clear(&self) {
        self.known
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembers_known_ids_for_a_while_and_forgets_deleted_apps() {
        let cache = ClientIdCache::default();
        let now = Instant::now();
        assert_eq!(cache.get("abc", now), None);
        cache.insert("abc", 7, now);
        cache.insert("def", 8, now);
        assert_eq!(cache.get("abc", now + Duration::from_secs(9)), Some(7));
        assert_eq!(cache.get("abc", now + TTL), None);
        cache.forget_app(7);
        assert_eq!(cache.get("abc", now), None);
        assert_eq!(cache.get("def", now), Some(8));
        cache.clear();
        assert_eq!(cache.get("def", now), None);
    }
}
