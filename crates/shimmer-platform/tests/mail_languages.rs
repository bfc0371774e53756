//! Emails in the recipient's language: a password reset for someone who never saved a
//! language goes in the language of the request that asked for it (a saved one wins), and a
//! support request's acknowledgement and the staff alerts are worded in each reader's language.

mod harness;

use std::net::{IpAddr, Ipv4Addr};

use shimmer_i18n::Locale;
use shimmer_platform::accounts::{CreateOptions, Registration};
use shimmer_platform::mail::{OutboxMailer, StoredMail};
use shimmer_platform::support::SupportRequest;
use shimmer_platform::{Platform, UserView};

const IP: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);

async fn user(platform: &Platform, name: &str) -> UserView {
    let registration = Registration {
        username: name.into(),
        email: format!("{name}@example.com"),
        password: "password123".into(),
        preferences: None,
    };
    let options = CreateOptions {
        email_confirmed: true,
        is_admin: false,
    };
    platform
        .create_account(&registration, options)
        .await
        .unwrap()
}

/// The newest email to `to`.
fn latest(dir: &tempfile::TempDir, to: &str) -> StoredMail {
    OutboxMailer::list(&dir.path().join("outbox"))
        .unwrap()
        .into_iter()
        .find(|mail| mail.mail.to == to)
        .unwrap_or_else(|| panic!("no email to {to}"))
}

#[tokio::test]
async fn a_reset_without_a_saved_language_follows_the_request() {
    let (platform, dir) = harness::platform().await;
    let anna = user(&platform, "anna").await;
    platform
        .request_password_reset(&anna.email, IP, Locale::De)
        .await
        .unwrap();
    let mail = latest(&dir, &anna.email);
    assert_eq!(
        mail.mail.subject,
        Locale::De.message("mail-reset-subject", &[("site", "Shimmer".into())])
    );
    assert!(
        mail.mail.body.starts_with("Hallo anna,"),
        "{}",
        mail.mail.body
    );

    platform
        .request_password_reset(&anna.email, IP, Locale::Es)
        .await
        .unwrap();
    assert!(latest(&dir, &anna.email).mail.body.starts_with("Hola"));
}

#[tokio::test]
async fn a_visitors_support_request_is_acknowledged_in_the_requests_language() {
    let (platform, dir) = harness::platform().await;
    let request = SupportRequest {
        email: "visitor@example.com".into(),
        category: "payments".into(),
        subject: "Geld".into(),
        body: "Wo ist mein Geld?".into(),
    };
    let (id, to) = platform
        .file_support_request(None, IP, &request, Locale::De)
        .await
        .unwrap();
    let mail = latest(&dir, &to);
    assert_eq!(
        mail.mail.subject,
        format!("[#{id}] Wir haben deine Anfrage erhalten: Geld")
    );
    assert!(
        mail.mail
            .body
            .contains("(Zahlungen, Abos oder Auszahlungen)"),
        "{}",
        mail.mail.body
    );
    assert!(mail
        .mail
        .body
        .contains("Wer diesen Link hat, kann die Anfrage lesen"));
    assert!(!mail.mail.body.contains("Thank you"), "{}", mail.mail.body);

    let english = SupportRequest {
        email: "other@example.com".into(),
        ..request
    };
    let (_, to) = platform
        .file_support_request(None, IP, &english, Locale::En)
        .await
        .unwrap();
    assert!(latest(&dir, &to)
        .mail
        .body
        .starts_with("Thank you for writing to Shimmer support."));
}
