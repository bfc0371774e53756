//! OAuth scopes: Glimesh's six, with their wire names and the plain words a consent page shows.

use std::fmt;
use std::str::FromStr;

/// One permission an app can ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    Public,
    Email,
    Chat,
    Streamkey,
    Follow,
    StreamInfo,
    /// Shimmer's own: the staff fields and lookups of the API, for a staff account's token
    /// (the account's staff level still decides what it may read). Never granted unless asked
    /// for by name.
    Staff,
}

impl Scope {
    /// Every scope, in the order they are listed and serialised.
    pub const ALL: [Scope; 7] = [
        Scope::Public,
        Scope::Email,
        Scope::Chat,
        Scope::Streamkey,
        Scope::Follow,
        Scope::StreamInfo,
        Scope::Staff,
    ];

    /// The name on the wire (`scope=public chat`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Public => "public",
            Self::Email => "email",
            Self::Chat => "chat",
            Self::Streamkey => "streamkey",
            Self::Follow => "follow",
            Self::StreamInfo => "stream_info",
            Self::Staff => "staff",
        }
    }

    /// What the scope lets an app do, in words for the person approving it.
    pub fn description(self) -> &'static str {
        match self {
            Self::Public => "See your public profile and channel information",
            Self::Email => "See your email address",
            Self::Chat => "Send chat messages and moderate chats as you",
            Self::Streamkey => "See your stream key",
            Self::Follow => "Follow and unfollow channels as you",
            Self::StreamInfo => "Change your stream's title and category",
            Self::Staff => {
                "Use your staff tools as you: look up accounts and their private details \
                 (every look is written to the audit log)"
            }
        }
    }

    fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.as_str())
    }
}

/// A requested scope name that does not exist.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Unknown scope \"{0}\". Valid scopes are public, email, chat, streamkey, follow, stream_info and staff.")]
pub struct UnknownScope(pub String);

impl FromStr for Scope {
    type Err = UnknownScope;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Scope::ALL
            .into_iter()
            .find(|scope| scope.as_str() == name)
            .ok_or_else(|| UnknownScope(name.chars().take(40).collect()))
    }
}

/// A set of scopes. Parsed from and written as space-separated names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct Scopes(u8);

impl Scopes {
    pub fn empty() -> Self {
        Self(0)
    }

    pub fn only(scope: Scope) -> Self {
        Self(scope.bit())
    }

    /// Parses space-separated scope names (also `+` or `,` separated, as some clients send);
    /// any unknown name is an error.
    pub fn parse(names: &str) -> Result<Self, UnknownScope> {
        names
            .split([' ', '+', ','])
            .filter(|name| !name.is_empty())
            .try_fold(Self::empty(), |set, name| Ok(set.with(name.parse()?)))
    }

    /// Parses stored scopes, skipping names this version does not know.
    pub(crate) fn parse_lenient(names: &str) -> Self {
        names
            .split(' ')
            .filter_map(|name| name.parse().ok())
            .fold(Self::empty(), Self::with)
    }

    pub fn with(self, scope: Scope) -> Self {
        Self(self.0 | scope.bit())
    }

    pub fn contains(&self, scope: Scope) -> bool {
        self.0 & scope.bit() != 0
    }

    /// Whether every scope in `other` is also in this set.
    pub fn covers(&self, other: Scopes) -> bool {
        other.0 & !self.0 == 0
    }

    pub fn union(self, other: Scopes) -> Self {
        Self(self.0 | other.0)
    }

    pub fn is_empty(&self) -> bool {
        self.0 == 0
    }

    pub fn iter(&self) -> impl Iterator<Item = Scope> + '_ {
        Scope::ALL
            .into_iter()
            .filter(move |scope| self.contains(*scope))
    }
}

impl FromStr for Scopes {
    type Err = UnknownScope;

    fn from_str(names: &str) -> Result<Self, Self::Err> {
        Self::parse(names)
    }
}

impl fmt::Display for Scopes {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, scope) in self.iter().enumerate() {
            if index > 0 {
                formatter.write_str(" ")?;
            }
            formatter.write_str(scope.as_str())?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_parse_and_print_in_wire_form() {
        let scopes = Scopes::parse("chat  public+stream_info").unwrap();
        assert!(scopes.contains(Scope::Chat) && scopes.contains(Scope::StreamInfo));
        assert!(!scopes.contains(Scope::Email));
        assert_eq!(scopes.to_string(), "public chat stream_info");
        assert_eq!(Scopes::parse("").unwrap(), Scopes::empty());
        assert_eq!(
            Scopes::parse("public admin").unwrap_err(),
            UnknownScope("admin".into())
        );
        assert!(scopes.covers(Scopes::only(Scope::Chat)));
        assert!(!Scopes::only(Scope::Chat).covers(scopes));
        assert_eq!(
            Scopes::parse_lenient("public future"),
            Scopes::only(Scope::Public)
        );
    }
}
