//! The page templates (askama, checked at compile time; every value is HTML-escaped unless a
//! template says otherwise, and none does for user input).

use askama::Template;
use shimmer_i18n::{Arg, Locale};

use crate::context::RequestContext;
use crate::forms::FormState;

/// What the shared layout needs on every page.
pub struct PageContext {
    pub title: String,
    pub username: Option<String>,
    pub csrf: String,
    pub theme: &'static str,
    /// The catalogue key of a notice shown above the page.
    pub notice: Option<&'static str>,
    /// The language the page is written in.
    pub locale: Locale,
    pub dev_mode: bool,
    /// Whether the signed-in user is staff, for the header's links to the staff queues.
    pub staff: bool,
    /// Whether the staff member may review emotes (the header's link to that queue).
    pub staff_emotes: bool,
    /// Whether the staff member works support requests (the header's link to that queue).
    pub staff_support: bool,
    /// Whether the header shows account links (error pages rendered outside a request's context
    /// show only the home link, since they cannot know who is signed in).
    pub account_links: bool,
    /// Whether money features are on: the settings show Subscriptions and Payouts.
    pub payments: bool,
    /// Whether the staff member handles payouts (the header's link to the payments queue).
    pub staff_payouts: bool,
    /// The page's `<meta name=description>` and share text; the site's own when `None`.
    pub description: Option<String>,
    /// What a link to this page shows when shared: its absolute URL and picture.
    pub share: Option<ShareCard>,
    /// Whether this is the search page, whose own field replaces the header's.
    pub search_page: bool,
}

/// What a link shared elsewhere (OpenGraph, Twitter cards) shows beyond the title and
/// description: absolute URLs, since the reader is another site.
pub struct ShareCard {
    /// The shared link's headline (for a channel, the stream title and the streamer).
    pub title: String,
    /// The page's own address.
    pub url: String,
    /// A 16:9 picture of the page (a channel's current live thumbnail).
    pub image: String,
}

impl PageContext {
    /// A page titled `title`: a catalogue key starting with `title-` (shown in the visitor's
    /// language), or words already written for them (a channel's name).
    pub fn new(title: impl Into<String>, context: &RequestContext, dev_mode: bool) -> Self {
        let title = title.into();
        Self {
            title: if title.starts_with("title-") {
                context.t(&title)
            } else {
                title
            },
            username: context.user().map(|user| user.username.clone()),
            staff: context.user().is_some_and(|user| user.is_admin),
            staff_emotes: context.user().is_some_and(|user| {
                shimmer_platform::staff::staff_may(
                    user,
                    shimmer_platform::staff::Permission::Emotes,
                )
            }),
            staff_support: context.user().is_some_and(|user| {
                shimmer_platform::staff::staff_may(
                    user,
                    shimmer_platform::staff::Permission::Support,
                )
            }),
            csrf: context.csrf_token.clone(),
            theme: context.theme.as_str(),
            notice: None,
            locale: context.locale,
            dev_mode,
            account_links: true,
            payments: context.payments,
            staff_payouts: context.payments
                && context.user().is_some_and(|user| {
                    shimmer_platform::staff::staff_may(
                        user,
                        shimmer_platform::staff::Permission::Payouts,
                    )
                }),
            description: None,
            share: None,
            search_page: false,
        }
    }

    /// A page outside any request's context (English until the session middleware renders it
    /// again for the visitor).
    pub fn bare(title: impl Into<String>) -> Self {
        Self {
            title: title.into(),
            username: None,
            staff: false,
            staff_emotes: false,
            staff_support: false,
            csrf: String::new(),
            theme: "system",
            notice: None,
            locale: Locale::En,
            dev_mode: false,
            account_links: false,
            payments: false,
            staff_payouts: false,
            description: None,
            share: None,
            search_page: false,
        }
    }

    pub fn with_notice(mut self, notice: Option<&'static str>) -> Self {
        self.notice = notice;
        self
    }

