//! Developer applications: creation (by any user on the settings page, or by the operator for
//! the ingest credential), editing, logos, secret rotation and deletion. Only an app's owner
//! may change it.

use std::io::Cursor;
use std::path::PathBuf;

use crate::{AppView, UserView};
use image::{ImageFormat, ImageReader, Limits};
use shimmer_store::{AppDetails, NewOAuthApp, StoreError};

use super::{random_client_id, random_credential};
use crate::{hash_token, FieldError, Platform, PlatformError};

/// The largest logo accepted.
pub const MAX_LOGO_BYTES: usize = 512 * 1024;
const MAX_LOGO_SIDE: u32 = 1024;
const MAX_REDIRECT_URIS: usize = 10;
/// How many applications one user may own: plenty for a developer, a bound for abuse.
pub const MAX_APPS_PER_USER: usize = 25;
const MAX_URL_CHARS: usize = 500;

/// The application form as submitted: redirect URIs one per line.
#[derive(Debug, Clone, Default)]
pub struct AppForm {
    pub name: String,
    pub description: String,
    pub homepage_url: String,
    pub redirect_uris: String,
}

/// A client secret shown once, right after it was made.
#[derive(Debug, Clone)]
pub struct NewAppSecret {
    pub app: AppView,
    pub client_secret: String,
}

/// The URL an app's logo is served at.
pub fn app_logo_src(app: &AppView) -> Option<String> {
    app.logo_path
        .as_ref()
        .map(|file| format!("/oauth/logos/{file}"))
}

/// Whether `uri` may receive authorization codes: HTTPS, or plain HTTP to this machine's
/// loopback (for desktop apps and local development), with no fragment.
fn check_redirect_uri(uri: &str) -> Result<(), String> {
    if uri.chars().count() > MAX_URL_CHARS {
        return Err(format!(
            "Redirect URIs can be at most {MAX_URL_CHARS} characters."
        ));
    }
    let parsed = url::Url::parse(uri).map_err(|_| format!("\"{uri}\" is not a complete URL."))?;
    if parsed.fragment().is_some() {
        return Err(format!("\"{uri}\" must not contain a # fragment."));
    }
    let loopback = matches!(parsed.host_str(), Some("127.0.0.1" | "localhost" | "[::1]"));
    match parsed.scheme() {
        "https" if parsed.host_str().is_some() => Ok(()),
        "http" if loopback => Ok(()),
        _ => Err(format!(
            "\"{uri}\" must use https (plain http is allowed only for 127.0.0.1, localhost and [::1])."
        )),
    }
}

fn check_homepage(url: &str) -> Result<(), String> {
    if url.is_empty() {
        return Ok(());
    }
    if url.chars().count() > MAX_URL_CHARS {
        return Err(format!(
            "The homepage can be at most {MAX_URL_CHARS} characters."
        ));
    }
    match url::Url::parse(url) {
        Ok(parsed) if matches!(parsed.scheme(), "http" | "https") => Ok(()),
        _ => Err("The homepage must be a full http:// or https:// address.".into()),
    }
}

impl AppForm {
    /// Validates the form into storable details, naming each bad field.
    pub fn validate(&self) -> Result<AppDetails, PlatformError> {
        let mut errors = Vec::new();
        let name = self.name.trim().to_owned();
        if !(3..=50).contains(&name.chars().count()) {
            errors.push(FieldError::new("name", "The name is 3 to 50 characters."));
        }
        let description = self.description.trim().to_owned();
        if description.chars().count() > 255 {
            errors.push(FieldError::new(
                "description",
                "The description can be at most 255 characters.",
            ));
        }
        let homepage_url = self.homepage_url.trim().to_owned();
        if let Err(message) = check_homepage(&homepage_url) {
            errors.push(FieldError::new("homepage_url", message));
        }
        let redirect_uris: Vec<String> = self
            .redirect_uris
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .map(str::to_owned)
            .collect();
        if redirect_uris.len() > MAX_REDIRECT_URIS {
            errors.push(FieldError::new(
                "redirect_uris",
                format!("An app can have at most {MAX_REDIRECT_URIS} redirect URIs."),
            ));
        } else if let Some(message) = redirect_uris
            .iter()
            .find_map(|uri| check_redirect_uri(uri).err())
        {
            errors.push(FieldError::new("redirect_uris", message));
        }
        if errors.is_empty() {
            Ok(AppDetails {
                name,
                description,
                homepage_url,
                redirect_uris,
            })
        } else {
            Err(PlatformError::Invalid(errors))
        }
    }
}

