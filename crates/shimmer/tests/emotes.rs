//! Emotes end to end: upload with validation, the staff review queue, who may see what, and
//! approved emotes turning into emote tokens in chat.

mod support;

use std::io::Cursor;

use support::{Browser, Server};

fn png(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbaImage::from_pixel(width, height, image::Rgba([30, 160, 90, 255]));
    let mut bytes = Vec::new();
    image
        .write_to(&mut Cursor::new(&mut bytes), image::ImageFormat::Png)
        .unwrap();
    bytes
}

async fn upload(browser: &Browser, page: &str, name: &str, file: Vec<u8>) -> (u16, String) {
    let form = reqwest::multipart::Form::new()
        .text("name", name.to_owned())
        .part(
            "file",
            reqwest::multipart::Part::bytes(file).file_name("emote.png"),
        );
    browser.post_multipart(page, page, form).await
}

#[tokio::test]
async fn emotes_are_validated_reviewed_and_used() {
    let server = Server::start();
    server.create_admin("boss", "password123");
    server.create_user("artist", "password123", true);
    let staff = Browser::new(&server);
    assert_eq!(staff.login("boss", "password123").await, 303);
    support::enrol_two_factor(&staff).await;
    let artist = Browser::new(&server);
    assert_eq!(artist.login("artist", "password123").await, 303);
    let visitor = Browser::new(&server);

    // Staff add a global emote, approved at once and public.
    let (status, _) = upload(&staff, "/staff/emotes", "shimmerHi", png(64, 64)).await;
    assert_eq!(status, 303);
    let (_, staff_page) = staff.get("/staff/emotes").await;
    assert!(staff_page.contains("shimmerHi"));
    assert_eq!(visitor.get("/emotes/1.png").await.0, 200);

    // Ordinary users cannot reach the staff queue or add global emotes.
    assert_eq!(artist.get("/staff/emotes").await.0, 403);
    assert_eq!(
        upload(&artist, "/staff/emotes", "sneaky", png(64, 64))
            .await
            .0,
        403
    );

    // A channel emote needs a prefix first.
    let (status, body) = upload(&artist, "/users/settings/emotes", "wave", png(64, 64)).await;
    assert_eq!(status, 422);
    assert!(body.contains("prefix first"), "{body}");
    let (status, _, body) = artist
        .post_form(
            "/users/settings/emotes",
            "/users/settings/emotes/prefix",
            &[("prefix", "ab!")],
        )
        .await;
    assert_eq!(status, 422);
    assert!(body.contains("exactly 5 letters or digits"));
    let (status, _, _) = artist
        .post_form(
            "/users/settings/emotes",
            "/users/settings/emotes/prefix",
            &[("prefix", "artst")],
        )
        .await;
    assert_eq!(status, 303);

    // Bad files are refused with reasons.
    let mut fake = b"\x89PNG\r\n\x1a\n".to_vec();
    fake.extend(std::iter::repeat_n(b'A', 4000));
    for (file, reason) in [
        (fake, "damaged"),
        (png(64, 40), "square"),
        (png(20, 20), "28 to 512"),
        (b"<svg/>".to_vec(), "PNG or GIF"),
    ] {
        let (status, body) = upload(&artist, "/users/settings/emotes", "wave", file).await;
        assert_eq!(status, 422, "{reason}");
        assert!(body.contains(reason), "{reason}: {body}");
    }
    let (status, _) = upload(
        &artist,
        "/users/settings/emotes",
        "wave",
        vec![0u8; 3 * 1024 * 1024],
    )
    .await;
    assert_eq!(
        status, 413,
        "an oversized upload is refused before it is read"
    );

    // A good one waits for review and is visible only to its owner and staff.
    let (status, _) = upload(&artist, "/users/settings/emotes", "wave", png(112, 112)).await;
    assert_eq!(status, 303);
    let (_, page) = artist.get("/users/settings/emotes").await;
    assert!(page.contains("artstwave") && page.contains("pending"));
    assert_eq!(visitor.get("/emotes/2.png").await.0, 404);
    assert_eq!(artist.get("/emotes/2.png").await.0, 200);
    assert_eq!(staff.get("/emotes/2.png").await.0, 200);

    // Rejecting needs a reason; then staff approve a second upload.
    let (status, _, body) = staff
        .post_form(
            "/staff/emotes",
            "/staff/emotes/2/review",
            &[("decision", "reject"), ("reason", "")],
        )
        .await;
    assert_eq!(status, 422);
    assert!(body.contains("reason"));
    let (status, _, _) = staff
        .post_form(
            "/staff/emotes",
            "/staff/emotes/2/review",
            &[("decision", "reject"), ("reason", "Too blurry")],
        )
        .await;
    assert_eq!(status, 303);
    let (_, page) = artist.get("/users/settings/emotes").await;
    assert!(page.contains("rejected: Too blurry"));
    let (status, _) = upload(&artist, "/users/settings/emotes", "wave2", png(112, 112)).await;
    assert_eq!(status, 303);
    let (status, _, _) = staff
        .post_form(
            "/staff/emotes",
            "/staff/emotes/3/review",
            &[("decision", "approve")],
        )
        .await;
    assert_eq!(status, 303);
    assert_eq!(visitor.get("/emotes/3.png").await.0, 200);
    // Each review is in the staff audit log, the rejection with its reason.
    let (_, audit) = staff.get("/staff/audit?action=review_emote").await;
    assert_eq!(audit.matches("data-testid=\"audit-entry\"").count(), 2);
    assert!(audit.contains("Too blurry"), "{audit}");
    let (_, audit) = staff.get("/staff/audit?action=add_global_emote").await;
    assert!(audit.contains("shimmerHi"), "{audit}");
    let (status, _, _) = staff
        .post_form(
            "/staff/emotes",
            "/staff/emotes/3/review",
            &[("decision", "approve")],
        )
        .await;
    assert_eq!(status, 409, "a decision is made once");
}
