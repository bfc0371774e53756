//! Public profiles: pronouns, a Markdown bio, social links, a YouTube intro video, a message
//! shown while live, and an avatar. Every field is validated on the way in; the bio is rendered
//! to HTML and sanitized on the way out, so stored text can never become script on a page.

use std::collections::HashMap;
use std::io::Cursor;

use crate::UserView;
use image::imageops::FilterType;
use image::{ImageFormat, ImageReader, Limits};
use shimmer_store::Profile;

use crate::markdown::render_markdown;
use crate::{FieldError, Platform, PlatformError};

/// Longest bio, in characters.
pub const BIO_MAX: usize = 8192;
/// Longest pronouns text, in characters.
pub const PRONOUNS_MAX: usize = 40;
/// Longest "live message", in characters.
pub const LIVE_MESSAGE_MAX: usize = 200;
/// Largest avatar upload, in bytes.
pub const AVATAR_MAX_BYTES: usize = 2 * 1024 * 1024;
/// The sizes avatars are stored at, in pixels (square).
pub const AVATAR_SIZES: [u32; 2] = [256, 64];
const LINK_MAX: usize = 300;
const AVATAR_MAX_SIDE: u32 = 4096;

/// The social links a profile may carry: form field, label, and the hosts a link may point to
/// (empty: any host).
pub const LINK_KINDS: &[(&str, &str, &[&str])] = &[
    ("website", "Website", &[]),
    ("youtube", "YouTube", &["youtube.com", "youtu.be"]),
    ("instagram", "Instagram", &["instagram.com"]),
    ("twitch", "Twitch", &["twitch.tv"]),
    ("twitter", "X (Twitter)", &["x.com", "twitter.com"]),
    ("guilded", "Guilded", &["guilded.gg"]),
    (
        "discord",
        "Discord",
        &["discord.gg", "discord.com", "discordapp.com"],
    ),
];

/// What the profile settings form submits.
#[derive(Debug, Clone, Default)]
pub struct ProfileForm {
    pub pronouns: String,
    pub bio: String,
    /// Pairs of link kind (see [`LINK_KINDS`]) and what was typed.
    pub links: Vec<(String, String)>,
    pub youtube_intro: String,
    pub live_message: String,
}

/// A validated link, ready to show.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ProfileLink {
    pub kind: String,
    pub label: String,
    pub url: String,
}

/// A profile as pages show it.
#[derive(Debug, Clone)]
pub struct ProfileView {
    pub pronouns: String,
    /// The bio as written (for the settings form).
    pub bio: String,
    /// The bio rendered and sanitized.
    pub bio_html: String,
    pub links: Vec<ProfileLink>,
    /// A YouTube video id, or empty.
    pub youtube_intro: String,
    pub live_message: String,
    /// The avatar's URL path for a size, when one was uploaded.
    pub avatar_version: i64,
}

impl ProfileView {
    /// The URL of the avatar at `size` pixels, if the user uploaded one.
    pub fn avatar_url(&self, user_id: i64, size: u32) -> Option<String> {
        avatar_url(user_id, size, self.avatar_version)
    }

    /// The value typed for a link kind, for the settings form.
    pub fn link(&self, kind: &str) -> &str {
        self.links
            .iter()
            .find(|link| link.kind == kind)
            .map_or("", |link| link.url.as_str())
    }
}

/// The avatar URL path for a stored avatar version; version 0 means none was uploaded. The
/// version in the query string lets caches keep an avatar until it is replaced.
fn avatar_url(user_id: i64, size: u32, version: i64) -> Option<String> {
    (version > 0).then(|| format!("/avatars/{user_id}/{size}.png?v={version}"))
}

fn too_long(field: &'static str, label: &str, max: usize) -> FieldError {
    FieldError::new(
        field,
        format!("{label} can be at most {max} characters long."),
    )
}

fn plain_text(
    field: &'static str,
    label: &str,
    value: &str,
    max: usize,
) -> Result<String, FieldError> {
    let value = value.trim();
    if value.chars().count() > max {
        return Err(too_long(field, label, max));
    }
    if value.chars().any(char::is_control) {
        return Err(FieldError::new(
            field,
            format!("{label} cannot contain line breaks or control characters."),
        ));
    }
    Ok(value.to_owned())
}

