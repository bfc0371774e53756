//! Emotes: global ones uploaded by staff, channel ones named with the channel's prefix and
//! approved by staff before use. Every upload is checked by its magic bytes and decoded here,
//! so a file that merely claims to be an image is refused.

use std::io::Cursor;
use std::path::PathBuf;

use crate::channels::manages;
use crate::staff::audit::{AuditStep, AuditTarget};
use crate::staff::{staff_may, Permission};
use crate::UserView;
use image::codecs::gif::GifDecoder;
use image::{AnimationDecoder, ImageDecoder, ImageFormat, ImageReader, Limits};
use shimmer_bus::Event;
use shimmer_store::{Emote, EmoteStatus, NewEmote, StoreError};

use crate::{Platform, PlatformError};

pub const MAX_STATIC_BYTES: usize = 256 * 1024;
pub const MAX_ANIMATED_BYTES: usize = 1024 * 1024;
pub const MIN_SIDE: u32 = 28;
pub const MAX_SIDE: u32 = 512;
/// Animated emotes with more frames than this are refused (a decompression-bomb guard).
const MAX_FRAMES: usize = 300;
pub const MAX_CHANNEL_EMOTES: i64 = 100;

/// Where an emote goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmoteTarget {
    Global,
    Channel(i64),
}

/// A decoded, valid emote image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedImage {
    pub content_type: &'static str,
    pub animated: bool,
    pub width: u32,
    pub height: u32,
}

fn invalid(message: impl Into<String>) -> PlatformError {
    PlatformError::invalid("file", message)
}

fn limits() -> Limits {
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(64 * 1024 * 1024);
    limits
}

/// Checks an uploaded emote: PNG or GIF by magic bytes, decodable, square, 28–512 px, static up
/// to 256 KB and animated up to 1 MB.
pub fn check_image(bytes: &[u8]) -> Result<CheckedImage, PlatformError> {
    if bytes.is_empty() {
        return Err(invalid("Choose an image file to upload."));
    }
    if bytes.len() > MAX_ANIMATED_BYTES {
        return Err(invalid(
            "Emotes can be at most 1 MB (animated) or 256 KB (static).",
        ));
    }
    let checked = if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        let mut reader = ImageReader::with_format(Cursor::new(bytes), ImageFormat::Png);
        reader.limits(limits());
        let image = reader
            .decode()
            .map_err(|_| invalid("That PNG file is damaged or too large to use as an emote."))?;
        CheckedImage {
            content_type: "image/png",
            animated: false,
            width: image.width(),
            height: image.height(),
        }
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        let mut decoder = GifDecoder::new(Cursor::new(bytes))
            .map_err(|_| invalid("That GIF file is damaged."))?;
        decoder
            .set_limits(limits())
            .map_err(|_| invalid("That GIF is larger than 512×512 pixels."))?;
        let (width, height) = decoder.dimensions();
        let mut frames = 0usize;
        for frame in decoder.into_frames() {
            frame.map_err(|_| invalid("That GIF file is damaged."))?;
            frames += 1;
            if frames > MAX_FRAMES {
                return Err(invalid("That GIF has too many frames (at most 300)."));
            }
        }
        if frames == 0 {
            return Err(invalid("That GIF has no frames."));
        }
        CheckedImage {
            content_type: "image/gif",
            animated: frames > 1,
            width,
            height,
        }
    } else {
        return Err(invalid("Emotes must be PNG or GIF images."));
    };
    if !checked.animated && bytes.len() > MAX_STATIC_BYTES {
        return Err(invalid("Static emotes can be at most 256 KB."));
    }
    if checked.width != checked.height {
        return Err(invalid(format!(
            "Emotes must be square; this one is {}×{} pixels.",
            checked.width, checked.height
        )));
    }
    if !(MIN_SIDE..=MAX_SIDE).contains(&checked.width) {
        return Err(invalid(format!(
            "Emotes are 28 to 512 pixels wide; this one is {} pixels.",
            checked.width
        )));
    }
    Ok(checked)
}

fn all_alphanumeric(value: &str) -> bool {
    !value.is_empty() && value.chars().all(|c| c.is_ascii_alphanumeric())
}

/// The URL an emote image is served at.
pub fn emote_src(emote: &Emote) -> String {
    format!("/emotes/{}", emote.file_name())
}

