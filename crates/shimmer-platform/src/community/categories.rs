//! Categories, subcategories and tags, and editing a stream's information (title, category,
//! subcategory, tags, language, mature flag) by its streamer or, for title and tags, by the
//! moderators they marked as editors.

use crate::channels::manages;
use crate::{ChannelView, UserView};
use shimmer_bus::Event;
use shimmer_store::{Category, Subcategory, Tag, TagName};

use crate::channels::{LANGUAGES, TITLE_MAX};
use crate::{FieldError, Platform, PlatformError};

/// Tag names are 2 to 18 characters long.
pub const TAG_MIN_CHARS: usize = 2;
pub const TAG_MAX_CHARS: usize = 18;
/// A channel carries at most this many tags.
pub const MAX_TAGS: usize = 10;
/// Subcategory names are 2 to 40 characters long.
pub const SUBCATEGORY_MIN_CHARS: usize = 2;
pub const SUBCATEGORY_MAX_CHARS: usize = 40;
/// Autocomplete answers at most this many suggestions.
const SUGGESTIONS: i64 = 10;

/// A channel's place in the catalogue.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChannelCategory {
    pub category: Option<Category>,
    pub subcategory: Option<Subcategory>,
    pub tags: Vec<Tag>,
}

/// Everything a streamer sets about their stream. `category` is a category slug (empty for
/// none), `subcategory` a name typed or picked (created when new), `tags` tag names.
#[derive(Debug, Clone, Default)]
pub struct StreamInfoForm {
    pub title: String,
    pub category: String,
    pub subcategory: String,
    pub tags: Vec<String>,
    pub language: String,
    pub mature: bool,
}

/// The slug of a name: lower-case letters and digits, other runs of characters as one `-`.
pub fn slugify(name: &str) -> String {
    let mut slug = String::with_capacity(name.len());
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    slug
}

/// Checks one tag name: 2–18 characters of ASCII letters, digits, spaces, `-` and `:`.
pub fn validate_tag(raw: &str) -> Result<TagName, String> {
    let name = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    let length = name.chars().count();
    if !(TAG_MIN_CHARS..=TAG_MAX_CHARS).contains(&length) {
        return Err(format!(
            "Tag “{}” must be {TAG_MIN_CHARS} to {TAG_MAX_CHARS} characters long.",
            shorten(&name)
        ));
    }
    if let Some(bad) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, ' ' | '-' | ':')))
    {
        return Err(format!(
            "Tag “{}” contains “{}”: tags may use only letters A–Z, digits, spaces, hyphens and colons.",
            shorten(&name),
            bad.escape_default()
        ));
    }
    let slug = slugify(&name);
    if slug.chars().count() < TAG_MIN_CHARS {
        return Err(format!(
            "Tag “{name}” needs at least {TAG_MIN_CHARS} letters or digits."
        ));
    }
    Ok(TagName { name, slug })
}

/// Checks a subcategory name: 2–40 characters of letters, digits, spaces and common
/// punctuation, with at least two letters or digits.
pub fn validate_subcategory(raw: &str) -> Result<TagName, String> {
    let name = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    let length = name.chars().count();
    if !(SUBCATEGORY_MIN_CHARS..=SUBCATEGORY_MAX_CHARS).contains(&length) {
        return Err(format!(
            "Subcategories must be {SUBCATEGORY_MIN_CHARS} to {SUBCATEGORY_MAX_CHARS} characters long."
        ));
    }
    if let Some(bad) = name
        .chars()
        .find(|c| !(c.is_alphanumeric() || " -:'&.!+,".contains(*c)))
    {
        return Err(format!(
            "Subcategory names cannot contain “{}”: use letters, digits, spaces and - : ' & . ! + ,",
            bad.escape_default()
        ));
    }
    let slug = slugify(&name);
    if slug.chars().filter(|c| c.is_alphanumeric()).count() < 2 {
        return Err("Subcategory names need at least two letters or digits.".into());
    }
    Ok(TagName { name, slug })
}

fn shorten(text: &str) -> String {
    if text.chars().count() > 24 {
        format!("{}…", text.chars().take(24).collect::<String>())
    } else {
        text.to_owned()
    }
}