/// Normalises a Discord invite given as `discord.gg/x`, `https://discord.com/invite/x` or a
/// bare code to `https://discord.gg/x`.
pub fn discord_invite(input: &str) -> Option<String> {
    let input = input.trim();
    let valid_code = |code: &str| {
        (2..=32).contains(&code.len())
            && code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    };
    if valid_code(input) {
        return Some(format!("https://discord.gg/{input}"));
    }
    let with_scheme = if input.contains("://") {
        input.to_owned()
    } else {
        format!("https://{input}")
    };
    let url = url::Url::parse(&with_scheme).ok()?;
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    let host = url.host_str()?.trim_start_matches("www.");
    let segments: Vec<&str> = url.path_segments()?.filter(|s| !s.is_empty()).collect();
    let code = match (host, segments.as_slice()) {
        ("discord.gg", [code]) => *code,
        ("discord.com" | "discordapp.com", ["invite", code]) => *code,
        _ => return None,
    };
    valid_code(code).then(|| format!("https://discord.gg/{code}"))
}

/// Checks a link: an http(s) URL (a scheme is added when missing) on one of `hosts`.
fn web_link(input: &str, hosts: &[&str]) -> Option<String> {
    let input = input.trim();
    if input.len() > LINK_MAX || input.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return None;
    }
    let with_scheme = if input.contains("://") {
        input.to_owned()
    } else {
        format!("https://{input}")
    };
    let url = url::Url::parse(&with_scheme).ok()?;
    if !matches!(url.scheme(), "http" | "https") || !url.username().is_empty() {
        return None;
    }
    let host = url.host_str()?.to_ascii_lowercase();
    if !host.contains('.') {
        return None;
    }
    let bare = host.trim_start_matches("www.").trim_start_matches("m.");
    if !hosts.is_empty() && !hosts.contains(&bare) {
        return None;
    }
    Some(url.to_string())
}

/// The id of a YouTube video given as an id or as a watch, share, embed or shorts URL.
pub fn youtube_id(input: &str) -> Option<String> {
    let input = input.trim();
    let valid = |id: &str| {
        id.len() == 11
            && id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    };
    if valid(input) {
        return Some(input.to_owned());
    }
    let with_scheme = if input.contains("://") {
        input.to_owned()
    } else {
        format!("https://{input}")
    };
    let url = url::Url::parse(&with_scheme).ok()?;
    let host = url.host_str()?.to_ascii_lowercase();
    let host = host.trim_start_matches("www.").trim_start_matches("m.");
    let segments: Vec<&str> = url.path_segments()?.filter(|s| !s.is_empty()).collect();
    let id = match (host, segments.as_slice()) {
        ("youtu.be", [id]) => (*id).to_owned(),
        ("youtube.com" | "youtube-nocookie.com", ["watch"]) => url
            .query_pairs()
            .find(|(key, _)| key == "v")
            .map(|(_, value)| value.into_owned())?,
        ("youtube.com" | "youtube-nocookie.com", ["embed" | "shorts" | "live", id]) => {
            (*id).to_owned()
        }
        _ => return None,
    };
    valid(&id).then_some(id)
}

fn validate(user_id: i64, form: &ProfileForm) -> Result<Profile, PlatformError> {
    let mut errors = Vec::new();
    let pronouns =
        plain_text("pronouns", "Pronouns", &form.pronouns, PRONOUNS_MAX).unwrap_or_else(|error| {
            errors.push(error);
            String::new()
        });
    let live_message = plain_text(
        "live_message",
        "The live message",
        &form.live_message,
        LIVE_MESSAGE_MAX,
    )
    .unwrap_or_else(|error| {
        errors.push(error);
        String::new()
    });
    let bio = form.bio.trim().replace("\r\n", "\n");
    if bio.chars().count() > BIO_MAX {
        errors.push(too_long("bio", "Your bio", BIO_MAX));
    }
    let youtube_intro = if form.youtube_intro.trim().is_empty() {
        String::new()
    } else {
        youtube_id(&form.youtube_intro).unwrap_or_else(|| {
            errors.push(FieldError::new(
                "youtube_intro",
                "Enter a YouTube video link (like https://www.youtube.com/watch?v=dQw4w9WgXcQ) or its 11-character id.",
            ));
            String::new()
        })
    };
    let mut links = Vec::new();
    for (kind, label, hosts) in LINK_KINDS {
        let Some((_, typed)) = form.links.iter().find(|(name, _)| name == kind) else {
            continue;
        };
        if typed.trim().is_empty() {
            continue;
        }
        let normalised = if *kind == "discord" {
            discord_invite(typed)
        } else {
            web_link(typed, hosts)
        };
        match normalised {
            Some(url) => links.push(ProfileLink {
                kind: (*kind).to_owned(),
                label: (*label).to_owned(),
                url,
            }),
            None => errors.push(FieldError::new(
                kind,
                if *kind == "discord" {
                    "Enter a Discord invite: a link like discord.gg/abc123 or just the code."
                        .to_owned()
                } else if hosts.is_empty() {
                    "Enter a web address starting with https://.".to_owned()
                } else {
                    format!(
                        "Enter a link to your {label} page (on {}).",
                        hosts.join(" or ")
                    )
                },
            )),
        }
    }
    if !errors.is_empty() {
        return Err(PlatformError::Invalid(errors));
    }
    let links = serde_json::to_string(&links)
        .map_err(|error| PlatformError::Internal(error.to_string()))?;
    Ok(Profile {
        user_id,
        pronouns,
        bio,
        links,
        youtube_intro,
        live_message,
        avatar_version: 0,
    })
}

