//! A node's roles: which parts of Shimmer it runs.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Which parts a node runs. `shimmer serve` runs all three unless `--roles` says otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Roles {
    /// Accepts encoders (FTL, RTMP, WHIP) and owns its streams' hubs.
    pub ingest: bool,
    /// Serves WHEP viewers, pulling channels from ingest nodes.
    pub edge: bool,
    /// Serves pages, chat, the API and the background jobs.
    pub web: bool,
}

impl Roles {
    /// Every role: the single-node deployment.
    pub const ALL: Self = Self {
        ingest: true,
        edge: true,
        web: true,
    };

    /// True when this node runs every role.
    pub fn is_all(self) -> bool {
        self == Self::ALL
    }
}

impl Default for Roles {
    fn default() -> Self {
        Self::ALL
    }
}

/// Why a roles list was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RolesError {
    #[error("unknown role {0:?}: the roles are ingest, edge and web (comma-separated)")]
    Unknown(String),
    #[error("no role given: name at least one of ingest, edge and web")]
    Empty,
}

impl FromStr for Roles {
    type Err = RolesError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let mut roles = Self {
            ingest: false,
            edge: false,
            web: false,
        };
        for name in text
            .split(',')
            .map(str::trim)
            .filter(|name| !name.is_empty())
        {
            match name.to_ascii_lowercase().as_str() {
                "ingest" => roles.ingest = true,
                "edge" => roles.edge = true,
                "web" => roles.web = true,
                "all" => roles = Self::ALL,
                _ => return Err(RolesError::Unknown(name.to_owned())),
            }
        }
        if !(roles.ingest || roles.edge || roles.web) {
            return Err(RolesError::Empty);
        }
        Ok(roles)
    }
}

impl fmt::Display for Roles {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = [
            (self.ingest, "ingest"),
            (self.edge, "edge"),
            (self.web, "web"),
        ]
        .into_iter()
        .filter_map(|(on, name)| on.then_some(name))
        .collect();
        f.write_str(&names.join(","))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_parse_in_any_order_and_refuse_unknown_names() {
        let edge_web: Roles = " web, Edge ".parse().unwrap();
        assert_eq!(edge_web.to_string(), "edge,web");
        assert_eq!("all".parse::<Roles>().unwrap(), Roles::ALL);
        assert_eq!(
            "ingest,cdn".parse::<Roles>(),
            Err(RolesError::Unknown("cdn".into()))
        );
        assert_eq!(" , ".parse::<Roles>(), Err(RolesError::Empty));
    }
}