/// Checks an uploaded logo by decoding it: PNG, JPEG or GIF, square-ish sizes up to
/// 1024×1024 pixels and 512 KB. Returns its file extension.
fn check_logo(bytes: &[u8]) -> Result<&'static str, PlatformError> {
    let invalid = |message: &str| PlatformError::invalid("logo", message);
    if bytes.is_empty() {
        return Err(invalid("Choose an image file to upload."));
    }
    if bytes.len() > MAX_LOGO_BYTES {
        return Err(invalid("Logos can be at most 512 KB."));
    }
    let format = image::guess_format(bytes)
        .map_err(|_| invalid("Logos must be PNG, JPEG or GIF images."))?;
    let extension = match format {
        ImageFormat::Png => "png",
        ImageFormat::Jpeg => "jpg",
        ImageFormat::Gif => "gif",
        _ => return Err(invalid("Logos must be PNG, JPEG or GIF images.")),
    };
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_LOGO_SIDE);
    limits.max_image_height = Some(MAX_LOGO_SIDE);
    limits.max_alloc = Some(64 * 1024 * 1024);
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(limits);
    reader
        .decode()
        .map_err(|_| invalid("That image is damaged or larger than 1024×1024 pixels."))?;
    Ok(extension)
}

impl Platform {
    fn logo_dir(&self) -> PathBuf {
        self.settings.data_dir.join("app-logos")
    }

    /// Creates an application owned by `owner` and returns it with its secret (shown once).
    /// `ingest` makes the dedicated ingest credential; only the operator CLI passes it.
    pub async fn create_app(
        &self,
        owner: &UserView,
        form: &AppForm,
        ingest: bool,
    ) -> Result<NewAppSecret, PlatformError> {
        let details = form.validate()?;
        if self.store.oauth_apps_of_owner(owner.id).await?.len() >= MAX_APPS_PER_USER {
            return Err(PlatformError::invalid(
                "name",
                format!("You can have at most {MAX_APPS_PER_USER} applications; delete one first."),
            ));
        }
        let client_secret = random_credential(48);
        let app = self
            .store
            .create_oauth_app(&NewOAuthApp {
                owner_id: owner.id,
                details: &details,
                client_id: &random_client_id(),
                secret_hash: &hash_token(&client_secret),
                ingest,
            })
            .await?;
        Ok(NewAppSecret {
            app: app.into(),
            client_secret,
        })
    }

    /// The applications `owner` made.
    pub async fn apps_of(&self, owner: &UserView) -> Result<Vec<AppView>, PlatformError> {
        Ok(self
            .store
            .oauth_apps_of_owner(owner.id)
            .await?
            .into_iter()
            .map(AppView::from)
            .collect())
    }

    /// An application its owner may manage; anyone else is refused.
    pub async fn owned_app(&self, actor: &UserView, app_id: i64) -> Result<AppView, PlatformError> {
        let app = self.oauth_app(app_id).await?;
        if app.owner_id != actor.id {
            return Err(PlatformError::Forbidden);
        }
        Ok(app)
    }

    pub async fn update_app(
        &self,
        actor: &UserView,
        app_id: i64,
        form: &AppForm,
    ) -> Result<(), PlatformError> {
        self.owned_app(actor, app_id).await?;
        let details = form.validate()?;
        self.store.update_oauth_app(app_id, &details).await?;
        Ok(())
    }

    /// Replaces the client secret; the old one stops working at once.
    pub async fn rotate_app_secret(
        &self,
        actor: &UserView,
        app_id: i64,
    ) -> Result<NewAppSecret, PlatformError> {
        let app = self.owned_app(actor, app_id).await?;
        let client_secret = random_credential(48);
        self.store
            .set_oauth_app_secret(app.id, &hash_token(&client_secret))
            .await?;
        Ok(NewAppSecret { app, client_secret })
    }

    /// Deletes an application, its logo and every code and token issued to it.
    pub async fn delete_app(&self, actor: &UserView, app_id: i64) -> Result<(), PlatformError> {
        let app = self.owned_app(actor, app_id).await?;
        self.store.delete_oauth_app(app.id).await?;
        self.client_ids.forget_app(app.id);
        if let Some(logo) = &app.logo_path {
            let _ = tokio::fs::remove_file(self.logo_dir().join(logo)).await;
        }
        Ok(())
    }

