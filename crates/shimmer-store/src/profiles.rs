use std::collections::HashMap;

use sqlx::any::AnyRow;
use sqlx::{FromRow, Row};

use crate::{now_ms, Result, Store};

/// Most user ids one avatar-version query binds. Both backends allow far more parameters, but
/// a bounded list keeps each statement small and the number of distinct statements the
/// connection caches small.
pub const AVATAR_VERSIONS_BATCH: usize = 500;

/// The public profile fields of an account. Every text is stored as validated by the domain.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Profile {
    pub user_id: i64,
    pub pronouns: String,
    /// Markdown as written; rendered and sanitized when shown.
    pub bio: String,
    /// A JSON object of normalised links.
    pub links: String,
    pub youtube_intro: String,
    pub live_message: String,
    pub avatar_version: i64,
}

impl FromRow<'_, AnyRow> for Profile {
    fn from_row(row: &AnyRow) -> sqlx::Result<Self> {
        Ok(Self {
            user_id: row.try_get("user_id")?,
            pronouns: row.try_get("pronouns")?,
            bio: row.try_get("bio")?,
            links: row.try_get("links")?,
            youtube_intro: row.try_get("youtube_intro")?,
            live_message: row.try_get("live_message")?,
            avatar_version: row.try_get("avatar_version")?,
        })
    }
}

/// Saved preferences of a signed-in user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preferences {
    /// `system`, `light` or `dark`.
    pub theme: String,
    pub chat_timestamps: bool,
    pub show_mature: bool,
    pub locale: String,
    /// The chat name colour chosen (a palette key); None: one picked from the account id.
    pub chat_color: Option<String>,
}

impl Default for Preferences {
    fn default() -> Self {
        Self {
            theme: "system".into(),
            chat_timestamps: false,
            show_mature: false,
            locale: "en".into(),
            chat_color: None,
        }
    }
}

impl Store {
    /// The profile of a user; an empty one when they never saved it.
    pub async fn profile(&self, user_id: i64) -> Result<Profile> {
        let found: Option<Profile> = sqlx::query_as(
            "SELECT user_id, pronouns, bio, links, youtube_intro, live_message, avatar_version \
             FROM profiles WHERE user_id = $1",
        )
        .bind(user_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(found.unwrap_or(Profile {
            user_id,
            links: "{}".into(),
            ..Profile::default()
        }))
    }

    /// Saves the text fields of a profile (not the avatar version).
    pub async fn save_profile(&self, profile: &Profile) -> Result<()> {
        sqlx::query(
            "INSERT INTO profiles (user_id, pronouns, bio, links, youtube_intro, live_message, \
             avatar_version, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 0, $7) \
             ON CONFLICT (user_id) DO UPDATE SET pronouns = excluded.pronouns, bio = excluded.bio, \
             links = excluded.links, youtube_intro = excluded.youtube_intro, \
             live_message = excluded.live_message, updated_at = excluded.updated_at",
        )
        .bind(profile.user_id)
        .bind(&profile.pronouns)
        .bind(&profile.bio)
        .bind(&profile.links)
        .bind(&profile.youtube_intro)
        .bind(&profile.live_message)
        .bind(now_ms())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Records a new avatar upload; returns the new version number.
    pub async fn bump_avatar_version(&self, user_id: i64) -> Result<i64> {
        let (version,): (i64,) = sqlx::query_as(
            "INSERT INTO profiles (user_id, avatar_version, updated_at) VALUES ($1, 1, $2) \
             ON CONFLICT (user_id) DO UPDATE SET avatar_version = profiles.avatar_version + 1, \
             updated_at = excluded.updated_at RETURNING avatar_version",
        )
        .bind(user_id)
        .bind(now_ms())
        .fetch_one(&self.pool)
        .await?;
        Ok(version)
    }

    /// The avatar versions of many users in one query per [`AVATAR_VERSIONS_BATCH`] ids, so a
    /// list of users costs one round trip rather than one per user. Users who never uploaded
    /// an avatar are absent.
    pub async fn avatar_versions(&self, user_ids: &[i64]) -> Result<HashMap<i64, i64>> {
        let mut versions = HashMap::with_capacity(user_ids.len());
        for chunk in user_ids.chunks(AVATAR_VERSIONS_BATCH) {
            let placeholders = (1..=chunk.len())
                .map(|n| format!("${n}"))
                .collect::<Vec<_>>()
                .join(", ");
            let sql = format!(
                "SELECT user_id, avatar_version FROM profiles \
                 WHERE avatar_version > 0 AND user_id IN ({placeholders})"
            );
            let mut query = sqlx::query_as::<_, (i64, i64)>(&sql);
            for id in chunk {
                query = query.bind(*id);
            }
            versions.extend(query.fetch_all(&self.pool).await?);
        }
        Ok(versions)
    }

    /// A user's saved preferences; None when they never saved any.
    pub async fn preferences(&self, user_id: i64) -> Result<Option<Preferences>> {
        let row = sqlx::query(
            "SELECT theme, chat_timestamps, show_mature, locale, chat_color FROM preferences \
             WHERE user_id = $1",
        )
        .bind(user_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(match row {
            Some(row) => Some(Preferences {
                theme: row.try_get(0)?,
                chat_timestamps: row.try_get::<i64, _>(1)? != 0,
                show_mature: row.try_get::<i64, _>(2)? != 0,
                locale: row.try_get(3)?,
                chat_color: row.try_get(4)?,
            }),
            None => None,
        })
    }

    pub async fn save_preferences(&self, user_id: i64, preferences: &Preferences) -> Result<()> {
        sqlx::query(
            "INSERT INTO preferences (user_id, theme, chat_timestamps, show_mature, locale, \
             updated_at, chat_color) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (user_id) \
             DO UPDATE SET theme = excluded.theme, chat_timestamps = excluded.chat_timestamps, \
             show_mature = excluded.show_mature, locale = excluded.locale, \
             updated_at = excluded.updated_at, chat_color = excluded.chat_color",
        )
        .bind(user_id)
        .bind(&preferences.theme)
        .bind(i64::from(preferences.chat_timestamps))
        .bind(i64::from(preferences.show_mature))
        .bind(&preferences.locale)
        .bind(now_ms())
        .bind(&preferences.chat_color)
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}
