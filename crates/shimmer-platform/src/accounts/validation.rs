//! The rules for what people may choose as usernames, emails and passwords, each with a message
//! that says what to change.

use crate::FieldError;

pub const USERNAME_MIN: usize = 3;
pub const USERNAME_MAX: usize = 24;
pub const PASSWORD_MIN: usize = 8;
pub const PASSWORD_MAX: usize = 128;
pub const EMAIL_MAX: usize = 254;

/// Names that would collide with a top-level route (`/<username>` is the channel page) or that
/// impersonate the site. Compared ignoring case.
pub const RESERVED_USERNAMES: &[&str] = &[
    "about",
    "account",
    "accounts",
    "admin",
    "administrator",
    "api",
    "app",
    "apps",
    "assets",
    "auth",
    "avatars",
    "blog",
    "browse",
    "categories",
    "category",
    "channel",
    "channels",
    "chat",
    "community",
    "confirm",
    "contact",
    "copyright",
    "dashboard",
    "dev",
    "developer",
    "developers",
    "directory",
    "discover",
    "dmca",
    "docs",
    "embed",
    "emotes",
    "events",
    "explore",
    "faq",
    "favicon.ico",
    "follow",
    "followers",
    "following",
    "gct",
    "guidelines",
    "healthz",
    "help",
    "home",
    "info",
    "legal",
    "live",
    "login",
    "logout",
    "mailbox",
    "metrics",
    "mod",
    "moderation",
    "moderator",
    "new",
    "notifications",
    "null",
    "oauth",
    "official",
    "pages",
    "password",
    "payments",
    "preferences",
    "privacy",
    "profile",
    "register",
    "report",
    "reports",
    "reset",
    "robots.txt",
    "root",
    "rules",
    "search",
    "security",
    "settings",
    "shimmer",
    "signin",
    "signup",
    "staff",
    "static",
    "status",
    "stream",
    "streams",
    "subscriptions",
    "support",
    "system",
    "tag",
    "tags",
    "terms",
    "undefined",
    "user",
    "users",
    "whep",
    "whip",
    "www",
];

/// Checks a username: 3–24 letters, digits, `_` and `.`, not starting or ending with a
/// separator, no two separators in a row, and not reserved.
pub fn username(username: &str) -> Result<(), FieldError> {
    let length = username.chars().count();
    let error = |message: &str| Err(FieldError::new("username", message));
    if !(USERNAME_MIN..=USERNAME_MAX).contains(&length) {
        return error("Usernames are 3 to 24 characters long.");
    }
    if !username
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
    {
        return error("Usernames may contain only letters, digits, underscores (_) and dots (.).");
    }
    let is_separator = |c: char| c == '_' || c == '.';
    if username.starts_with(is_separator) || username.ends_with(is_separator) {
        return error("Usernames cannot start or end with an underscore or a dot.");
    }
    if username
        .as_bytes()
        .windows(2)
        .any(|pair| is_separator(pair[0] as char) && is_separator(pair[1] as char))
    {
        return error("Usernames cannot have two underscores or dots in a row.");
    }
    if RESERVED_USERNAMES.contains(&username.to_ascii_lowercase().as_str()) {
        // Reserved names are short words (site routes and roles); a suffix makes a name of one's
        // own that is still recognisable.
        return error(&format!(
            "“{username}” is reserved for the site's own pages. Pick a name of your own, \
             for example {username}_live or the{username}."
        ));
    }
    Ok(())
}

/// Checks an email address's form (delivery proves the rest).
pub fn email(email: &str) -> Result<(), FieldError> {
    let error = |message: &str| Err(FieldError::new("email", message));
    if email.is_empty() {
        return error("Please enter your email address.");
    }
    if email.len() > EMAIL_MAX {
        return error("That email address is too long.");
    }
    let valid = email.parse::<lettre::Address>().is_ok_and(|address| {
        let domain = address.domain();
        domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.')
    });
    if !valid {
        return error("That does not look like an email address (like name@example.com).");
    }
    Ok(())
}

/// Checks a new password's length; any characters are allowed.
pub fn password(password: &str) -> Result<(), FieldError> {
    let length = password.chars().count();
    if length < PASSWORD_MIN {
        return Err(FieldError::new(
            "password",
            "Passwords need at least 8 characters.",
        ));
    }
    if length > PASSWORD_MAX {
        return Err(FieldError::new(
            "password",
            "Passwords can be at most 128 characters.",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn good_usernames_pass() {
        for name in [
            "abc",
            "Alice",
            "a.b_c",
            "user_123",
            "x1.y2",
            "ABCDEFGHIJKLMNOPQRSTUVWX",
        ] {
            assert_eq!(username(name), Ok(()), "{name}");
        }
    }

    #[test]
    fn bad_usernames_are_refused_with_a_reason() {
        for (name, reason) in [
            ("ab", "3 to 24"),
            ("abcdefghijklmnopqrstuvwxy", "3 to 24"),
            ("has space", "only letters"),
            ("émile", "only letters"),
            ("<script>", "only letters"),
            ("_abc", "start or end"),
            ("abc.", "start or end"),
            ("a__b", "two underscores"),
            ("a._b", "two underscores"),
            ("Settings", "reserved"),
            ("API", "reserved"),
            ("admin", "for example admin_live or theadmin"),
        ] {
            let error = username(name).unwrap_err();
            assert!(error.message.contains(reason), "{name}: {}", error.message);
        }
    }

    #[test]
    fn the_names_suggested_for_a_reserved_one_are_valid() {
        for reserved in RESERVED_USERNAMES {
            for suggestion in [format!("{reserved}_live"), format!("the{reserved}")] {
                assert_eq!(username(&suggestion), Ok(()), "suggested for {reserved}");
            }
        }
    }

    #[test]
    fn every_top_level_route_is_reserved() {
        for route in [
            "api", "login", "logout", "register", "settings", "dev", "metrics", "healthz",
            "static", "users", "password",
        ] {
            assert!(RESERVED_USERNAMES.contains(&route), "{route}");
        }
    }

    #[test]
    fn emails_and_passwords() {
        assert!(email("a@example.com").is_ok());
        for bad in ["", "a", "a@", "@b.c", "a@b", "a b@c.d", "a@.com"] {
            assert!(email(bad).is_err(), "{bad}");
        }
        assert!(email(&format!("{}@example.com", "a".repeat(250))).is_err());
        assert!(password("1234567").is_err());
        assert!(password("12345678").is_ok());
        assert!(password(&"x".repeat(128)).is_ok());
        assert!(password(&"x".repeat(129)).is_err());
    }
}
