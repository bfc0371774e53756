//! The SMTP mailer, through lettre's real client, against a local stand-in that speaks SMTP and
//! keeps what it receives.

use std::sync::{Arc, Mutex};

use shimmer_platform::mail::{Mailer, OutgoingMail, SmtpMailer, SmtpSettings};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// A minimal SMTP server: accepts one session at a time and records envelope and data.
async fn smtp_stand_in() -> (u16, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let received = Arc::new(Mutex::new(Vec::new()));
    let log = received.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let (reader, mut writer) = stream.into_split();
            let mut lines = BufReader::new(reader).lines();
            writer.write_all(b"220 stand-in ESMTP\r\n").await.unwrap();
            let mut in_data = false;
            let mut data = String::new();
            while let Ok(Some(line)) = lines.next_line().await {
                if in_data {
                    if line == "." {
                        in_data = false;
                        log.lock().unwrap().push(std::mem::take(&mut data));
                        writer.write_all(b"250 queued\r\n").await.unwrap();
                    } else {
                        data.push_str(&line);
                        data.push('\n');
                    }
                    continue;
                }
                let verb = line
                    .split_whitespace()
                    .next()
                    .unwrap_or_default()
                    .to_ascii_uppercase();
                let reply: &[u8] = match verb.as_str() {
                    "EHLO" | "HELO" => b"250-stand-in\r\n250 8BITMIME\r\n",
                    "MAIL" | "RCPT" | "RSET" | "NOOP" => {
                        log.lock().unwrap().push(line.clone());
                        b"250 ok\r\n"
                    }
                    "DATA" => {
                        in_data = true;
                        b"354 go ahead\r\n"
                    }
                    "QUIT" => {
                        writer.write_all(b"221 bye\r\n").await.unwrap();
                        break;
                    }
                    _ => b"502 unknown\r\n",
                };
                writer.write_all(reply).await.unwrap();
            }
        }
    });
    (port, received)
}

#[tokio::test]
async fn mail_is_delivered_over_smtp() {
    let (port, received) = smtp_stand_in().await;
    let mailer = SmtpMailer::new(&SmtpSettings {
        host: "127.0.0.1".into(),
        port,
        username: None,
        password: None,
        security: "none".into(),
        from: "Shimmer <noreply@example.com>".into(),
    })
    .unwrap();
    mailer
        .send(OutgoingMail {
            to: "viewer@example.com".into(),
            subject: "Confirm your email for Shimmer".into(),
            body: "Open http://127.0.0.1/users/confirm/abc\n".into(),
        })
        .await
        .unwrap();
    let received = received.lock().unwrap().clone();
    assert!(
        received
            .iter()
            .any(|line| line.contains("MAIL FROM:<noreply@example.com>")),
        "{received:?}"
    );
    assert!(
        received
            .iter()
            .any(|line| line.contains("RCPT TO:<viewer@example.com>")),
        "{received:?}"
    );
    let data = received.last().unwrap();
    assert!(
        data.contains("Subject: Confirm your email for Shimmer"),
        "{data}"
    );
    assert!(data.contains("/users/confirm/abc"), "{data}");
}

#[tokio::test]
async fn an_unreachable_server_is_a_clear_error() {
    let mailer = SmtpMailer::new(&SmtpSettings {
        host: "127.0.0.1".into(),
        port: 1,
        username: None,
        password: None,
        security: "none".into(),
        from: "noreply@example.com".into(),
    })
    .unwrap();
    let error = mailer
        .send(OutgoingMail {
            to: "a@example.com".into(),
            subject: "s".into(),
            body: "b".into(),
        })
        .await
        .unwrap_err();
    assert!(
        error.to_string().starts_with("SMTP delivery failed"),
        "{error}"
    );
    let bad_address = mailer
        .send(OutgoingMail {
            to: "not an address".into(),
            subject: "s".into(),
            body: "b".into(),
        })
        .await
        .unwrap_err();
    assert!(
        bad_address.to_string().contains("invalid address"),
        "{bad_address}"
    );
}
