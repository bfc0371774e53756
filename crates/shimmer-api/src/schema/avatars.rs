//! Avatars of the users a response shows, read together: a chat history, a followers list or a
//! moderators list asks for one avatar per user, and each would otherwise be its own database
//! round trip. One [`Avatars`] loader is made per request (see `execute::prepare`) and keeps no
//! values, so nothing read for one request or one subscription event is served to the next.

use std::collections::HashMap;
use std::time::Duration;

use async_graphql::dataloader::{DataLoader, Loader};
use shimmer_platform::views::AVATAR_VERSIONS_BATCH;
use shimmer_platform::Platform;

use super::errors::fail;
use crate::local_tasks::LocalTasks;

/// The avatar of users who have not uploaded one: a path, as the legacy `avatar` field gave.
const DEFAULT_AVATAR: &str = "/static/favicon.svg";

/// The avatar size the API links to: the larger stored one, as Glimesh's were.
const AVATAR_SIZE: u32 = 256;

/// Batches the avatar reads of one request.
pub type Avatars = DataLoader<AvatarLoader>;

/// Reads the avatar paths of a batch of users in one query.
pub struct AvatarLoader {
    platform: Platform,
}

/// A loader for one request, whose fetches run on the request's task (see [`LocalTasks`]):
/// keys asked for while the executor works load together once it waits. The loader's
/// timer is therefore set to zero; its default (1 ms) would add that much to every request
/// showing an avatar.
pub fn avatars(platform: Platform, tasks: LocalTasks) -> Avatars {
    DataLoader::new(AvatarLoader { platform }, move |job| tasks.spawn(job))
        .delay(Duration::ZERO)
        .max_batch_size(AVATAR_VERSIONS_BATCH)
}

impl Loader<i64> for AvatarLoader {
    /// The avatar's path as Glimesh gave it (clients prefix the site's address), or the
    /// placeholder for users who have not uploaded one.
    type Value = String;
    type Error = async_graphql::Error;

    async fn load(&self, user_ids: &[i64]) -> Result<HashMap<i64, String>, Self::Error> {
        metrics::counter!("api_avatar_batches_total").increment(1);
        metrics::counter!("api_avatar_keys_total").increment(user_ids.len() as u64);
        let urls = self
            .platform
            .avatar_urls(user_ids, AVATAR_SIZE)
            .await
            .map_err(fail)?;
        Ok(urls
            .into_iter()
            .map(|(id, url)| (id, url.unwrap_or_else(|| DEFAULT_AVATAR.to_owned())))
            .collect())
    }
}

/// The avatar path of one user, batched with every other avatar the request asks for.
pub async fn avatar_path(avatars: &Avatars, user_id: i64) -> async_graphql::Result<String> {
    Ok(avatars
        .load_one(user_id)
        .await?
        .unwrap_or_else(|| DEFAULT_AVATAR.to_owned()))
}