fn avatar_error(message: impl Into<String>) -> PlatformError {
    PlatformError::invalid("avatar", message)
}

/// Decodes an uploaded avatar (PNG, JPEG or GIF, recognised by content, not by name) and
/// returns it resized to every size in [`AVATAR_SIZES`], encoded as PNG.
pub fn resize_avatar(bytes: &[u8]) -> Result<Vec<(u32, Vec<u8>)>, PlatformError> {
    if bytes.is_empty() {
        return Err(avatar_error("Choose an image file to upload."));
    }
    if bytes.len() > AVATAR_MAX_BYTES {
        return Err(avatar_error("Avatars can be at most 2 MB."));
    }
    let format = image::guess_format(bytes)
        .ok()
        .filter(|format| {
            matches!(
                format,
                ImageFormat::Png | ImageFormat::Jpeg | ImageFormat::Gif
            )
        })
        .ok_or_else(|| avatar_error("Avatars must be PNG, JPEG or GIF images."))?;
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(AVATAR_MAX_SIDE);
    limits.max_image_height = Some(AVATAR_MAX_SIDE);
    limits.max_alloc = Some(128 * 1024 * 1024);
    reader.limits(limits);
    let image = reader.decode().map_err(|_| {
        avatar_error("That image is damaged or larger than 4096×4096 pixels, so it cannot be used.")
    })?;
    AVATAR_SIZES
        .iter()
        .map(|&size| {
            let resized = image.resize_to_fill(size, size, FilterType::Triangle);
            let mut png = Cursor::new(Vec::new());
            resized
                .write_to(&mut png, ImageFormat::Png)
                .map_err(|error| PlatformError::Internal(format!("avatar encoding: {error}")))?;
            Ok((size, png.into_inner()))
        })
        .collect()
}

fn view(profile: Profile) -> ProfileView {
    let links: Vec<ProfileLink> = serde_json::from_str(&profile.links).unwrap_or_default();
    ProfileView {
        bio_html: render_markdown(&profile.bio),
        pronouns: profile.pronouns,
        bio: profile.bio,
        links,
        youtube_intro: profile.youtube_intro,
        live_message: profile.live_message,
        avatar_version: profile.avatar_version,
    }
}

impl Platform {
    fn avatar_dir(&self) -> std::path::PathBuf {
        self.settings.data_dir.join("avatars")
    }

    /// The profile of a user, ready to show.
    pub async fn profile_view(&self, user: &UserView) -> Result<ProfileView, PlatformError> {
        Ok(view(self.store.profile(user.id).await?))
    }

    /// Validates and saves the profile's text fields; every problem is reported at once.
    pub async fn save_profile(
        &self,
        user: &UserView,
        form: &ProfileForm,
    ) -> Result<(), PlatformError> {
        let profile = validate(user.id, form)?;
        self.store.save_profile(&profile).await?;
        Ok(())
    }

    /// Checks, resizes and stores an avatar; the old one is replaced.
    pub async fn upload_avatar(
        &self,
        user: &UserView,
        bytes: Vec<u8>,
    ) -> Result<(), PlatformError> {
        let resized = tokio::task::spawn_blocking(move || resize_avatar(&bytes))
            .await
            .map_err(|error| PlatformError::Internal(format!("avatar task: {error}")))??;
        let directory = self.avatar_dir();
        let io = |error: std::io::Error| PlatformError::Internal(format!("avatar file: {error}"));
        tokio::fs::create_dir_all(&directory).await.map_err(io)?;
        for (size, png) in resized {
            let name = format!("{}-{size}.png", user.id);
            let partial = directory.join(format!("{name}.partial"));
            tokio::fs::write(&partial, png).await.map_err(io)?;
            tokio::fs::rename(&partial, directory.join(name))
                .await
                .map_err(io)?;
        }
        self.store.bump_avatar_version(user.id).await?;
        self.avatar_versions.forget(user.id);
        Ok(())
    }