    /// Gives the page its own description (meta description and share text).
    pub fn with_description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// Gives the page a share card (absolute URL and picture).
    pub fn with_share(mut self, share: ShareCard) -> Self {
        self.share = Some(share);
        self
    }

    /// The headline of a shared link: the share card's, else the page title.
    pub fn share_title(&self) -> &str {
        self.share
            .as_ref()
            .map_or(&self.title, |share| &share.title)
    }

    /// The page's description, or the site's.
    pub fn description(&self) -> String {
        self.description
            .clone()
            .unwrap_or_else(|| self.t("site-description"))
    }

    /// The message `key` in the page's language.
    pub fn t(&self, key: &str) -> String {
        self.locale.t(key)
    }

    /// The message `key` with one argument.
    pub fn t1(&self, key: &str, name: &str, value: impl TemplateArg) -> String {
        self.locale.message(key, &[(name, value.to_arg())])
    }

    /// The message `key` with two arguments.
    pub fn t2(
        &self,
        key: &str,
        first: &str,
        first_value: impl TemplateArg,
        second: &str,
        second_value: impl TemplateArg,
    ) -> String {
        self.locale.message(
            key,
            &[
                (first, first_value.to_arg()),
                (second, second_value.to_arg()),
            ],
        )
    }

    /// Whether `code` is the page's language (for the language menus).
    pub fn is_lang(&self, code: &str) -> bool {
        code == self.locale.code()
    }

    /// The message for one value of a fixed list: `prefix-value` (a report's reason, a ticket's
    /// status).
    pub fn tk(&self, prefix: &str, value: &str) -> String {
        self.t(&format!("{prefix}-{value}"))
    }

    /// [`Self::tk`] for a stored code whose words are joined by `_` or spaces
    /// (`paid_out`, `channel subscription`): the key joins them with `-`.
    pub fn tcode(&self, prefix: &str, value: &str) -> String {
        self.tk(prefix, &value.replace(['_', ' '], "-"))
    }

    /// The message `key` as markup (its catalogue text may hold tags such as links), with text
    /// arguments escaped; templates show it with `|safe`.
    pub fn th(&self, key: &str, args: &[(&str, &str)]) -> String {
        let escaped: Vec<(&str, Arg)> = args
            .iter()
            .map(|(name, value)| (*name, Arg::Text(escape_html(value))))
            .collect();
        self.locale.message(key, &escaped)
    }

    /// A whole number with the page language's grouping.
    pub fn num(&self, value: impl TemplateArg) -> String {
        match value.to_arg() {
            Arg::Number(number) => shimmer_i18n::number(self.locale, number),
            Arg::Text(text) => text,
        }
    }

    /// The `<html lang>` code.
    pub fn lang(&self) -> &'static str {
        self.locale.code()
    }

    /// The shipped locales (code, own name) for the language switcher.
    pub fn locales(&self) -> Vec<(&'static str, &'static str)> {
        Locale::ALL
            .into_iter()
            .map(|locale| (locale.code(), locale.native_name()))
            .collect()
    }

    /// The messages the page's scripts use, as JSON for a data block.
    pub fn script_messages(&self) -> String {
        self.locale.script_catalogue()
    }

    /// A stream language's name (from `shimmer_platform::channels::LANGUAGES`) in the page's
    /// language.
    pub fn language_name(&self, code: &str) -> String {
        self.t(&format!("language-{code}"))
    }

    /// A chat name colour's name (by its palette key) in the page's language.
    pub fn color_name(&self, key: &str) -> String {
        self.t(&format!("color-{key}"))
    }

    /// A top-level category's name in the page's language; subcategories are the streamers'
    /// own words and stay as written.
    pub fn category_name(&self, slug: &str, name: &str) -> String {
        category_name(self.locale, slug, name)
    }
}