/// Reduces an autocomplete query to the slug alphabet, so it can never act as a pattern.
fn query_prefix(query: &str) -> String {
    slugify(&query.chars().take(40).collect::<String>())
}

fn validate_title(title: &str, errors: &mut Vec<FieldError>) {
    if title.is_empty() {
        errors.push(FieldError::new("title", "Please give your stream a title."));
    } else if title.chars().count() > TITLE_MAX {
        errors.push(FieldError::new(
            "title",
            format!("Titles can be at most {TITLE_MAX} characters."),
        ));
    } else if title.chars().any(char::is_control) {
        errors.push(FieldError::new(
            "title",
            "Titles cannot contain control characters.",
        ));
    }
}

fn validate_tags(raw: &[String], errors: &mut Vec<FieldError>) -> Vec<TagName> {
    let mut tags: Vec<TagName> = Vec::new();
    for raw in raw.iter().filter(|raw| !raw.trim().is_empty()) {
        match validate_tag(raw) {
            Ok(tag) if tags.iter().any(|seen| seen.slug == tag.slug) => {}
            Ok(tag) => tags.push(tag),
            Err(message) => errors.push(FieldError::new("tags", message)),
        }
    }
    if tags.len() > MAX_TAGS {
        errors.push(FieldError::new(
            "tags",
            format!("A channel can have at most {MAX_TAGS} tags."),
        ));
    }
    tags
}

/// Splits a comma-separated tag field into names.
pub fn split_tags(field: &str) -> Vec<String> {
    field
        .split(',')
        .map(str::trim)
        .filter(|tag| !tag.is_empty())
        .map(str::to_owned)
        .collect()
}

impl Platform {
    /// Every category, in display order.
    pub async fn categories(&self) -> Result<Vec<Category>, PlatformError> {
        Ok(self.store.categories().await?)
    }

    pub async fn category_by_slug(&self, slug: &str) -> Result<Category, PlatformError> {
        if slug.len() > 40 {
            return Err(PlatformError::NotFound("There is no such category."));
        }
        self.store
            .category_by_slug(slug)
            .await?
            .ok_or(PlatformError::NotFound("There is no such category."))
    }

    pub async fn subcategory_by_slug(
        &self,
        category_id: i64,
        slug: &str,
    ) -> Result<Subcategory, PlatformError> {
        if slug.len() > 80 {
            return Err(PlatformError::NotFound("There is no such subcategory."));
        }
        self.store
            .subcategory_by_slug(category_id, slug)
            .await?
            .ok_or(PlatformError::NotFound("There is no such subcategory."))
    }

    pub async fn tag_by_slug(&self, category_id: i64, slug: &str) -> Result<Tag, PlatformError> {
        if slug.len() > 40 {
            return Err(PlatformError::NotFound("There is no such tag."));
        }
        self.store
            .tag_by_slug(category_id, slug)
            .await?
            .ok_or(PlatformError::NotFound("There is no such tag."))
    }

    /// Subcategories of the category starting like `query`, for autocomplete.
    pub async fn subcategory_suggestions(
        &self,
        category_slug: &str,
        query: &str,
    ) -> Result<Vec<Subcategory>, PlatformError> {
        let category = self.category_by_slug(category_slug).await?;
        Ok(self
            .store
            .subcategories(category.id, &query_prefix(query), SUGGESTIONS)
            .await?)
    }

    /// Tags of the category starting like `query`, most used first, for autocomplete.
    pub async fn tag_suggestions(
        &self,
        category_slug: &str,
        query: &str,
    ) -> Result<Vec<Tag>, PlatformError> {
        let category = self.category_by_slug(category_slug).await?;
        Ok(self
            .store
            .tags_matching(category.id, &query_prefix(query), SUGGESTIONS)
            .await?)
    }

    /// The channel's category, subcategory and tags.
    pub async fn channel_category(
        &self,
        channel_id: i64,
    ) -> Result<ChannelCategory, PlatformError> {
        let (category_id, subcategory_id) = self
            .store
            .channel_category_ids(channel_id)
            .await?
            .ok_or(PlatformError::NotFound("That channel does not exist."))?;
        let category = match category_id {
            Some(id) => self.store.category_by_id(id).await?,
            None => None,
        };
        let subcategory = match subcategory_id {
            Some(id) => self.store.subcategory_by_id(id).await?,
            None => None,
        };
        let tags = self.store.channel_tags(channel_id).await?;
        Ok(ChannelCategory {
            category,
            subcategory,
            tags,
        })
    }

