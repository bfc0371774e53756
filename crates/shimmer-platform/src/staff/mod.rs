//! Staff: levels, named permissions, and the one check every staff rule goes through.
//!
//! A staff member has a level from 1 (trial member) to 5 (admin); 0 is not staff. Each
//! permission is granted from a fixed lowest level upward ([`Permission::lowest_level`]):
//!
//! | permission       | what it allows                                          | from level      |
//! | ---------------- | ------------------------------------------------------- | --------------- |
//! | `look_up`        | search accounts, read an account's page (audited)       | 1 trial member  |
//! | `reports`        | the report queue                                        | 1 trial member  |
//! | `moderate`       | moderate chat platform-wide                             | 2 member        |
//! | `emotes`         | review emotes                                           | 2 member        |
//! | `support`        | the support queue: read, assign, reply, close (audited) | 2 member        |
//! | `edit_users`     | edit username and email, reset two-factor sign-in       | 3 lead          |
//! | `stream_control` | can-stream on/off, end a live stream, hide from discovery | 3 lead        |
//! | `ban`            | platform ban and unban                                  | 4 manager       |
//! | `figures`        | the growth and financial report                         | 4 manager       |
//! | `payouts`        | payouts                                                 | 5 admin         |
//! | `settings`       | site settings                                           | 5 admin         |
//!
//! Besides the permission, an action on an account needs a level strictly above the
//! account's (a member cannot touch a lead or another member), and nobody acts on themselves.
//! [`Platform::authorize_staff`] and [`Platform::authorize_staff_on`] are the only places these
//! rules are decided. Staff accounts must sign in with two factors, like every staff account
//! (`accounts`), and `UserView::is_admin` keeps meaning "any staff level".
//!
//! Every look at private data and every action writes a row to the audit log ([`audit`])
//! before it returns.

pub mod actions;
pub mod audit;
pub mod ban;
pub mod lookups;

use crate::{Platform, PlatformError, UserView};

/// A staff level, lowest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum StaffLevel {
    TrialMember = 1,
    Member = 2,
    Lead = 3,
    Manager = 4,
    Admin = 5,
}

impl StaffLevel {
    pub const ALL: [StaffLevel; 5] = [
        Self::TrialMember,
        Self::Member,
        Self::Lead,
        Self::Manager,
        Self::Admin,
    ];

    /// The level with this number; `None` for 0 (not staff) and anything out of range.
    pub fn from_number(number: i64) -> Option<Self> {
        Self::ALL.into_iter().find(|level| level.number() == number)
    }

    pub fn number(self) -> i64 {
        self as i64
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::TrialMember => "trial member",
            Self::Member => "member",
            Self::Lead => "lead",
            Self::Manager => "manager",
            Self::Admin => "admin",
        }
    }

    pub fn grants(self, permission: Permission) -> bool {
        self >= permission.lowest_level()
    }
}

/// What a staff member may do; see the table in the module documentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Permission {
    LookUp,
    Moderate,
    EditUsers,
    Ban,
    StreamControl,
    Emotes,
    Reports,
    Support,
    Payouts,
    Settings,
    Figures,
}

impl Permission {
    pub const ALL: [Permission; 11] = [
        Self::LookUp,
        Self::Moderate,
        Self::EditUsers,
        Self::Ban,
        Self::StreamControl,
        Self::Emotes,
        Self::Reports,
        Self::Support,
        Self::Payouts,
        Self::Settings,
        Self::Figures,
    ];

    /// The fixed table: the lowest level that grants the permission.
    pub fn lowest_level(self) -> StaffLevel {
        match self {
            Self::LookUp | Self::Reports => StaffLevel::TrialMember,
            Self::Moderate | Self::Emotes | Self::Support => StaffLevel::Member,
            Self::EditUsers | Self::StreamControl => StaffLevel::Lead,
            Self::Ban | Self::Figures => StaffLevel::Manager,
            Self::Payouts | Self::Settings => StaffLevel::Admin,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::LookUp => "look_up",
            Self::Moderate => "moderate",
            Self::EditUsers => "edit_users",
            Self::Ban => "ban",
            Self::StreamControl => "stream_control",
            Self::Emotes => "emotes",
            Self::Reports => "reports",
            Self::Support => "support",
            Self::Payouts => "payouts",
            Self::Settings => "settings",
            Self::Figures => "figures",
        }
    }

