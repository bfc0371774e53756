//! Avatars of many users read at once give exactly the URLs each user's own profile gives.
//! Runs the real domain over a real SQLite store.

mod harness;

use std::io::Cursor;

use shimmer_platform::accounts::{CreateOptions, Registration};

fn png() -> Vec<u8> {
    let image = image::RgbImage::from_pixel(80, 80, image::Rgb([200, 40, 90]));
    let mut bytes = Vec::new();
    image
        .write_to(&mut Cursor::new(&mut bytes), image::ImageFormat::Png)
        .unwrap();
    bytes
}

#[tokio::test]
async fn many_users_avatars_come_back_in_one_call_as_their_profiles_give_them() {
    let (platform, _dir) = harness::platform().await;
    let mut users = Vec::new();
    for n in 0..6 {
        let registration = Registration {
            username: format!("painter{n}"),
            email: format!("painter{n}@example.com"),
            password: "password123".into(),
            preferences: None,
        };
        let options = CreateOptions {
            email_confirmed: true,
            is_admin: false,
        };
        users.push(
            platform
                .create_account(&registration, options)
                .await
                .unwrap(),
        );
    }
    // Every other user uploads an avatar; the first one uploads twice.
    for user in users.iter().step_by(2) {
        platform.upload_avatar(user, png()).await.unwrap();
    }
    platform.upload_avatar(&users[0], png()).await.unwrap();

    let ids: Vec<i64> = users.iter().map(|user| user.id).collect();
    let urls = platform.avatar_urls(&ids, 256).await.unwrap();
    assert_eq!(urls.len(), users.len());
    for (n, user) in users.iter().enumerate() {
        let profile = platform.profile_view(user).await.unwrap();
        assert_eq!(urls[&user.id], profile.avatar_url(user.id, 256), "{n}");
        let expected = match n {
            0 => Some(format!("/avatars/{}/256.png?v=2", user.id)),
            n if n % 2 == 0 => Some(format!("/avatars/{}/256.png?v=1", user.id)),
            _ => None,
        };
        assert_eq!(urls[&user.id], expected, "{n}");
    }
    // An id nobody has gets no avatar rather than an error.
    let urls = platform.avatar_urls(&[i64::MAX], 64).await.unwrap();
    assert_eq!(urls[&i64::MAX], None);
}