    /// The avatar URL paths of many users at `size` (`None` for those who have not uploaded
    /// one), read in one query without the rest of their profiles, and only for users whose
    /// version was not read in the last few seconds (see [`crate::avatar_versions`]): the API
    /// shows avatars next to every chat message and user of a list. Every requested id has an
    /// entry.
    pub async fn avatar_urls(
        &self,
        user_ids: &[i64],
        size: u32,
    ) -> Result<HashMap<i64, Option<String>>, PlatformError> {
        let now = std::time::Instant::now();
        let (mut versions, missing) = self.avatar_versions.lookup(user_ids, now);
        if !missing.is_empty() {
            let read = self.store.avatar_versions(&missing).await?;
            // Users without an upload are remembered as version 0, like those with one.
            let read: Vec<(i64, i64)> = missing
                .iter()
                .map(|id| (*id, read.get(id).copied().unwrap_or(0)))
                .collect();
            self.avatar_versions.remember(read.iter().copied(), now);
            versions.extend(read);
        }
        Ok(user_ids
            .iter()
            .map(|&id| {
                let version = versions.get(&id).copied().unwrap_or(0);
                (id, avatar_url(id, size, version))
            })
            .collect())
    }

    /// The stored avatar file of a user at one of [`AVATAR_SIZES`].
    pub fn avatar_path(&self, user_id: i64, size: u32) -> Option<std::path::PathBuf> {
        AVATAR_SIZES
            .contains(&size)
            .then(|| self.avatar_dir().join(format!("{user_id}-{size}.png")))
    }

    pub(crate) async fn remove_avatar_files(&self, user_id: i64) {
        for size in AVATAR_SIZES {
            if let Some(path) = self.avatar_path(user_id, size) {
                // Missing already is fine.
                let _ = tokio::fs::remove_file(path).await;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discord_invites_in_any_form_normalise() {
        for input in [
            "abc123",
            "discord.gg/abc123",
            "https://discord.gg/abc123",
            "https://discord.com/invite/abc123",
            "http://www.discordapp.com/invite/abc123/",
        ] {
            assert_eq!(
                discord_invite(input).as_deref(),
                Some("https://discord.gg/abc123"),
                "{input}"
            );
        }
        for input in [
            "javascript:alert(1)",
            "https://evil.example/invite/x",
            "a b",
            "",
        ] {
            assert_eq!(discord_invite(input), None, "{input}");
        }
    }

    #[test]
    fn links_must_be_web_addresses_on_the_right_site() {
        assert_eq!(
            web_link("example.com/me", &[]).as_deref(),
            Some("https://example.com/me")
        );
        assert!(web_link("javascript:alert(1)", &[]).is_none());
        assert!(web_link("https://user:pw@example.com", &[]).is_none());
        assert!(web_link("https://example.com/me", &["instagram.com"]).is_none());
        assert!(web_link("https://www.instagram.com/me", &["instagram.com"]).is_some());
        assert!(web_link("not a link", &[]).is_none());
    }

    #[test]
    fn youtube_ids_come_from_any_link_form() {
        for input in [
            "dQw4w9WgXcQ",
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=1",
            "https://youtu.be/dQw4w9WgXcQ",
            "youtube.com/shorts/dQw4w9WgXcQ",
        ] {
            assert_eq!(youtube_id(input).as_deref(), Some("dQw4w9WgXcQ"), "{input}");
        }
        assert_eq!(youtube_id("https://evil.example/watch?v=dQw4w9WgXcQ"), None);
        assert_eq!(youtube_id("\"><script>"), None);
    }

    #[test]
    fn avatars_are_decoded_and_resized() {
        let image = image::RgbImage::from_pixel(300, 200, image::Rgb([10, 20, 30]));
        let mut png = Cursor::new(Vec::new());
        image.write_to(&mut png, ImageFormat::Png).unwrap();
        let resized = resize_avatar(png.get_ref()).unwrap();
        for (size, bytes) in resized {
            let decoded = image::load_from_memory(&bytes).unwrap();
            assert_eq!((decoded.width(), decoded.height()), (size, size));
        }
        let mut fake = b"\x89PNG\r\n\x1a\n".to_vec();
        fake.extend(std::iter::repeat_n(0x41, 5000));
        assert!(resize_avatar(&fake).is_err());
        assert!(resize_avatar(b"<svg onload=alert(1)>").is_err());
    }
}