/// A value a template passes to a message, whatever the references askama adds around it.
pub trait TemplateArg {
    fn to_arg(&self) -> Arg;
}

impl<T: TemplateArg + ?Sized> TemplateArg for &T {
    fn to_arg(&self) -> Arg {
        (**self).to_arg()
    }
}

impl TemplateArg for str {
    fn to_arg(&self) -> Arg {
        Arg::Text(self.to_owned())
    }
}

impl TemplateArg for String {
    fn to_arg(&self) -> Arg {
        Arg::Text(self.clone())
    }
}

macro_rules! number_template_args {
    ($($number:ty),*) => {$(
        impl TemplateArg for $number {
            fn to_arg(&self) -> Arg {
                Arg::from(*self)
            }
        }
    )*};
}

number_template_args!(i32, i64, u16, u32, u64, usize);

/// A top-level category's name in `locale`; other names stay as written.
pub fn category_name(locale: Locale, slug: &str, name: &str) -> String {
    let key = format!("category-{slug}");
    match locale.t(&key) {
        translated if translated != key => translated,
        _ => name.to_owned(),
    }
}

/// Text made safe to place in HTML (element content and quoted attributes).
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage<'a> {
    pub page: PageContext,
    pub status: u16,
    pub message: &'a str,
}

/// A channel as listed on the home page.
pub struct ChannelCard {
    pub username: String,
    pub display_name: String,
    pub title: String,
    pub live: bool,
    pub mature: bool,
    pub language: String,
}

#[derive(Template)]
#[template(path = "register.html")]
pub struct RegisterPage {
    pub page: PageContext,
    pub form: FormState,
}

#[derive(Template)]
#[template(path = "login.html")]
pub struct LoginPage {
    pub page: PageContext,
    pub form: FormState,
}

#[derive(Template)]
#[template(path = "reset_request.html")]
pub struct ResetRequestPage {
    pub page: PageContext,
    pub form: FormState,
    pub sent: bool,
}

#[derive(Template)]
#[template(path = "reset_form.html")]
pub struct ResetFormPage {
    pub page: PageContext,
    pub form: FormState,
    pub token: String,
}

#[derive(Template)]
#[template(path = "sign_in_link.html")]
pub struct SignInLinkPage {
    pub page: PageContext,
    pub form: FormState,
    pub token: String,
}

#[derive(Template)]
#[template(path = "confirm.html")]
pub struct ConfirmPage {
    pub page: PageContext,
    pub token: String,
}

#[derive(Template)]
#[template(path = "notice.html")]
pub struct NoticePage {
    pub page: PageContext,
    pub heading: String,
    pub message: String,
    pub link_href: &'static str,
    pub link_label: String,
}

#[derive(Template)]
#[template(path = "settings/channel.html")]
pub struct ChannelSettingsPage {
    pub page: PageContext,
    pub section: &'static str,
    pub form: FormState,
    pub mature: bool,
    pub languages: &'static [(&'static str, &'static str)],
    pub channel_username: String,
    pub categories: Vec<shimmer_platform::views::Category>,
    pub hide_viewer_count: bool,
    /// The current chat background's address, if the channel has one.
    pub chat_background: Option<String>,
    /// A refused chat background upload's reason.
    pub background_form: FormState,
}

#[derive(Template)]
#[template(path = "settings/panels.html")]
pub struct PanelsSettingsPage {
    pub page: PageContext,
    pub section: &'static str,
    pub form: FormState,
    pub channel_username: String,
    pub slots: Vec<PanelSlot>,
    /// Every slot holds a panel: no room for a new one.
    pub full: bool,
    pub max_panels: usize,
    pub title_max: usize,
    pub body_max: usize,
}

/// One panel's fields on the panels settings form.
pub struct PanelSlot {
    pub index: usize,
    pub title_field: &'static str,
    pub body_field: &'static str,
    pub title: String,
    pub body: String,
    /// The place shown in its field (1 is first).
    pub position: u32,
    pub remove: bool,
    /// The empty slot for a new panel.
    pub new: bool,
}

