//! Tags: free-form labels per category, created on first use, with a usage count that only
//! atomic increments change (never a read-modify-write).

use crate::{now_ms, Result, Store};

/// A tag of one category.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Tag {
    pub id: i64,
    pub category_id: i64,
    pub name: String,
    pub slug: String,
    pub usage_count: i64,
}

/// A tag to attach: its display name and its slug (validated by the caller).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagName {
    pub name: String,
    pub slug: String,
}

const TAG_COLUMNS: &str = "t.id, t.category_id, t.name, t.slug, t.usage_count";

impl Store {
    /// Tags of a category whose slug starts with `slug_prefix` (already reduced to the slug
    /// alphabet), most used first: the autocomplete list.
    pub async fn tags_matching(
        &self,
        category_id: i64,
        slug_prefix: &str,
        limit: i64,
    ) -> Result<Vec<Tag>> {
        Ok(sqlx::query_as(&format!(
            "SELECT {TAG_COLUMNS} FROM tags t WHERE t.category_id = $1 AND t.slug LIKE $2 \
             ORDER BY t.usage_count DESC, t.slug LIMIT $3"
        ))
        .bind(category_id)
        .bind(format!("{slug_prefix}%"))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }

    pub async fn tag_by_slug(&self, category_id: i64, slug: &str) -> Result<Option<Tag>> {
        Ok(sqlx::query_as(&format!(
            "SELECT {TAG_COLUMNS} FROM tags t WHERE t.category_id = $1 AND t.slug = $2"
        ))
        .bind(category_id)
        .bind(slug)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// The channel's tags, by name.
    pub async fn channel_tags(&self, channel_id: i64) -> Result<Vec<Tag>> {
        Ok(sqlx::query_as(&format!(
            "SELECT {TAG_COLUMNS} FROM tags t JOIN channel_tags ct ON ct.tag_id = t.id \
             WHERE ct.channel_id = $1 ORDER BY t.slug"
        ))
        .bind(channel_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// The tags of several channels at once, as `(channel_id, tag)` pairs: one query for a
    /// whole list page.
    pub async fn tags_of_channels(&self, channel_ids: &[i64]) -> Result<Vec<(i64, Tag)>> {
        if channel_ids.is_empty() {
            return Ok(Vec::new());
        }
        let placeholders = (1..=channel_ids.len())
            .map(|n| format!("${n}"))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "SELECT ct.channel_id, {TAG_COLUMNS} FROM tags t \
             JOIN channel_tags ct ON ct.tag_id = t.id WHERE ct.channel_id IN ({placeholders}) \
             ORDER BY ct.channel_id, t.slug"
        );
        let mut query = sqlx::query(&sql);
        for id in channel_ids {
            query = query.bind(*id);
        }
        let rows = query.fetch_all(&self.pool).await?;
        use sqlx::Row;
        rows.iter()
            .map(|row| {
                Ok((
                    row.try_get(0)?,
                    Tag {
                        id: row.try_get(1)?,
                        category_id: row.try_get(2)?,
                        name: row.try_get(3)?,
                        slug: row.try_get(4)?,
                        usage_count: row.try_get(5)?,
                    },
                ))
            })
            .collect()
    }

    /// Replaces the channel's tags with `tags` of `category_id`, creating unknown ones. Each
    /// tag newly attached has its usage count incremented in the same transaction. Returns
    /// the channel's tags afterwards.
    pub async fn set_channel_tags(
        &self,
        channel_id: i64,
        category_id: i64,
        tags: &[TagName],
    ) -> Result<Vec<Tag>> {
        let now = now_ms();
        let mut transaction = self.pool.begin().await?;
        let mut wanted = Vec::with_capacity(tags.len());
        for tag in tags {
            sqlx::query(
                "INSERT INTO tags (category_id, name, slug, usage_count, created_at) \
                 VALUES ($1, $2, $3, 0, $4) ON CONFLICT (category_id, slug) DO NOTHING",
            )
            .bind(category_id)
            .bind(&tag.name)
            .bind(&tag.slug)
            .bind(now)
            .execute(&mut *transaction)
            .await?;
            let (id,): (i64,) =
                sqlx::query_as("SELECT id FROM tags WHERE category_id = $1 AND slug = $2")
                    .bind(category_id)
                    .bind(&tag.slug)
                    .fetch_one(&mut *transaction)
                    .await?;
            if !wanted.contains(&id) {
                wanted.push(id);
            }
        }
        let current: Vec<(i64,)> =
            sqlx::query_as("SELECT tag_id FROM channel_tags WHERE channel_id = $1")
                .bind(channel_id)
                .fetch_all(&mut *transaction)
                .await?;
        let current: Vec<i64> = current.into_iter().map(|(id,)| id).collect();
        for id in current.iter().filter(|id| !wanted.contains(id)) {
            sqlx::query("DELETE FROM channel_tags WHERE channel_id = $1 AND tag_id = $2")
                .bind(channel_id)
                .bind(*id)
                .execute(&mut *transaction)
                .await?;
        }
        for id in wanted.iter().filter(|id| !current.contains(id)) {
            sqlx::query("INSERT INTO channel_tags (channel_id, tag_id) VALUES ($1, $2)")
                .bind(channel_id)
                .bind(*id)
                .execute(&mut *transaction)
                .await?;
            sqlx::query("UPDATE tags SET usage_count = usage_count + 1 WHERE id = $1")
                .bind(*id)
                .execute(&mut *transaction)
                .await?;
        }
        transaction.commit().await?;
        self.channel_tags(channel_id).await
    }
}
