//! Who may set and remove a channel's poster, per role (owner, staff, moderator, another user),
//! and that refused uploads store nothing. Runs the real domain over a real SQLite store.

mod harness;

use std::io::Cursor;

use shimmer_images::ThumbnailSize;
use shimmer_platform::accounts::{CreateOptions, Registration};
use shimmer_platform::views::ModeratorPermissions;
use shimmer_platform::UserView;
use shimmer_platform::{Platform, PlatformError};

async fn user(platform: &Platform, name: &str, is_admin: bool) -> UserView {
    let registration = Registration {
        username: name.into(),
        email: format!("{name}@example.com"),
        password: "password123".into(),
        preferences: None,
    };
    let options = CreateOptions {
        email_confirmed: true,
        is_admin,
    };
    platform
        .create_account(&registration, options)
        .await
        .unwrap()
}

fn png(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbImage::from_pixel(width, height, image::Rgb([30, 160, 90]));
    let mut bytes = Vec::new();
    image
        .write_to(&mut Cursor::new(&mut bytes), image::ImageFormat::Png)
        .unwrap();
    bytes
}

#[tokio::test]
async fn only_the_owner_and_staff_change_a_poster_and_bad_files_store_nothing() {
    let (platform, _dir) = harness::platform().await;
    let owner = user(&platform, "owner", false).await;
    let other = user(&platform, "neighbour", false).await;
    let moderator = user(&platform, "helper", false).await;
    let staff = user(&platform, "teamlead", true).await;
    let channel = platform.channel_of_user(owner.id).await.unwrap().id;
    platform
        .set_moderator(&owner, channel, "helper", ModeratorPermissions::ALL)
        .await
        .unwrap();

    for outsider in [&other, &moderator] {
        assert!(matches!(
            platform.set_poster(outsider, channel, png(640, 360)).await,
            Err(PlatformError::Forbidden)
        ));
    }
    assert_eq!(platform.poster_updated_at(channel).await.unwrap(), None);

    let mut fake = b"\x89PNG\r\n\x1a\n".to_vec();
    fake.extend(std::iter::repeat_n(7u8, 2048));
    match platform.set_poster(&owner, channel, fake).await {
        Err(PlatformError::Invalid(errors)) => {
            assert_eq!(errors[0].field, "poster");
            assert!(errors[0].message.contains("damaged"), "{errors:?}");
        }
        other => panic!("a fake PNG must be refused, got {other:?}"),
    }
    assert_eq!(platform.poster_updated_at(channel).await.unwrap(), None);

    platform
        .set_poster(&owner, channel, png(640, 360))
        .await
        .unwrap();
    let large = platform
        .poster(channel, ThumbnailSize::Large)
        .await
        .unwrap()
        .unwrap();
    let decoded = image::load_from_memory(&large.bytes).unwrap();
    assert_eq!((decoded.width(), decoded.height()), (832, 468));

    for outsider in [&other, &moderator] {
        assert!(matches!(
            platform.remove_poster(outsider, channel).await,
            Err(PlatformError::Forbidden)
        ));
    }
    assert!(platform.poster_updated_at(channel).await.unwrap().is_some());
    platform.remove_poster(&staff, channel).await.unwrap();
    assert_eq!(platform.poster_updated_at(channel).await.unwrap(), None);
    platform
        .set_poster(&staff, channel, png(1920, 1080))
        .await
        .unwrap();
    assert!(platform
        .poster(channel, ThumbnailSize::Small)
        .await
        .unwrap()
        .is_some());
}