impl Platform {
    /// Whether `viewer` may see the emote's image. Approved emotes are public; pending and
    /// rejected ones only for those who manage their channel (its owner and staff), so they
    /// can review them, and global ones only for staff.
    pub async fn may_see_emote(&self, viewer: Option<&UserView>, emote: &Emote) -> bool {
        if emote.status == EmoteStatus::Approved {
            return true;
        }
        let Some(viewer) = viewer else {
            return false;
        };
        match emote.channel_id {
            Some(channel_id) => match self.store.channel_by_id(channel_id).await {
                Ok(Some(channel)) => manages(viewer, channel.user_id),
                _ => staff_may(viewer, Permission::Emotes),
            },
            None => staff_may(viewer, Permission::Emotes),
        }
    }

    fn emote_dir(&self) -> PathBuf {
        self.settings.data_dir.join("emotes")
    }

    /// An emote's file, for serving: (path, content type, emote). The caller decides who may
    /// see emotes that are not approved.
    pub async fn emote_file(
        &self,
        file_name: &str,
    ) -> Result<(PathBuf, String, Emote), PlatformError> {
        let id: i64 = file_name
            .split_once('.')
            .and_then(|(id, _)| id.parse().ok())
            .ok_or(PlatformError::NotFound("No such emote."))?;
        let emote = self
            .store
            .emote(id)
            .await?
            .ok_or(PlatformError::NotFound("No such emote."))?;
        if emote.file_name() != file_name {
            return Err(PlatformError::NotFound("No such emote."));
        }
        Ok((
            self.emote_dir().join(emote.file_name()),
            emote.content_type.clone(),
            emote,
        ))
    }

    /// Sets the channel's five-character emote prefix; it cannot change while emotes use it.
    pub async fn set_emote_prefix(
        &self,
        actor: &UserView,
        channel_id: i64,
        prefix: &str,
    ) -> Result<(), PlatformError> {
        self.require_channel_manager(actor, channel_id).await?;
        let prefix = prefix.trim();
        if prefix.len() != 5 || !all_alphanumeric(prefix) {
            return Err(PlatformError::invalid(
                "prefix",
                "The prefix is exactly 5 letters or digits.",
            ));
        }
        if self.store.count_channel_emotes(channel_id).await? > 0
            && self.store.emote_prefix(channel_id).await?.as_deref() != Some(prefix)
        {
            return Err(PlatformError::invalid(
                "prefix",
                "Delete your emotes before changing the prefix.",
            ));
        }
        self.store
            .set_emote_prefix(channel_id, prefix)
            .await
            .map_err(|error| match error {
                StoreError::Conflict(_) => {
                    PlatformError::invalid("prefix", "Another channel already uses that prefix.")
                }
                other => other.into(),
            })
    }

    /// Uploads an emote: staff add global ones (approved at once); a channel's owner adds
    /// channel ones named prefix + `name`, which wait for staff approval.
    pub async fn upload_emote(
        &self,
        actor: &UserView,
        target: EmoteTarget,
        name: &str,
        bytes: &[u8],
    ) -> Result<Emote, PlatformError> {
        let name = name.trim();
        let (channel_id, full_name, status) = match target {
            EmoteTarget::Global => {
                Self::authorize_staff(actor, Permission::Emotes)?;
                if !(2..=15).contains(&name.len()) || !all_alphanumeric(name) {
                    return Err(PlatformError::invalid(
                        "name",
                        "Global emote names are 2 to 15 letters or digits.",
                    ));
                }
                (None, name.to_owned(), EmoteStatus::Approved)
            }
            EmoteTarget::Channel(channel_id) => {
                self.require_channel_manager(actor, channel_id).await?;
                let prefix = self.store.emote_prefix(channel_id).await?.ok_or_else(|| {
                    PlatformError::invalid("prefix", "Choose your channel's emote prefix first.")
                })?;
                if !(1..=10).contains(&name.len()) || !all_alphanumeric(name) {
                    return Err(PlatformError::invalid(
                        "name",
                        "The emote name after the prefix is 1 to 10 letters or digits.",
                    ));
                }
                if self.store.count_channel_emotes(channel_id).await? >= MAX_CHANNEL_EMOTES {
                    return Err(PlatformError::invalid(
                        "file",
                        "A channel can have at most 100 emotes.",
                    ));
                }
                (
                    Some(channel_id),
                    format!("{prefix}{name}"),
                    EmoteStatus::Pending,
                )
            }
        };
        let checked = check_image(bytes)?;
        let emote = self
            .store
            .insert_emote(&NewEmote {
                channel_id,
                name: &full_name,
                content_type: checked.content_type,
                animated: checked.animated,
                width: i64::from(checked.width),
                height: i64::from(checked.height),
                size_bytes: bytes.len() as i64,
                status,
                uploaded_by: actor.id,
            })
            .await
            .map_err(|error| match error {
                StoreError::Conflict(_) => {
                    PlatformError::invalid("name", "An emote with that name already exists.")
                }
                other => other.into(),
            })?;
        if let Err(error) = self.write_emote_file(&emote, bytes).await {
            self.store.delete_emote(emote.id).await?;
            return Err(error);
        }
        if status == EmoteStatus::Approved {
            self.emotes_changed(channel_id).await;
        }
        if channel_id.is_none() {
            self.audit(
                actor,
                AuditStep {
                    action: "add_global_emote",
                    after: Some(serde_json::json!({ "emote": emote.name })),
                    ..AuditStep::default()
                },
            )
            .await?;
        }
        Ok(emote)
    }

