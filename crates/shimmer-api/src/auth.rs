//! Who is calling. Credentials come from the `Authorization` header (`Bearer`/`bearer` with an
//! access token, `Client-ID`/`client-id` with an app's client id) or, on sockets, from the
//! `token=` and `client_id=` query parameters. This module is the API's one seam to the OAuth
//! provider: [`authenticate`] turns a credential into a [`Caller`].

use shimmer_platform::oauth::{ApiGrant, Scope};
use shimmer_platform::staff::lookups::LookupVia;
use shimmer_platform::UserView;
use shimmer_platform::{Platform, PlatformError};

/// The longest credential we look at; anything longer is refused without a database lookup.
const MAX_CREDENTIAL_CHARS: usize = 512;

/// A credential as presented.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credential {
    Bearer(String),
    ClientId(String),
}

impl Credential {
    /// Parses an `Authorization` header value. The scheme is matched without regard to case, so
    /// `Bearer`, `bearer`, `Client-ID`, `client-id` and `Client-Id` all work.
    pub fn from_authorization(value: &str) -> Option<Self> {
        let (scheme, rest) = value.trim().split_once(' ')?;
        let secret = rest.trim();
        if secret.is_empty() || secret.len() > MAX_CREDENTIAL_CHARS {
            return None;
        }
        if scheme.eq_ignore_ascii_case("bearer") {
            Some(Self::Bearer(secret.to_owned()))
        } else if scheme.eq_ignore_ascii_case("client-id") {
            Some(Self::ClientId(secret.to_owned()))
        } else {
            None
        }
    }

    /// The credential of a socket connection: `token=` wins over `client_id=`.
    pub fn from_socket_params(token: Option<&str>, client_id: Option<&str>) -> Option<Self> {
        let usable = |value: &&str| !value.is_empty() && value.len() <= MAX_CREDENTIAL_CHARS;
        match (token.filter(usable), client_id.filter(usable)) {
            (Some(token), _) => Some(Self::Bearer(token.to_owned())),
            (None, Some(client_id)) => Some(Self::ClientId(client_id.to_owned())),
            (None, None) => None,
        }
    }

    /// The key rate limits are counted under: a digest of the token (tokens are not kept in
    /// memory), or the client id.
    pub fn rate_key(&self) -> String {
        match self {
            Self::Bearer(token) => format!("t:{}", shimmer_platform::hash_token(token)),
            Self::ClientId(client_id) => format!("c:{client_id}"),
        }
    }
}

/// An authenticated caller: the app's grant and, when it acts for a user, that user.
#[derive(Debug, Clone)]
pub struct Caller {
    pub grant: ApiGrant,
    pub user: Option<UserView>,
}

/// What the API tells a caller whose access is refused. The messages are Glimesh's, which
/// clients match on.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("You must be logged in to access the api")]
    Missing,
    #[error("Given access token is invalid, revoked, or expired.")]
    InvalidToken,
    #[error("Given client id is unknown.")]
    UnknownClient,
    #[error(transparent)]
    Platform(#[from] PlatformError),
}

/// Resolves a credential to a caller through the OAuth provider. A client_credentials token
/// (no user of its own) acts as its app's owner, as on Glimesh; the ingest credential acts for
/// nobody.
pub async fn authenticate(
    platform: &Platform,
    credential: &Credential,
) -> Result<Caller, AuthError> {
    let grant = match credential {
        Credential::Bearer(token) => platform
            .authenticate_bearer(token)
            .await?
            .ok_or(AuthError::InvalidToken)?,
        Credential::ClientId(client_id) => platform
            .authenticate_client_id(client_id)
            .await?
            .ok_or(AuthError::UnknownClient)?,
    };
    let acts_for = match (credential, grant.user_id) {
        (_, Some(user_id)) => Some(user_id),
        (Credential::Bearer(_), None) if !grant.ingest => {
            Some(platform.oauth_app(grant.app_id).await?.owner_id)
        }
        _ => None,
    };
    let user = match acts_for {
        Some(user_id) => Some(
            platform
                .user(user_id)
                .await?
                .ok_or(AuthError::InvalidToken)?,
        ),
        None => None,
    };
    Ok(Caller { grant, user })
}

/// The message every refused API action carries (Glimesh's wording, which clients expect).
pub const UNAUTHORIZED: &str = "unauthorized";

impl Caller {
    /// The user this caller acts for, whatever the grant's scopes.
    pub fn signed_in(&self) -> Result<&UserView, async_graphql::Error> {
        self.user
            .as_ref()
            .ok_or_else(|| async_graphql::Error::new(UNAUTHORIZED))
    }

    /// The user this caller acts for, if the grant holds `scope`.
    pub fn user_with(&self, scope: Scope) -> Result<&UserView, async_graphql::Error> {
        match &self.user {
            Some(user) if self.grant.scopes.contains(scope) => Ok(user),
            _ => Err(async_graphql::Error::new(UNAUTHORIZED)),
        }
    }

    /// The account a staff field is read for, and the origin its audit rows name: a token that
    /// acts for the account and holds the `staff` scope. Whether the account's staff level
    /// allows the lookup (and that it signs in with two factors) is the domain's decision.
    pub fn staff(&self) -> Result<(&UserView, LookupVia), async_graphql::Error> {
        let user = self.user_with(Scope::Staff)?;
        Ok((
            user,
            LookupVia::Api {
                app_id: self.grant.app_id,
            },
        ))
    }

    /// Succeeds only for the dedicated ingest credential: never an ordinary app, whoever owns
    /// it, and never an administrator's token.
    pub fn require_ingest(&self) -> Result<(), async_graphql::Error> {
        if self.grant.ingest {
            Ok(())
        } else {
            Err(async_graphql::Error::new(UNAUTHORIZED))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_header_spelling_clients_send_is_understood() {
        for (header, expected) in [
            ("Bearer abc", Some(Credential::Bearer("abc".into()))),
            ("bearer abc", Some(Credential::Bearer("abc".into()))),
            ("Client-ID xyz", Some(Credential::ClientId("xyz".into()))),
            ("client-id xyz", Some(Credential::ClientId("xyz".into()))),
            ("Client-Id xyz", Some(Credential::ClientId("xyz".into()))),
            ("Basic abc", None),
            ("Bearer ", None),
            ("abc", None),
        ] {
            assert_eq!(Credential::from_authorization(header), expected, "{header}");
        }
    }

    #[test]
    fn socket_tokens_win_over_client_ids() {
        assert_eq!(
            Credential::from_socket_params(Some("t"), Some("c")),
            Some(Credential::Bearer("t".into()))
        );
        assert_eq!(
            Credential::from_socket_params(Some(""), Some("c")),
            Some(Credential::ClientId("c".into()))
        );
        assert_eq!(Credential::from_socket_params(None, None), None);
    }
}
