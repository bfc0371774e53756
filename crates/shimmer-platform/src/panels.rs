//! About panels: up to [`MAX_PANELS`] short Markdown sections a streamer writes for their
//! channel page (a schedule, links, rules), shown below the player in the order they chose.
//! Every panel is checked on the way in; its Markdown is rendered on the way out with raw HTML
//! shown as text and links limited to web and mail addresses, so stored text never becomes
//! markup or script on the page.

use shimmer_store::ChannelPanel;

use crate::channels::manages;
use crate::markdown::render_panel_markdown;
use crate::{ChannelView, FieldError, Platform, PlatformError, UserView};

/// Most panels one channel may show.
pub const MAX_PANELS: usize = 8;
/// Longest panel title, in characters.
pub const PANEL_TITLE_MAX: usize = 60;
/// Longest panel text, in characters.
pub const PANEL_BODY_MAX: usize = 2000;

/// The form fields of each panel slot, by slot: titles and texts (errors are shown next to
/// them). One more slot than [`MAX_PANELS`] would never be read.
pub const TITLE_FIELDS: [&str; MAX_PANELS] = [
    "title_0", "title_1", "title_2", "title_3", "title_4", "title_5", "title_6", "title_7",
];
pub const BODY_FIELDS: [&str; MAX_PANELS] = [
    "body_0", "body_1", "body_2", "body_3", "body_4", "body_5", "body_6", "body_7",
];

/// One panel as the settings form sends it: what was typed, where it should go, and whether
/// it is to be removed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PanelDraft {
    pub title: String,
    pub body: String,
    /// The place asked for (1 is first). When two panels ask for one place, the one moved
    /// there (its place is not its slot's number) goes first; otherwise slots keep their order.
    pub position: Option<u32>,
    pub remove: bool,
}

/// A panel as the channel page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PanelView {
    pub title: String,
    /// The Markdown as written (for the settings form).
    pub body: String,
    /// The Markdown rendered and sanitized.
    pub body_html: String,
}

/// A checked set of panels, ready to save with [`Platform::save_panels`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PanelSet {
    channel_id: i64,
    panels: Vec<ChannelPanel>,
}

impl PanelSet {
    /// How many panels the set holds.
    pub fn len(&self) -> usize {
        self.panels.len()
    }

    pub fn is_empty(&self) -> bool {
        self.panels.is_empty()
    }
}

impl Platform {
    /// The channel's panels, first to last, rendered for its page.
    pub async fn channel_panels(&self, channel_id: i64) -> Result<Vec<PanelView>, PlatformError> {
        Ok(self
            .store
            .channel_panels(channel_id)
            .await?
            .into_iter()
            .map(|panel| PanelView {
                body_html: render_panel_markdown(&panel.body),
                title: panel.title,
                body: panel.body,
            })
            .collect())
    }

    /// Checks the panels `actor` sent for `channel`: only its owner (or staff who may manage
    /// channels) may change them; at most [`MAX_PANELS`]; each with a title of at most
    /// [`PANEL_TITLE_MAX`] characters and a text of at most [`PANEL_BODY_MAX`]. A slot left
    /// empty, or marked for removal, is dropped. Every slot is checked before any error is
    /// returned, so the form can show them all at once.
    pub fn check_panels(
        &self,
        actor: &UserView,
        channel: &ChannelView,
        drafts: &[PanelDraft],
    ) -> Result<PanelSet, PlatformError> {
        if !manages(actor, channel.user_id) {
            return Err(PlatformError::Forbidden);
        }
        if drafts.len() > MAX_PANELS {
            return Err(PlatformError::invalid(
                TITLE_FIELDS[0],
                format!("A channel can show at most {MAX_PANELS} panels."),
            ));
        }
        let mut errors = Vec::new();
        let mut kept: Vec<((u32, bool), usize, ChannelPanel)> = Vec::new();
        for (slot, draft) in drafts.iter().enumerate() {
            let title = draft.title.trim();
            let body = draft.body.trim();
            if draft.remove || (title.is_empty() && body.is_empty()) {
                continue;
            }
            let number = slot + 1;
            let before = errors.len();
            if title.is_empty() {
                errors.push(FieldError::new(
                    TITLE_FIELDS[slot],
                    format!("Give panel {number} a title, such as Schedule or Rules."),
                ));
            } else if title.chars().count() > PANEL_TITLE_MAX {
                errors.push(FieldError::new(
                    TITLE_FIELDS[slot],
                    format!(
                        "Panel {number}'s title is {} characters long; it can be at most {PANEL_TITLE_MAX}.",
                        title.chars().count()
                    ),
                ));
            } else if title.chars().any(char::is_control) {
                errors.push(FieldError::new(
                    TITLE_FIELDS[slot],
                    format!("Panel {number}'s title cannot contain line breaks."),
                ));
            }
            if body.is_empty() {
                errors.push(FieldError::new(
                    BODY_FIELDS[slot],
                    format!("Write something in panel {number}, or tick Remove to drop it."),
                ));
            } else if body.chars().count() > PANEL_BODY_MAX {
                errors.push(FieldError::new(
                    BODY_FIELDS[slot],
                    format!(
                        "Panel {number}'s text is {} characters long; it can be at most {PANEL_BODY_MAX}.",
                        body.chars().count()
                    ),
                ));
            }
            if errors.len() == before {
                let place = draft.position.unwrap_or(u32::MAX);
                let stayed = draft.position.is_none_or(|place| place as usize == number);
                kept.push((
                    (place, stayed),
                    slot,
                    ChannelPanel {
                        title: title.to_owned(),
                        body: body.replace("\r\n", "\n"),
                    },
                ));
            }
        }
        if !errors.is_empty() {
            return Err(PlatformError::Invalid(errors));
        }
        kept.sort_by_key(|(place, slot, _)| (*place, *slot));
        Ok(PanelSet {
            channel_id: channel.id,
            panels: kept.into_iter().map(|(_, _, panel)| panel).collect(),
        })
    }

    /// Replaces the channel's panels with a checked set.
    pub async fn save_panels(&self, set: &PanelSet) -> Result<(), PlatformError> {
        Ok(self
            .store
            .replace_channel_panels(set.channel_id, &set.panels)
            .await?)
    }
}
