//! What the domain hands to transports. The store's rows stay inside this crate: a user row
//! carries a password hash and a channel row its stream-key secret, so the web and API crates
//! get [`UserView`] and [`ChannelView`] instead, which cannot carry either. Rows with nothing
//! secret in them (categories, chat settings, emotes, ...) are handed out as they are, under the
//! names re-exported here.
//!
//! A secret leaves the domain only through a method that checks who asks for it
//! ([`Platform::stream_key`](crate::Platform::stream_key) for a channel's owner).

pub use shimmer_store::{
    AccountChatMessage, AccountMatch, AccountModeration, AuditEntry, AuditFilter, Category,
    ChannelBan, ChannelMatch, ChatSettings, Emote, EmoteStatus, Follow, FollowListEntry,
    LiveCategory, LiveStatus, ModerationLogEntry, Moderator, ModeratorPermissions, PlatformBan,
    Preferences, Report, Session, StoredChatMessage, StoredStreamMetadata, Stream, StreamMetadata,
    StreamMinute, Subcategory, SupportTicket, Tag, TagMatch, AVATAR_VERSIONS_BATCH,
};

/// A user account without its password hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserView {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub email: String,
    pub email_confirmed_at: Option<i64>,
    /// Any staff level: the account is staff (see [`crate::staff`]).
    pub is_admin: bool,
    /// The staff level, `None` for members.
    pub staff_level: Option<crate::staff::StaffLevel>,
    /// The platform subscription held now, shown as a mark beside the name.
    pub platform_tier: Option<crate::payments::PlatformTier>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl UserView {
    pub fn email_confirmed(&self) -> bool {
        self.email_confirmed_at.is_some()
    }
}

impl From<shimmer_store::User> for UserView {
    fn from(user: shimmer_store::User) -> Self {
        Self {
            id: user.id,
            username: user.username,
            display_name: user.display_name,
            email: user.email,
            email_confirmed_at: user.email_confirmed_at,
            is_admin: user.is_admin,
            staff_level: crate::staff::StaffLevel::from_number(user.staff_level),
            platform_tier: crate::payments::PlatformTier::parse(&user.platform_tier),
            created_at: user.created_at,
            updated_at: user.updated_at,
        }
    }
}

/// A channel with its owner's public names, without its stream key.
#[derive(Debug, Clone, PartialEq)]
pub struct ChannelView {
    pub id: i64,
    pub user_id: i64,
    pub username: String,
    pub display_name: String,
    pub title: String,
    pub language: String,
    pub mature: bool,
    pub status: LiveStatus,
    pub current_stream_id: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl ChannelView {
    pub fn is_live(&self) -> bool {
        self.status == LiveStatus::Live
    }
}

impl From<shimmer_store::Channel> for ChannelView {
    fn from(channel: shimmer_store::Channel) -> Self {
        Self {
            id: channel.id,
            user_id: channel.user_id,
            username: channel.username,
            display_name: channel.display_name,
            title: channel.title,
            language: channel.language,
            mature: channel.mature,
            status: channel.status,
            current_stream_id: channel.current_stream_id,
            created_at: channel.created_at,
            updated_at: channel.updated_at,
        }
    }
}

/// The current time in milliseconds since the Unix epoch, the unit of every timestamp the
/// domain hands out.
pub fn now_ms() -> i64 {
    shimmer_store::now_ms()
}

/// A developer application without the hash of its client secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppView {
    pub id: i64,
    pub owner_id: i64,
    pub name: String,
    pub description: String,
    pub homepage_url: String,
    /// The logo's file name under the data directory, if one was uploaded.
    pub logo_path: Option<String>,
    /// Every registered redirect URI; an authorization request must name one exactly.
    pub redirect_uris: Vec<String>,
    pub client_id: String,
    /// The dedicated ingest credential, made only by the operator.
    pub ingest: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

impl From<shimmer_store::OAuthApp> for AppView {
    fn from(app: shimmer_store::OAuthApp) -> Self {
        Self {
            id: app.id,
            owner_id: app.owner_id,
            name: app.name,
            description: app.description,
            homepage_url: app.homepage_url,
            logo_path: app.logo_path,
            redirect_uris: app.redirect_uris,
            client_id: app.client_id,
            ingest: app.ingest,
            created_at: app.created_at,
            updated_at: app.updated_at,
        }
    }
}