    async fn write_emote_file(&self, emote: &Emote, bytes: &[u8]) -> Result<(), PlatformError> {
        let directory = self.emote_dir();
        let io = |error: std::io::Error| {
            PlatformError::Refused(format!("could not store the emote: {error}"))
        };
        tokio::fs::create_dir_all(&directory).await.map_err(io)?;
        let partial = directory.join(format!("{}.partial", emote.id));
        tokio::fs::write(&partial, bytes).await.map_err(io)?;
        tokio::fs::rename(&partial, directory.join(emote.file_name()))
            .await
            .map_err(io)
    }

    /// Staff approve or reject a pending emote; a rejection needs a reason. Audited.
    pub async fn review_emote(
        &self,
        actor: &UserView,
        id: i64,
        approve: bool,
        reason: &str,
    ) -> Result<(), PlatformError> {
        Self::authorize_staff(actor, Permission::Emotes)?;
        let reason = reason.trim();
        if !approve && !(1..=200).contains(&reason.chars().count()) {
            return Err(PlatformError::invalid(
                "reason",
                "Give the streamer a reason (up to 200 characters).",
            ));
        }
        let emote = self
            .store
            .emote(id)
            .await?
            .ok_or(PlatformError::NotFound("No such emote."))?;
        let status = if approve {
            EmoteStatus::Approved
        } else {
            EmoteStatus::Rejected
        };
        if !self
            .store
            .review_emote(id, status, (!approve).then_some(reason), actor.id)
            .await?
        {
            return Err(PlatformError::Refused(
                "That emote was already reviewed.".into(),
            ));
        }
        self.emotes_changed(emote.channel_id).await;
        self.audit(
            actor,
            AuditStep {
                action: "review_emote",
                target: AuditTarget {
                    user: None,
                    channel_id: emote.channel_id,
                },
                before: Some(serde_json::json!({ "emote": emote.name, "status": "pending" })),
                after: Some(serde_json::json!({
                    "emote": emote.name,
                    "status": if approve { "approved" } else { "rejected" },
                })),
                reason,
            },
        )
        .await
    }

    /// Deletes an emote: its channel's owner or staff. Deleting a global emote is audited.
    pub async fn delete_emote(&self, actor: &UserView, id: i64) -> Result<(), PlatformError> {
        let emote = self
            .store
            .emote(id)
            .await?
            .ok_or(PlatformError::NotFound("No such emote."))?;
        match emote.channel_id {
            Some(channel_id) => {
                self.require_channel_manager(actor, channel_id).await?;
            }
            None if staff_may(actor, Permission::Emotes) => {}
            None => return Err(PlatformError::Forbidden),
        }
        self.store.delete_emote(id).await?;
        let _ = tokio::fs::remove_file(self.emote_dir().join(emote.file_name())).await;
        self.emotes_changed(emote.channel_id).await;
        if emote.channel_id.is_none() {
            self.audit(
                actor,
                AuditStep {
                    action: "delete_global_emote",
                    before: Some(serde_json::json!({ "emote": emote.name })),
                    ..AuditStep::default()
                },
            )
            .await?;
        }
        Ok(())
    }

    /// The approved emotes usable in a channel's chat: the platform's global ones first, then
    /// the channel's own.
    pub async fn chat_emotes(&self, channel_id: i64) -> Result<Vec<Emote>, PlatformError> {
        let mut emotes: Vec<Emote> = self.store.emotes_of(None).await?;
        emotes.extend(self.store.emotes_of(Some(channel_id)).await?);
        emotes.retain(|emote| emote.status == EmoteStatus::Approved);
        Ok(emotes)
    }

