//! The about panels section of the channel settings: every panel in one form (title, Markdown
//! text, place, remove), with one empty slot for a new panel while there is room. The domain
//! checks and authorizes; the channel page shows the panels below the player.

use std::collections::HashMap;

use axum::extract::{DefaultBodyLimit, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use shimmer_platform::panels::{
    PanelDraft, BODY_FIELDS, MAX_PANELS, PANEL_BODY_MAX, PANEL_TITLE_MAX, TITLE_FIELDS,
};

use super::{render, require_user, NoticeQuery};
use crate::context::RequestContext;
use crate::error::WebError;
use crate::forms::{refused, FormState, ParsedForm};
use crate::templates::{PageContext, PanelSlot, PanelsSettingsPage};
use crate::AppState;

/// Eight full panels, percent-encoded, with room to spare; a larger body is refused unread.
pub fn form_limit() -> DefaultBodyLimit {
    DefaultBodyLimit::max(256 * 1024)
}

fn slots(drafts: &[PanelDraft]) -> Vec<PanelSlot> {
    let mut slots: Vec<PanelSlot> = drafts
        .iter()
        .take(MAX_PANELS)
        .enumerate()
        .map(|(index, draft)| PanelSlot {
            index,
            title_field: TITLE_FIELDS[index],
            body_field: BODY_FIELDS[index],
            title: draft.title.clone(),
            body: draft.body.clone(),
            position: draft.position.map_or(index as u32 + 1, |p| p),
            remove: draft.remove,
            new: false,
        })
        .collect();
    if slots.len() < MAX_PANELS {
        let index = slots.len();
        slots.push(PanelSlot {
            index,
            title_field: TITLE_FIELDS[index],
            body_field: BODY_FIELDS[index],
            title: String::new(),
            body: String::new(),
            position: index as u32 + 1,
            remove: false,
            new: true,
        });
    }
    slots
}

fn respond(
    state: &AppState,
    context: &RequestContext,
    status: StatusCode,
    notice: Option<&'static str>,
    form: FormState,
    channel_username: String,
    drafts: &[PanelDraft],
) -> Response {
    let page =
        PageContext::new("title-about-panels", context, state.config.dev_mode).with_notice(notice);
    let slots = slots(drafts);
    render(
        status,
        &PanelsSettingsPage {
            page,
            section: "panels",
            form,
            channel_username,
            full: slots.iter().all(|slot| !slot.new),
            slots,
            max_panels: MAX_PANELS,
            title_max: PANEL_TITLE_MAX,
            body_max: PANEL_BODY_MAX,
        },
    )
}

pub async fn settings_page(
    State(state): State<AppState>,
    context: RequestContext,
    Query(notice): Query<NoticeQuery>,
) -> Result<Response, WebError> {
    let user = &require_user(&context)?.user;
    let channel = state.platform.channel_of_user(user.id).await?;
    let drafts: Vec<PanelDraft> = state
        .platform
        .channel_panels(channel.id)
        .await?
        .into_iter()
        .enumerate()
        .map(|(index, panel)| PanelDraft {
            title: panel.title,
            body: panel.body,
            position: Some(index as u32 + 1),
            remove: false,
        })
        .collect();
    Ok(respond(
        &state,
        &context,
        StatusCode::OK,
        notice.message(),
        FormState::default(),
        channel.username,
        &drafts,
    ))
}

/// The slots the form sent, in slot order up to the last one with anything in it. Fields other
/// than `title_N`, `body_N`, `position_N` and `remove_N` (N below [`MAX_PANELS`]) are ignored.
fn drafts_from(fields: &HashMap<String, String>) -> Vec<PanelDraft> {
    let mut drafts: Vec<PanelDraft> = (0..MAX_PANELS)
        .map(|index| {
            let field = |name: &str| fields.get(&format!("{name}_{index}"));
            PanelDraft {
                title: field("title").cloned().unwrap_or_default(),
                body: field("body").cloned().unwrap_or_default(),
                position: field("position").and_then(|value| value.trim().parse().ok()),
                remove: field("remove").is_some(),
            }
        })
        .collect();
    while drafts
        .last()
        .is_some_and(|draft| draft.title.trim().is_empty() && draft.body.trim().is_empty())
    {
        drafts.pop();
    }
    drafts
}

pub async fn save(
    State(state): State<AppState>,
    context: RequestContext,
    ParsedForm(fields): ParsedForm<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let user = &require_user(&context)?.user;
    let channel = state.platform.channel_of_user(user.id).await?;
    let drafts = drafts_from(&fields);
    let checked = state.platform.check_panels(user, &channel, &drafts);
    let saved = match checked {
        Ok(set) => state.platform.save_panels(&set).await,
        Err(error) => Err(error),
    };
    match saved {
        Ok(()) => Ok(Redirect::to("/users/settings/panels?notice=panels_saved").into_response()),
        Err(error) => {
            let (status, form) = refused(error)?;
            Ok(respond(
                &state,
                &context,
                status,
                None,
                form,
                channel.username,
                &drafts,
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_are_read_in_order_and_trailing_empty_ones_dropped() {
        let fields: HashMap<String, String> = [
            ("title_0", "Schedule"),
            ("body_0", "Mondays"),
            ("position_0", "2"),
            ("title_1", "Rules"),
            ("body_1", "Be kind"),
            ("remove_1", "on"),
            ("title_2", " "),
            ("body_2", ""),
            ("title_9", "ignored"),
            ("_csrf", "token"),
        ]
        .into_iter()
        .map(|(name, value)| (name.to_owned(), value.to_owned()))
        .collect();
        let drafts = drafts_from(&fields);
        assert_eq!(drafts.len(), 2);
        assert_eq!(drafts[0].position, Some(2));
        assert!(drafts[1].remove);
        assert_eq!(drafts[1].title, "Rules");
    }
}