    /// How a refusal names what was missing.
    fn described(self) -> &'static str {
        match self {
            Self::LookUp => "look up accounts",
            Self::Moderate => "moderate platform-wide",
            Self::EditUsers => "edit accounts",
            Self::Ban => "ban accounts",
            Self::StreamControl => "control streams",
            Self::Emotes => "review emotes",
            Self::Reports => "handle reports",
            Self::Support => "handle support requests",
            Self::Payouts => "handle payouts",
            Self::Settings => "change site settings",
            Self::Figures => "read the site's figures",
        }
    }
}

/// Whether `actor` holds `permission`; for pages deciding which controls to show. Actions
/// decide with [`Platform::authorize_staff`] and [`Platform::authorize_staff_on`].
pub fn staff_may(actor: &UserView, permission: Permission) -> bool {
    actor
        .staff_level
        .is_some_and(|level| level.grants(permission))
}

impl Platform {
    /// The actor's level if it grants `permission`; a refusal that says what is missing
    /// otherwise.
    pub fn authorize_staff(
        actor: &UserView,
        permission: Permission,
    ) -> Result<StaffLevel, PlatformError> {
        let Some(level) = actor.staff_level else {
            return Err(PlatformError::Denied("This page is for staff only.".into()));
        };
        if !level.grants(permission) {
            return Err(PlatformError::Denied(format!(
                "Your staff level ({}) may not {}: that needs {} or above.",
                level.name(),
                permission.described(),
                permission.lowest_level().name()
            )));
        }
        Ok(level)
    }

    /// [`Platform::authorize_staff`] for an action on `target`: never on oneself, and only on
    /// accounts below the actor's level.
    pub fn authorize_staff_on(
        actor: &UserView,
        permission: Permission,
        target: &UserView,
    ) -> Result<StaffLevel, PlatformError> {
        let level = Self::authorize_staff(actor, permission)?;
        if actor.id == target.id {
            return Err(PlatformError::Denied(
                "Staff cannot act on their own account.".into(),
            ));
        }
        if let Some(target_level) = target.staff_level {
            if target_level >= level {
                return Err(PlatformError::Denied(format!(
                    "{} is staff at level {} ({}); only a higher level may act on them.",
                    target.username,
                    target_level.number(),
                    target_level.name()
                )));
            }
        }
        Ok(level)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_level_grants_its_permissions_and_those_below() {
        let granted = |level: StaffLevel| -> Vec<&str> {
            Permission::ALL
                .into_iter()
                .filter(|permission| level.grants(*permission))
                .map(Permission::as_str)
                .collect()
        };
        assert_eq!(granted(StaffLevel::TrialMember), ["look_up", "reports"]);
        assert_eq!(
            granted(StaffLevel::Member),
            ["look_up", "moderate", "emotes", "reports", "support"]
        );
        assert_eq!(
            granted(StaffLevel::Lead),
            [
                "look_up",
                "moderate",
                "edit_users",
                "stream_control",
                "emotes",
                "reports",
                "support"
            ]
        );
        assert_eq!(
            granted(StaffLevel::Manager),
            [
                "look_up",
                "moderate",
                "edit_users",
                "ban",
                "stream_control",
                "emotes",
                "reports",
                "support",
                "figures"
            ]
        );
        assert_eq!(granted(StaffLevel::Admin).len(), Permission::ALL.len());
    }

    #[test]
    fn levels_are_numbered_one_to_five() {
        assert_eq!(StaffLevel::from_number(0), None);
        assert_eq!(StaffLevel::from_number(6), None);
        for level in StaffLevel::ALL {
            assert_eq!(StaffLevel::from_number(level.number()), Some(level));
        }
    }
}