#[derive(Template)]
#[template(path = "settings/stream.html")]
pub struct StreamSettingsPage {
    pub page: PageContext,
    pub section: &'static str,
    pub stream_key: String,
    pub email_confirmed: bool,
    pub ingest_host: String,
    pub ingest_port: u16,
    pub rtmp_port: Option<u16>,
    pub whip_url: Option<String>,
}

/// A signed-in device as listed on the security page.
pub struct SessionRow {
    pub id: i64,
    pub user_agent: String,
    pub last_seen: String,
    pub current: bool,
    pub remembered: bool,
}

#[derive(Template)]
#[template(path = "settings/security.html")]
pub struct SecuritySettingsPage {
    pub page: PageContext,
    pub section: &'static str,
    pub email: String,
    pub email_confirmed: bool,
    pub password_form: FormState,
    pub email_form: FormState,
    pub sessions: Vec<SessionRow>,
}

#[derive(Template)]
#[template(path = "channel.html")]
pub struct ChannelPage {
    pub page: PageContext,
    pub channel_id: i64,
    pub username: String,
    pub display_name: String,
    pub title: String,
    pub live: bool,
    pub mature: bool,
    pub is_owner: bool,
    pub can_moderate: bool,
    pub transparent: bool,
    /// The viewer's chat-timestamps preference, the chat's starting state.
    pub chat_timestamps: bool,
    /// The poster shown in the player while offline (a versioned URL), if the channel has one.
    pub poster: Option<String>,
    pub community: ChannelCommunity,
    /// Subscribe and donate, when payments are on and the streamer can be paid.
    pub support: Option<shimmer_platform::payments::SupportOffer>,
    /// While the channel is offline: the live channel it hosts (auto-host), if any.
    pub hosting: Option<shimmer_platform::ChannelView>,
    /// The streamer's about panels, rendered, first to last.
    pub panels: Vec<shimmer_platform::panels::PanelView>,
    /// The picture behind the chat (a versioned URL), if the streamer set one.
    pub chat_background: Option<String>,
    /// The streamer's avatar (a versioned URL), if they uploaded one.
    pub avatar: Option<String>,
    /// The first letter of the streamer's name, shown in place of a missing avatar.
    pub avatar_initial: String,
    /// While live: when the stream started (milliseconds since the epoch), for its uptime.
    pub live_since: Option<i64>,
    /// While live: how long the stream has run as `h:mm:ss` (scripts keep it ticking).
    pub uptime: String,
    /// The channel's absolute address, for the Share menu.
    pub share_url: String,
}

/// The channel page's community parts: its place in the catalogue, follows, viewers and the
/// stream edit menu.
pub struct ChannelCommunity {
    /// (name, slug) of the category and subcategory; tags as (name, slug) pairs.
    pub category: Option<(String, String)>,
    pub subcategory: Option<(String, String)>,
    pub tags: Vec<(String, String)>,
    pub language: String,
    pub followers: i64,
    /// Whether a signed-in visitor other than the streamer sees the follow button.
    pub can_follow: bool,
    pub following: bool,
    pub notifications: bool,
    /// None when the streamer hides the count.
    pub viewers: Option<i64>,
    /// The stream edit menu: `all` for the streamer and staff, `title_tags` for editors.
    pub edit: &'static str,
    pub categories: Vec<shimmer_platform::views::Category>,
    pub languages: &'static [(&'static str, &'static str)],
}

