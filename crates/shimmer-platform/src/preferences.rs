//! Site preferences: theme, chat timestamps, mature content and locale. Signed-in people keep
//! them in the database; visitors in cookies (handled by the web layer with the same checks).

use shimmer_store::Preferences;

use crate::{Platform, PlatformError};

/// The themes a person can pick; `system` follows the browser.
pub const THEMES: &[&str] = &["system", "light", "dark"];

/// The locales offered: those Shimmer ships a complete catalogue for.
pub use shimmer_i18n::Locale;

/// Checks submitted preferences, falling back to defaults for what is not on the lists.
pub fn checked(theme: &str, chat_timestamps: bool, show_mature: bool, locale: &str) -> Preferences {
    Preferences {
        theme: THEMES
            .iter()
            .find(|known| **known == theme)
            .map_or("system", |known| known)
            .to_owned(),
        chat_timestamps,
        show_mature,
        locale: Locale::from_tag(locale)
            .unwrap_or_default()
            .code()
            .to_owned(),
        chat_color: None,
    }
}

impl Platform {
    /// The user's preferences, or the defaults when they never saved any.
    pub async fn preferences(&self, user_id: i64) -> Result<Preferences, PlatformError> {
        Ok(self.store.preferences(user_id).await?.unwrap_or_default())
    }

    /// The preferences the user saved, if they ever did (a log-in restores only those, so it
    /// does not overwrite what the browser chose before).
    pub async fn saved_preferences(
        &self,
        user_id: i64,
    ) -> Result<Option<Preferences>, PlatformError> {
        Ok(self.store.preferences(user_id).await?)
    }

    /// Saves the user's preferences. A chat colour must be one of the palette's.
    pub async fn save_preferences(
        &self,
        user_id: i64,
        preferences: &Preferences,
    ) -> Result<(), PlatformError> {
        if let Some(key) = &preferences.chat_color {
            if crate::chat::colors::palette_color(key).is_none() {
                return Err(PlatformError::Invalid(vec![crate::FieldError::new(
                    "chat_color",
                    "Choose a chat colour from the list, or \"From my account\".",
                )]));
            }
        }
        Ok(self.store.save_preferences(user_id, preferences).await?)
    }
}
