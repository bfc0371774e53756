//! Categories (a fixed, seeded list), their subcategories (created by users inline) and a
//! channel's place in them.

use crate::{now_ms, Result, Store};

/// One of the seeded top-level categories (Art, Music, Tech, IRL, Education, Gaming).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Category {
    pub id: i64,
    pub name: String,
    pub slug: String,
}

/// A game, style or topic within a category.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Subcategory {
    pub id: i64,
    pub category_id: i64,
    pub name: String,
    pub slug: String,
}

const SUBCATEGORY_COLUMNS: &str = "id, category_id, name, slug";

impl Store {
    /// Every category, in display order.
    pub async fn categories(&self) -> Result<Vec<Category>> {
        Ok(
            sqlx::query_as("SELECT id, name, slug FROM categories ORDER BY position, id")
                .fetch_all(&self.pool)
                .await?,
        )
    }

    pub async fn category_by_id(&self, id: i64) -> Result<Option<Category>> {
        Ok(
            sqlx::query_as("SELECT id, name, slug FROM categories WHERE id = $1")
                .bind(id)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    pub async fn category_by_slug(&self, slug: &str) -> Result<Option<Category>> {
        Ok(
            sqlx::query_as("SELECT id, name, slug FROM categories WHERE slug = $1")
                .bind(slug)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    pub async fn subcategory_by_id(&self, id: i64) -> Result<Option<Subcategory>> {
        Ok(sqlx::query_as(&format!(
            "SELECT {SUBCATEGORY_COLUMNS} FROM subcategories WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?)
    }

    pub async fn subcategory_by_slug(
        &self,
        category_id: i64,
        slug: &str,
    ) -> Result<Option<Subcategory>> {
        Ok(sqlx::query_as(&format!(
            "SELECT {SUBCATEGORY_COLUMNS} FROM subcategories WHERE category_id = $1 AND slug = $2"
        ))
        .bind(category_id)
        .bind(slug)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// Subcategories of a category whose slug starts with `slug_prefix` (already reduced to
    /// the slug alphabet by the caller), alphabetically.
    pub async fn subcategories(
        &self,
        category_id: i64,
        slug_prefix: &str,
        limit: i64,
    ) -> Result<Vec<Subcategory>> {
        Ok(sqlx::query_as(&format!(
            "SELECT {SUBCATEGORY_COLUMNS} FROM subcategories WHERE category_id = $1 \
             AND slug LIKE $2 ORDER BY slug LIMIT $3"
        ))
        .bind(category_id)
        .bind(format!("{slug_prefix}%"))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Returns the subcategory with this slug, creating it (named `name`) when it is new.
    /// Two people creating the same one at once get the same row.
    pub async fn find_or_create_subcategory(
        &self,
        category_id: i64,
        name: &str,
        slug: &str,
        created_by: i64,
    ) -> Result<Subcategory> {
        sqlx::query(
            "INSERT INTO subcategories (category_id, name, slug, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (category_id, slug) DO NOTHING",
        )
        .bind(category_id)
        .bind(name)
        .bind(slug)
        .bind(created_by)
        .bind(now_ms())
        .execute(&self.pool)
        .await?;
        Ok(sqlx::query_as(&format!(
            "SELECT {SUBCATEGORY_COLUMNS} FROM subcategories WHERE category_id = $1 AND slug = $2"
        ))
        .bind(category_id)
        .bind(slug)
        .fetch_one(&self.pool)
        .await?)
    }

    /// The channel's category and subcategory ids.
    pub async fn channel_category_ids(
        &self,
        channel_id: i64,
    ) -> Result<Option<(Option<i64>, Option<i64>)>> {
        Ok(
            sqlx::query_as("SELECT category_id, subcategory_id FROM channels WHERE id = $1")
                .bind(channel_id)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    /// Places the channel in a category and subcategory (the caller checked they belong
    /// together). Changing the category drops the channel's tags, which are per category.
    pub async fn set_channel_category(
        &self,
        channel_id: i64,
        category_id: Option<i64>,
        subcategory_id: Option<i64>,
    ) -> Result<()> {
        let mut transaction = self.pool.begin().await?;
        let current: Option<(Option<i64>,)> =
            sqlx::query_as("SELECT category_id FROM channels WHERE id = $1")
                .bind(channel_id)
                .fetch_optional(&mut *transaction)
                .await?;
        if current.is_some_and(|(current,)| current != category_id) {
            sqlx::query("DELETE FROM channel_tags WHERE channel_id = $1")
                .bind(channel_id)
                .execute(&mut *transaction)
                .await?;
        }
        sqlx::query(
            "UPDATE channels SET category_id = $1, subcategory_id = $2, updated_at = $3 \
             WHERE id = $4",
        )
        .bind(category_id)
        .bind(subcategory_id)
        .bind(now_ms())
        .bind(channel_id)
        .execute(&mut *transaction)
        .await?;
        transaction.commit().await?;
        Ok(())
    }

    /// Whether the channel page hides its viewer count.
    pub async fn hide_viewer_count(&self, channel_id: i64) -> Result<bool> {
        let hidden: Option<(i64,)> =
            sqlx::query_as("SELECT hide_viewer_count FROM channels WHERE id = $1")
                .bind(channel_id)
                .fetch_optional(&self.pool)
                .await?;
        Ok(hidden.is_some_and(|(hidden,)| hidden != 0))
    }

    pub async fn set_hide_viewer_count(&self, channel_id: i64, hidden: bool) -> Result<()> {
        sqlx::query("UPDATE channels SET hide_viewer_count = $1, updated_at = $2 WHERE id = $3")
            .bind(i64::from(hidden))
            .bind(now_ms())
            .bind(channel_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