    /// Whether `actor` may edit the channel's title and tags: its owner, staff, or a moderator
    /// marked as editor.
    pub async fn may_edit_stream_info(
        &self,
        actor: &UserView,
        channel: &ChannelView,
    ) -> Result<bool, PlatformError> {
        Ok(manages(actor, channel.user_id)
            || self.store.is_channel_editor(channel.id, actor.id).await?)
    }

    /// Saves everything about the stream at once, by its owner or staff. Every field is checked
    /// before anything is written: a refused form changes nothing (a new subcategory is
    /// created only when the whole form is valid).
    pub async fn update_stream_info(
        &self,
        actor: &UserView,
        channel_id: i64,
        form: &StreamInfoForm,
    ) -> Result<ChannelCategory, PlatformError> {
        let channel = self.channel_for_info(channel_id).await?;
        if !manages(actor, channel.user_id) {
            return Err(PlatformError::Forbidden);
        }
        let mut errors = Vec::new();
        let title = form.title.trim();
        validate_title(title, &mut errors);
        if !LANGUAGES.iter().any(|(code, _)| *code == form.language) {
            errors.push(FieldError::new(
                "language",
                "Please choose a language from the list.",
            ));
        }
        let category_slug = form.category.trim();
        let category = if category_slug.is_empty() {
            None
        } else {
            match self.store.category_by_slug(category_slug).await? {
                Some(category) => Some(category),
                None => {
                    errors.push(FieldError::new(
                        "category",
                        "Choose a category from the list (Art, Music, Tech, IRL, Education or Gaming).",
                    ));
                    None
                }
            }
        };
        let subcategory_field = form.subcategory.trim();
        let subcategory = if subcategory_field.is_empty() {
            None
        } else if category.is_none() {
            if errors.iter().all(|error| error.field != "category") {
                errors.push(FieldError::new(
                    "subcategory",
                    "Choose a category before a subcategory.",
                ));
            }
            None
        } else {
            match validate_subcategory(subcategory_field) {
                Ok(name) => Some(name),
                Err(message) => {
                    errors.push(FieldError::new("subcategory", message));
                    None
                }
            }
        };
        let tags = validate_tags(&form.tags, &mut errors);
        if !tags.is_empty() && category.is_none() && errors.iter().all(|e| e.field != "category") {
            errors.push(FieldError::new(
                "tags",
                "Choose a category before adding tags: tags belong to a category.",
            ));
        }
        if !errors.is_empty() {
            return Err(PlatformError::Invalid(errors));
        }

        let subcategory = match (&category, subcategory) {
            (Some(category), Some(name)) => Some(
                self.store
                    .find_or_create_subcategory(category.id, &name.name, &name.slug, actor.id)
                    .await?,
            ),
            _ => None,
        };
        self.store
            .update_channel_settings(
                channel.id,
                &shimmer_store::ChannelSettings {
                    title: title.to_owned(),
                    language: form.language.clone(),
                    mature: form.mature,
                },
            )
            .await?;
        self.store
            .set_channel_category(
                channel.id,
                category.as_ref().map(|c| c.id),
                subcategory.as_ref().map(|s| s.id),
            )
            .await?;
        if let Some(category) = &category {
            self.store
                .set_channel_tags(channel.id, category.id, &tags)
                .await?;
        }
        self.publish(Event::ChannelUpdated {
            channel_id: channel.id,
        })
        .await;
        self.channel_category(channel.id).await
    }