impl ChannelCommunity {
    /// The tags as the comma-separated value of the tag field.
    pub fn tags_value(&self) -> String {
        self.tags
            .iter()
            .map(|(name, _)| name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }

    pub fn category_slug(&self) -> &str {
        self.category.as_ref().map_or("", |(_, slug)| slug)
    }

    pub fn subcategory_name(&self) -> &str {
        self.subcategory.as_ref().map_or("", |(name, _)| name)
    }
}

#[derive(Template)]
#[template(path = "chat_popout.html")]
pub struct ChatPopoutPage {
    pub page: PageContext,
    pub channel_id: i64,
    pub display_name: String,
    pub transparent: bool,
    /// The viewer's chat-timestamps preference, the chat's starting state.
    pub chat_timestamps: bool,
    /// The picture behind the chat (a versioned URL): never in the transparent overlay.
    pub chat_background: Option<String>,
}

#[derive(Template)]
#[template(path = "settings/chat.html")]
pub struct ChatSettingsPage {
    pub page: PageContext,
    pub section: &'static str,
    pub form: FormState,
    pub settings: shimmer_platform::views::ChatSettings,
}

#[derive(Template)]
#[template(path = "settings/moderators.html")]
pub struct ModeratorsPage {
    pub page: PageContext,
    pub section: &'static str,
    pub form: FormState,
    pub moderators: Vec<shimmer_platform::views::Moderator>,
    pub channel_username: String,
    /// Moderators who may also edit the stream's title and tags.
    pub editors: Vec<i64>,
}

impl ModeratorsPage {
    pub fn is_editor(&self, user_id: &i64) -> bool {
        self.editors.contains(user_id)
    }
}

/// A ban or timeout as the moderation page lists it.
pub struct BanRow {
    pub username: String,
    pub until: String,
}

/// A moderation log line with names and a readable time.
pub struct LogRow {
    pub when: String,
    pub moderator: String,
    pub action: String,
    pub target: String,
}

#[derive(Template)]
#[template(path = "moderation.html")]
pub struct ModerationPage {
    pub page: PageContext,
    pub form: FormState,
    pub channel_username: String,
    pub channel_display_name: String,
    pub permissions: shimmer_platform::chat::ChatPermissions,
    pub bans: Vec<BanRow>,
    pub log: Vec<LogRow>,
}

/// A mail as listed on the development mailbox.
pub struct MailRow {
    pub id: String,
    pub to: String,
    pub subject: String,
    pub sent: String,
}

#[derive(Template)]
#[template(path = "dev_mailbox.html")]
pub struct MailboxPage {
    pub page: PageContext,
    pub mails: Vec<MailRow>,
}

#[derive(Template)]
#[template(path = "dev_mail.html")]
pub struct MailPage {
    pub page: PageContext,
    pub mail: MailRow,
    /// The body split around links, so links become anchors without trusting any HTML.
    pub parts: Vec<(bool, String)>,
}

/// Formats milliseconds since the epoch as a UTC date and time in the visitor's language.
pub fn format_time(locale: Locale, ms: i64) -> String {
    shimmer_i18n::datetime(locale, ms)
}

/// An emote as the emote pages list it.
pub struct EmoteRow {
    pub id: i64,
    pub name: String,
    pub src: String,
    pub status: &'static str,
    pub reason: Option<String>,
    /// Usable by the channel's subscribers only.
    pub subscribers_only: bool,
}

#[derive(Template)]
#[template(path = "settings/emotes.html")]
pub struct EmoteSettingsPage {
    pub page: PageContext,
    pub section: &'static str,
    pub form: FormState,
    pub has_prefix: bool,
    pub emotes: Vec<EmoteRow>,
}

#[derive(Template)]
#[template(path = "settings/poster.html")]
pub struct PosterSettingsPage {
    pub page: PageContext,
    pub section: &'static str,
    pub form: FormState,
    /// The current poster's versioned URL.
    pub poster: Option<String>,
    pub channel_username: String,
}

#[derive(Template)]
#[template(path = "staff_emotes.html")]
pub struct StaffEmotesPage {
    pub page: PageContext,
    pub form: FormState,
    pub pending: Vec<EmoteRow>,
    pub global: Vec<EmoteRow>,
}