    /// Sets an application's logo after decoding it.
    pub async fn set_app_logo(
        &self,
        actor: &UserView,
        app_id: i64,
        bytes: &[u8],
    ) -> Result<(), PlatformError> {
        let app = self.owned_app(actor, app_id).await?;
        let extension = check_logo(bytes)?;
        let directory = self.logo_dir();
        let file_name = format!("{}-{}.{extension}", app.id, random_credential(12));
        let io = |error: std::io::Error| {
            PlatformError::Refused(format!("could not store the logo: {error}"))
        };
        tokio::fs::create_dir_all(&directory).await.map_err(io)?;
        let partial = directory.join(format!("{file_name}.partial"));
        tokio::fs::write(&partial, bytes).await.map_err(io)?;
        tokio::fs::rename(&partial, directory.join(&file_name))
            .await
            .map_err(io)?;
        if let Err(error) = self
            .store
            .set_oauth_app_logo(app.id, Some(&file_name))
            .await
        {
            let _ = tokio::fs::remove_file(directory.join(&file_name)).await;
            return Err(error.into());
        }
        if let Some(old) = &app.logo_path {
            let _ = tokio::fs::remove_file(directory.join(old)).await;
        }
        Ok(())
    }

    /// A logo file for serving: its path and content type. Only names the database holds are
    /// served, so the name cannot reach outside the logo directory.
    pub async fn app_logo_file(
        &self,
        file_name: &str,
    ) -> Result<(PathBuf, &'static str), PlatformError> {
        let app_id: i64 = file_name
            .split_once('-')
            .and_then(|(id, _)| id.parse().ok())
            .ok_or(PlatformError::NotFound("No such logo."))?;
        let app = self
            .store
            .oauth_app(app_id)
            .await?
            .ok_or(PlatformError::NotFound("No such logo."))?;
        if app.logo_path.as_deref() != Some(file_name) {
            return Err(PlatformError::NotFound("No such logo."));
        }
        let content_type = match file_name.rsplit('.').next() {
            Some("png") => "image/png",
            Some("gif") => "image/gif",
            _ => "image/jpeg",
        };
        Ok((self.logo_dir().join(file_name), content_type))
    }

    /// Creates an application from the operator's shell for the user named `owner`.
    pub async fn create_app_for_username(
        &self,
        owner: &str,
        form: &AppForm,
        ingest: bool,
    ) -> Result<NewAppSecret, PlatformError> {
        let owner = self
            .user_by_username(owner)
            .await?
            .ok_or(PlatformError::NotFound("No user has that username."))?;
        self.create_app(&owner, form, ingest)
            .await
            .map_err(|error| match error {
                PlatformError::Store(StoreError::Conflict(_)) => {
                    PlatformError::Refused("A client id collided; try again.".into())
                }
                other => other,
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(redirect_uris: &str) -> AppForm {
        AppForm {
            name: "My bot".into(),
            description: String::new(),
            homepage_url: String::new(),
            redirect_uris: redirect_uris.into(),
        }
    }

    #[test]
    fn redirect_uris_need_https_except_on_loopback() {
        for good in [
            "https://example.com/callback",
            "http://127.0.0.1:8919/",
            "http://localhost/cb",
            "http://[::1]:3000/cb",
        ] {
            assert!(form(good).validate().is_ok(), "{good}");
        }
        for bad in [
            "http://example.com/callback",
            "http://127.0.0.2/",
            "ftp://example.com/",
            "https://example.com/#frag",
            "not a url",
            "javascript:alert(1)",
        ] {
            let error = form(bad).validate().unwrap_err().to_string();
            assert!(!error.is_empty(), "{bad}");
        }
        let many = (0..11)
            .map(|index| format!("https://example.com/{index}"))
            .collect::<Vec<_>>()
            .join("\n");
        assert!(form(&many)
            .validate()
            .unwrap_err()
            .to_string()
            .contains("at most 10"));
        let details = form("https://a.example/cb\r\n\r\n  https://b.example/cb ")
            .validate()
            .unwrap();
        assert_eq!(
            details.redirect_uris,
            ["https://a.example/cb", "https://b.example/cb"]
        );
    }

    #[test]
    fn logos_are_decoded() {
        let image = image::RgbaImage::from_pixel(64, 64, image::Rgba([1, 2, 3, 255]));
        let mut png = Vec::new();
        image
            .write_to(&mut Cursor::new(&mut png), ImageFormat::Png)
            .unwrap();
        assert_eq!(check_logo(&png).unwrap(), "png");
        let mut fake = b"\x89PNG\r\n\x1a\n".to_vec();
        fake.extend([0u8; 200]);
        assert!(check_logo(&fake)
            .unwrap_err()
            .to_string()
            .contains("damaged"));
        assert!(check_logo(b"<svg/>")
            .unwrap_err()
            .to_string()
            .contains("PNG, JPEG"));
    }
}
