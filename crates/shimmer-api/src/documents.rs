//! Parsed documents, remembered by their text. Bots and overlays send the same few documents
//! over and over; parsing (a PEG parser that allocates per token) and renaming them to
//! Absinthe's names ([`crate::names`]) cost more than running a simple query, so each distinct
//! text is parsed once and the result is reused until it falls out of a small LRU.
//! Validation still runs per request: it depends on the variables and the caller.

use std::sync::{Arc, Mutex};

use async_graphql::parser::types::ExecutableDocument;
use async_graphql::ServerError;
use hashlink::LruCache;

use crate::names;

/// Distinct documents remembered.
const CAPACITY: usize = 256;
/// Longer documents are parsed every time: the ones clients repeat are a few hundred bytes to
/// a few KiB, and a parsed document takes many times its text's size, so this (with
/// [`CAPACITY`]) bounds the cache at a few tens of MiB even when a client fills it on purpose.
const MAX_REMEMBERED_BYTES: usize = 8 * 1024;

/// See the module docs.
pub struct DocumentCache {
    parsed: Mutex<LruCache<String, Arc<ExecutableDocument>>>,
}

impl Default for DocumentCache {
    fn default() -> Self {
        Self {
            parsed: Mutex::new(LruCache::new(CAPACITY)),
        }
    }
}

impl DocumentCache {
    /// The document with this text, parsed and normalised; a text that does not parse is not
    /// remembered.
    pub fn parse(&self, text: &str) -> Result<ExecutableDocument, ServerError> {
        if let Some(document) = self.lock().get(text) {
            return Ok(ExecutableDocument::clone(document));
        }
        let mut document = async_graphql::parser::parse_query(text).map_err(ServerError::from)?;
        names::normalise(&mut document);
        if text.len() <= MAX_REMEMBERED_BYTES {
            self.lock()
                .insert(text.to_owned(), Arc::new(document.clone()));
        }
        Ok(document)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, LruCache<String, Arc<ExecutableDocument>>> {
        self.parsed
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_document_parses_the_same_from_the_cache() {
        let cache = DocumentCache::default();
        let text = "{ channel(streamer_username: \"a\") { isFollowedMessage } }";
        let first = cache.parse(text).unwrap();
        let second = cache.parse(text).unwrap();
        assert_eq!(format!("{first:?}"), format!("{second:?}"));
        assert_eq!(cache.lock().len(), 1);
        // Normalised once, on the way in.
        assert!(format!("{second:?}").contains("streamerUsername"));
    }

    #[test]
    fn bad_documents_are_refused_and_not_remembered() {
        let cache = DocumentCache::default();
        assert!(cache.parse("{ channel(").is_err());
        assert!(cache.lock().is_empty());
    }

    #[test]
    fn long_documents_are_parsed_every_time() {
        let cache = DocumentCache::default();
        let long = format!("{{ a {} }}", "b ".repeat(MAX_REMEMBERED_BYTES));
        assert!(cache.parse(&long).is_ok());
        assert!(cache.lock().is_empty());
    }

    #[test]
    fn the_least_recently_used_document_goes_first() {
        let cache = DocumentCache::default();
        for index in 0..=CAPACITY {
            cache.parse(&format!("{{ f{index} }}")).unwrap();
        }
        assert_eq!(cache.lock().len(), CAPACITY);
        assert!(!cache.lock().contains_key("{ f0 }"));
        assert!(cache.lock().contains_key(&format!("{{ f{CAPACITY} }}")));
    }
}
