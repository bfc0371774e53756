//! The OAuth provider's side of the seam, until its token layer is merged: the grant types it
//! promised, and lookups that know no credentials yet.

use shimmer_platform::{Platform, PlatformError};

/// One permission an app can hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Public,
    Email,
    Chat,
    Streamkey,
    Follow,
    StreamInfo,
}

/// A set of scopes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Scopes(u8);

impl Scopes {
    pub fn contains(&self, scope: Scope) -> bool {
        self.0 & (1 << scope as u8) != 0
    }
}

/// What a valid credential grants.
#[derive(Debug, Clone)]
pub struct ApiGrant {
    pub app_id: i64,
    pub user_id: Option<i64>,
    pub scopes: Scopes,
    pub ingest: bool,
}

pub async fn bearer(_platform: &Platform, _token: &str) -> Result<Option<ApiGrant>, PlatformError> {
    Ok(None)
}

pub async fn client_id(
    _platform: &Platform,
    _client_id: &str,
) -> Result<Option<ApiGrant>, PlatformError> {
    Ok(None)
}
