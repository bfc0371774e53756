//! Finding live channels: by category, subcategory, tag, language or words of the title and
//! the streamer's name, with the channels a user follows first. Every query starts from the
//! index of live channels (`channels_live_*`) or of a tag's channels, never from all channels.

use sqlx::any::AnyRow;
use sqlx::{FromRow, Row};

use crate::{Result, Store};

/// What to narrow the live list to; every field set must match.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LiveFilter {
    pub category_id: Option<i64>,
    pub subcategory_id: Option<i64>,
    pub tag_id: Option<i64>,
    pub language: Option<String>,
    /// Words that must appear in the title or the streamer's name (case-insensitive).
    pub search: Option<String>,
    /// Put the channels this user follows first.
    pub followed_by: Option<i64>,
}

/// A live channel as a listing shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveChannel {
    pub channel_id: i64,
    pub user_id: i64,
    pub username: String,
    pub display_name: String,
    pub title: String,
    pub language: String,
    pub mature: bool,
    pub stream_id: Option<i64>,
    pub category_name: Option<String>,
    pub category_slug: Option<String>,
    pub subcategory_name: Option<String>,
    pub subcategory_slug: Option<String>,
    pub hide_viewer_count: bool,
    /// Whether the filter's `followed_by` user follows this streamer.
    pub followed: bool,
}

impl FromRow<'_, AnyRow> for LiveChannel {
    fn from_row(row: &AnyRow) -> sqlx::Result<Self> {
        Ok(Self {
            channel_id: row.try_get("channel_id")?,
            user_id: row.try_get("user_id")?,
            username: row.try_get("username")?,
            display_name: row.try_get("display_name")?,
            title: row.try_get("title")?,
            language: row.try_get("language")?,
            mature: row.try_get::<i64, _>("mature")? != 0,
            stream_id: row.try_get("current_stream_id")?,
            category_name: row.try_get("category_name")?,
            category_slug: row.try_get("category_slug")?,
            subcategory_name: row.try_get("subcategory_name")?,
            subcategory_slug: row.try_get("subcategory_slug")?,
            hide_viewer_count: row.try_get::<i64, _>("hide_viewer_count")? != 0,
            followed: row.try_get::<i64, _>("followed")? != 0,
        })
    }
}

/// A bind value of the dynamically assembled query.
enum Value {
    Int(i64),
    Text(String),
}

impl Store {
    /// Live channels matching `filter`: followed ones first, then the longest live.
    pub async fn live_channels(&self, filter: &LiveFilter, limit: i64) -> Result<Vec<LiveChannel>> {
        let mut values: Vec<Value> = Vec::new();
        let next = |value: Value, values: &mut Vec<Value>| {
            values.push(value);
            format!("${}", values.len())
        };
        let followed = match filter.followed_by {
            Some(user) => format!(
                "CASE WHEN EXISTS (SELECT 1 FROM follows f WHERE f.follower_id = {} \
                 AND f.streamer_id = c.user_id) THEN 1 ELSE 0 END",
                next(Value::Int(user), &mut values)
            ),
            None => "0".to_owned(),
        };
        let mut conditions = vec![
            "c.status = 'live'".to_owned(),
            "c.hidden_from_discovery = 0".to_owned(),
        ];
        if let Some(id) = filter.category_id {
            conditions.push(format!(
                "c.category_id = {}",
                next(Value::Int(id), &mut values)
            ));
        }
        if let Some(id) = filter.subcategory_id {
            conditions.push(format!(
                "c.subcategory_id = {}",
                next(Value::Int(id), &mut values)
            ));
        }
        if let Some(id) = filter.tag_id {
            conditions.push(format!(
                "c.id IN (SELECT channel_id FROM channel_tags WHERE tag_id = {})",
                next(Value::Int(id), &mut values)
            ));
        }
        if let Some(language) = &filter.language {
            conditions.push(format!(
                "c.language = {}",
                next(Value::Text(language.clone()), &mut values)
            ));
        }
        if let Some(search) = &filter.search {
            for word in search.split_whitespace().take(5) {
                let pattern = format!("%{}%", escape_like(&word.to_lowercase()));
                let title = next(Value::Text(pattern.clone()), &mut values);
                let name = next(Value::Text(pattern), &mut values);
                conditions.push(format!(
                    "(LOWER(c.title) LIKE {title} ESCAPE '\\' OR u.username_lower LIKE {name} ESCAPE '\\')"
                ));
            }
        }
        let limit_placeholder = next(Value::Int(limit), &mut values);
        let sql = format!(
            "SELECT c.id AS channel_id, c.user_id, u.username, u.display_name, c.title, c.language, \
             c.mature, c.current_stream_id, cat.name AS category_name, cat.slug AS category_slug, \
             sub.name AS subcategory_name, sub.slug AS subcategory_slug, c.hide_viewer_count, \
             {followed} AS followed FROM channels c JOIN users u ON u.id = c.user_id \
             LEFT JOIN categories cat ON cat.id = c.category_id \
             LEFT JOIN subcategories sub ON sub.id = c.subcategory_id \
             LEFT JOIN streams s ON s.id = c.current_stream_id \
             WHERE {} ORDER BY followed DESC, s.started_at, c.id LIMIT {limit_placeholder}",
            conditions.join(" AND ")
        );
        let mut query = sqlx::query_as::<_, LiveChannel>(&sql);
        for value in values {
            query = match value {
                Value::Int(value) => query.bind(value),
                Value::Text(value) => query.bind(value),
            };
        }
        Ok(query.fetch_all(&self.pool).await?)
    }
}

/// Escapes LIKE's wildcards (with `\` as the escape character) so they match themselves.
pub(crate) fn escape_like(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}