    /// The emotes `user` may use in a channel's chat (the picker): subscriber-only ones only
    /// for its subscribers and those who moderate it.
    pub async fn chat_emotes_for(
        &self,
        user: &UserView,
        channel_id: i64,
    ) -> Result<Vec<Emote>, PlatformError> {
        let mut emotes = self.chat_emotes(channel_id).await?;
        if emotes.iter().any(|emote| emote.subscribers_only) {
            let privileged = self
                .chat_permissions(Some(user), channel_id)
                .await?
                .is_moderator();
            let subscriber = self
                .store
                .channel_subscriber_ids(channel_id)
                .await?
                .contains(&user.id);
            if !privileged && !subscriber {
                emotes.retain(|emote| !emote.subscribers_only);
            }
        }
        Ok(emotes)
    }

    /// Makes a channel emote usable by the channel's subscribers only, or by everyone again
    /// (its channel's managers, while payments are on).
    pub async fn set_emote_subscribers_only(
        &self,
        actor: &UserView,
        id: i64,
        only: bool,
    ) -> Result<(), PlatformError> {
        if self.payments_config().is_none() {
            return Err(PlatformError::NotFound(
                "Payments are not enabled on this site.",
            ));
        }
        let emote = self
            .store
            .emote(id)
            .await?
            .ok_or(PlatformError::NotFound("That emote does not exist."))?;
        let Some(channel_id) = emote.channel_id else {
            return Err(PlatformError::Refused(
                "Global emotes are for everyone.".into(),
            ));
        };
        self.require_channel_manager(actor, channel_id).await?;
        self.store.set_emote_subscribers_only(id, only).await?;
        self.emotes_changed(Some(channel_id)).await;
        Ok(())
    }

    /// Reloads chat rooms that can use the changed emotes (one channel, or all for global ones).
    async fn emotes_changed(&self, channel_id: Option<i64>) {
        match channel_id {
            Some(channel_id) => {
                self.rooms.apply(&Event::ChannelUpdated { channel_id });
                self.publish(Event::ChannelUpdated { channel_id }).await;
            }
            None => self.rooms.clear(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let image = image::RgbaImage::from_pixel(width, height, image::Rgba([200, 50, 50, 255]));
        let mut bytes = Vec::new();
        image
            .write_to(&mut Cursor::new(&mut bytes), ImageFormat::Png)
            .unwrap();
        bytes
    }

    fn gif(side: u16, frames: usize) -> Vec<u8> {
        let mut bytes = Vec::new();
        {
            let mut encoder = image::codecs::gif::GifEncoder::new(&mut bytes);
            let frames = (0..frames).map(|index| {
                let pixel = image::Rgba([(index * 40) as u8, 0, 0, 255]);
                image::Frame::new(image::RgbaImage::from_pixel(
                    u32::from(side),
                    u32::from(side),
                    pixel,
                ))
            });
            encoder.encode_frames(frames).unwrap();
        }
        bytes
    }

    #[test]
    fn good_images_pass() {
        assert_eq!(
            check_image(&png(64, 64)).unwrap(),
            CheckedImage {
                content_type: "image/png",
                animated: false,
                width: 64,
                height: 64
            }
        );
        let animated = check_image(&gif(32, 3)).unwrap();
        assert!(animated.animated && animated.content_type == "image/gif");
        assert!(!check_image(&gif(32, 1)).unwrap().animated);
    }

    #[test]
    fn bad_images_are_refused_with_reasons() {
        let message = |bytes: &[u8]| check_image(bytes).unwrap_err().to_string();
        assert!(message(&png(64, 32)).contains("square"));
        assert!(message(&png(16, 16)).contains("28 to 512"));
        assert!(message(&png(600, 600)).contains("damaged or too large"));
        assert!(message(b"").contains("Choose an image"));
        assert!(message(b"<svg xmlns='http://www.w3.org/2000/svg'/>").contains("PNG or GIF"));
        let mut fake = b"\x89PNG\r\n\x1a\n".to_vec();
        fake.extend(std::iter::repeat_n(0x41, 1000));
        assert!(message(&fake).contains("damaged"));
        let mut fake_gif = b"GIF89a".to_vec();
        fake_gif.extend(std::iter::repeat_n(0x00, 100));
        assert!(message(&fake_gif).contains("damaged"));
        assert!(message(&vec![0u8; MAX_ANIMATED_BYTES + 1]).contains("at most 1 MB"));
    }
}