    /// Changes only the title and tags: what editors may do. The owner and staff may too.
    /// An editor's change is written to the channel's moderation log.
    pub async fn edit_title_and_tags(
        &self,
        actor: &UserView,
        channel_id: i64,
        title: &str,
        tags: &[String],
    ) -> Result<ChannelCategory, PlatformError> {
        let channel = self.channel_for_info(channel_id).await?;
        if !self.may_edit_stream_info(actor, &channel).await? {
            return Err(PlatformError::Forbidden);
        }
        let mut errors = Vec::new();
        let title = title.trim();
        validate_title(title, &mut errors);
        let tags = validate_tags(tags, &mut errors);
        let (category_id, _) = self
            .store
            .channel_category_ids(channel.id)
            .await?
            .unwrap_or_default();
        if !tags.is_empty() && category_id.is_none() {
            errors.push(FieldError::new(
                "tags",
                "The channel has no category yet; its streamer chooses one before tags can be added.",
            ));
        }
        if !errors.is_empty() {
            return Err(PlatformError::Invalid(errors));
        }
        self.store
            .update_channel_settings(
                channel.id,
                &shimmer_store::ChannelSettings {
                    title: title.to_owned(),
                    language: channel.language.clone(),
                    mature: channel.mature,
                },
            )
            .await?;
        if let Some(category_id) = category_id {
            self.store
                .set_channel_tags(channel.id, category_id, &tags)
                .await?;
        }
        if actor.id != channel.user_id {
            self.store
                .log_moderation(channel.id, actor.id, None, "edit_title_and_tags", None)
                .await?;
        }
        self.publish(Event::ChannelUpdated {
            channel_id: channel.id,
        })
        .await;
        self.channel_category(channel.id).await
    }

    /// Marks a moderator of the channel as editor (or not). Owner or staff only.
    pub async fn set_channel_editor(
        &self,
        actor: &UserView,
        channel_id: i64,
        user_id: i64,
        editor: bool,
    ) -> Result<(), PlatformError> {
        let channel = self.channel_for_info(channel_id).await?;
        if !manages(actor, channel.user_id) {
            return Err(PlatformError::Forbidden);
        }
        if !self
            .store
            .set_channel_editor(channel.id, user_id, editor)
            .await?
        {
            return Err(PlatformError::NotFound(
                "Only moderators of the channel can be editors.",
            ));
        }
        Ok(())
    }

    /// Whether the user is one of the channel's editors.
    pub async fn is_channel_editor(
        &self,
        channel_id: i64,
        user_id: i64,
    ) -> Result<bool, PlatformError> {
        Ok(self.store.is_channel_editor(channel_id, user_id).await?)
    }

    /// Shows or hides the viewer count on the channel page. Owner or staff only.
    pub async fn set_hide_viewer_count(
        &self,
        actor: &UserView,
        channel_id: i64,
        hidden: bool,
    ) -> Result<(), PlatformError> {
        let channel = self.channel_for_info(channel_id).await?;
        if !manages(actor, channel.user_id) {
            return Err(PlatformError::Forbidden);
        }
        self.store.set_hide_viewer_count(channel.id, hidden).await?;
        self.publish(Event::ChannelUpdated {
            channel_id: channel.id,
        })
        .await;
        Ok(())
    }

    /// Whether the channel page hides its viewer count.
    pub async fn hides_viewer_count(&self, channel_id: i64) -> Result<bool, PlatformError> {
        Ok(self.store.hide_viewer_count(channel_id).await?)
    }

    async fn channel_for_info(&self, channel_id: i64) -> Result<ChannelView, PlatformError> {
        self.channel(channel_id)
            .await?
            .ok_or(PlatformError::NotFound("That channel does not exist."))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_accept_the_documented_alphabet_only() {
        assert_eq!(validate_tag("  Speed   Run ").unwrap().slug, "speed-run");
        assert_eq!(validate_tag("Co-op: 2P").unwrap().name, "Co-op: 2P");
        assert!(validate_tag("a").is_err());
        assert!(validate_tag("nineteen characters").is_err());
        let odd = validate_tag("<script>").unwrap_err();
        assert!(odd.contains("“<”"), "{odd}");
        assert!(validate_tag("café").is_err());
        assert!(validate_tag("--").is_err());
    }

    #[test]
    fn subcategories_and_slugs() {
        assert_eq!(
            slugify("Hollow Knight: Silksong!"),
            "hollow-knight-silksong"
        );
        assert_eq!(
            validate_subcategory("Pokémon Red").unwrap().slug,
            "pokémon-red"
        );
        assert!(validate_subcategory("x").is_err());
        assert!(validate_subcategory("a/b c").is_err());
        assert!(validate_subcategory("!!").is_err());
        assert_eq!(split_tags(" a1, ,b2,"), ["a1", "b2"]);
    }
}
