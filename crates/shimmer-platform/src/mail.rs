//! Outgoing email: over SMTP when configured, otherwise into an outbox folder that the
//! development mailbox page lists, so a fresh install can confirm accounts without a mail server.

use std::path::PathBuf;

use async_trait::async_trait;
use lettre::message::{header::ContentType, Mailbox};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use serde::{Deserialize, Serialize};

/// One email to send.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutgoingMail {
    pub to: String,
    pub subject: String,
    /// Plain text: every email Shimmer sends reads fine without HTML.
    pub body: String,
}

/// Why an email could not be sent.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("invalid address {0:?}")]
    Address(String),
    #[error("could not build the message: {0}")]
    Build(String),
    #[error("SMTP delivery failed: {0}")]
    Smtp(String),
    #[error("could not write to the outbox: {0}")]
    Outbox(#[from] std::io::Error),
}

/// Something that delivers email.
#[async_trait]
pub trait Mailer: Send + Sync + 'static {
    async fn send(&self, mail: OutgoingMail) -> Result<(), MailError>;
}

fn build_message(from: &Mailbox, mail: &OutgoingMail) -> Result<Message, MailError> {
    let to: Mailbox = mail
        .to
        .parse()
        .map_err(|_| MailError::Address(mail.to.clone()))?;
    Message::builder()
        .from(from.clone())
        .to(to)
        .subject(&mail.subject)
        .header(ContentType::TEXT_PLAIN)
        .body(mail.body.clone())
        .map_err(|error| MailError::Build(error.to_string()))
}

/// SMTP settings, as in the `[smtp]` section of the configuration.
#[derive(Debug, Clone)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub username: Option<String>,
    pub password: Option<String>,
    /// `starttls` (default), `tls` (implicit TLS) or `none` (plain, for local relays).
    pub security: String,
    pub from: String,
}

/// Delivers through an SMTP server with lettre.
pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl SmtpMailer {
    pub fn new(settings: &SmtpSettings) -> Result<Self, MailError> {
        let from: Mailbox = settings
            .from
            .parse()
            .map_err(|_| MailError::Address(settings.from.clone()))?;
        let builder = match settings.security.as_str() {
            "tls" => AsyncSmtpTransport::<Tokio1Executor>::relay(&settings.host),
            "none" => Ok(AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(
                &settings.host,
            )),
            _ => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&settings.host),
        }
        .map_err(|error| MailError::Smtp(error.to_string()))?
        .port(settings.port)
        .timeout(Some(std::time::Duration::from_secs(15)));
        let builder = match (&settings.username, &settings.password) {
            (Some(username), Some(password)) => {
                builder.credentials(Credentials::new(username.clone(), password.clone()))
            }
            _ => builder,
        };
        Ok(Self {
            transport: builder.build(),
            from,
        })
    }
}

#[async_trait]
impl Mailer for SmtpMailer {
    async fn send(&self, mail: OutgoingMail) -> Result<(), MailError> {
        let message = build_message(&self.from, &mail)?;
        self.transport
            .send(message)
            .await
            .map_err(|error| MailError::Smtp(error.to_string()))?;
        Ok(())
    }
}

/// A mail written to the outbox, as the development mailbox lists it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoredMail {
    pub id: String,
    pub sent_at: i64,
    #[serde(flatten)]
    pub mail: OutgoingMail,
}

/// Writes each email into a folder: `<id>.eml` (the full message) and `<id>.json` (for listing).
pub struct OutboxMailer {
    directory: PathBuf,
    from: Mailbox,
}

impl OutboxMailer {
    pub fn new(directory: PathBuf, from: &str) -> Result<Self, MailError> {
        std::fs::create_dir_all(&directory)?;
        let from = from
            .parse()
            .map_err(|_| MailError::Address(from.to_owned()))?;
        Ok(Self { directory, from })
    }

    /// Every stored mail, newest first.
    pub fn list(directory: &std::path::Path) -> Result<Vec<StoredMail>, MailError> {
        let mut mails = Vec::new();
        let entries = match std::fs::read_dir(directory) {
            Ok(entries) => entries,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(mails),
            Err(error) => return Err(error.into()),
        };
        for entry in entries {
            let path = entry?.path();
            if path
                .extension()
                .is_some_and(|extension| extension == "json")
            {
                match serde_json::from_slice::<StoredMail>(&std::fs::read(&path)?) {
                    Ok(mail) => mails.push(mail),
                    Err(error) => {
                        tracing::warn!(path = %path.display(), %error, "unreadable outbox entry")
                    }
                }
            }
        }
        mails.sort_by(|a, b| b.sent_at.cmp(&a.sent_at).then_with(|| b.id.cmp(&a.id)));
        Ok(mails)
    }
}

#[async_trait]
impl Mailer for OutboxMailer {
    async fn send(&self, mail: OutgoingMail) -> Result<(), MailError> {
        let message = build_message(&self.from, &mail)?;
        let sent_at = shimmer_store::now_ms();
        let id = format!("{sent_at:013}-{}", crate::random_token(6));
        let stored = StoredMail {
            id: id.clone(),
            sent_at,
            mail,
        };
        let json =
            serde_json::to_vec_pretty(&stored).map_err(|e| MailError::Build(e.to_string()))?;
        tokio::fs::write(
            self.directory.join(format!("{id}.eml")),
            message.formatted(),
        )
        .await?;
        // The listing file is written last and renamed into place, so a listed mail is complete.
        let partial = self.directory.join(format!("{id}.json.partial"));
        tokio::fs::write(&partial, json).await?;
        tokio::fs::rename(&partial, self.directory.join(format!("{id}.json"))).await?;
        tracing::info!(to = %stored.mail.to, subject = %stored.mail.subject, id, "email written to the outbox");
        Ok(())
    }
}
