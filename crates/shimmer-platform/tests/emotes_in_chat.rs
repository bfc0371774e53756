//! Approved emotes become emote tokens in chat; pending ones stay text.

mod harness;

use std::io::Cursor;
use std::net::{IpAddr, Ipv4Addr};

use shimmer_bus::chat::ChatToken;
use shimmer_platform::accounts::{CreateOptions, Registration};
use shimmer_platform::emotes::EmoteTarget;

fn png(side: u32) -> Vec<u8> {
    let image = image::RgbaImage::from_pixel(side, side, image::Rgba([1, 2, 3, 255]));
    let mut bytes = Vec::new();
    image
        .write_to(&mut Cursor::new(&mut bytes), image::ImageFormat::Png)
        .unwrap();
    bytes
}

#[tokio::test]
async fn approved_emotes_render_as_emotes_and_a_lone_one_is_large() {
    let (platform, _dir) = harness::platform().await;
    let create = |name: &str| Registration {
        username: name.into(),
        email: format!("{name}@example.com"),
        password: "password123".into(),
        preferences: None,
    };
    let owner = platform
        .create_account(
            &create("owner"),
            CreateOptions {
                email_confirmed: true,
                is_admin: false,
            },
        )
        .await
        .unwrap();
    let boss = platform
        .create_account(
            &create("boss"),
            CreateOptions {
                email_confirmed: true,
                is_admin: true,
            },
        )
        .await
        .unwrap();
    let channel_id = platform.channel_of_user(owner.id).await.unwrap().id;
    let ip = IpAddr::V4(Ipv4Addr::LOCALHOST);

    platform
        .upload_emote(&boss, EmoteTarget::Global, "hype", &png(64))
        .await
        .unwrap();
    platform
        .set_emote_prefix(&owner, channel_id, "ownr1")
        .await
        .unwrap();
    let pending = platform
        .upload_emote(&owner, EmoteTarget::Channel(channel_id), "wave", &png(64))
        .await
        .unwrap();
    assert!(platform
        .settings
        .data_dir
        .join("emotes")
        .join(pending.file_name())
        .exists());

    let message = platform
        .send_chat_message(&owner, channel_id, "hype ownr1wave", ip)
        .await
        .unwrap();
    assert!(matches!(&message.tokens[0], ChatToken::Emote { text, .. } if text == "hype"));
    assert_eq!(message.tokens.len(), 2);
    assert!(
        matches!(&message.tokens[1], ChatToken::Text { text } if text == " ownr1wave"),
        "pending emotes stay text"
    );

    platform
        .review_emote(&boss, pending.id, true, "")
        .await
        .unwrap();
    let message = platform
        .send_chat_message(&owner, channel_id, "ownr1wave", ip)
        .await
        .unwrap();
    assert!(message.is_single_emote());
    let picker: Vec<String> = platform
        .chat_emotes(channel_id)
        .await
        .unwrap()
        .into_iter()
        .map(|emote| emote.name)
        .collect();
    assert_eq!(
        picker,
        vec!["hype".to_owned(), "ownr1wave".to_owned()],
        "the platform's emotes come first"
    );

    // The prefix cannot change while emotes use it, and another channel cannot take it.
    assert!(platform
        .set_emote_prefix(&owner, channel_id, "other")
        .await
        .is_err());
    let other = platform
        .create_account(
            &create("other"),
            CreateOptions {
                email_confirmed: true,
                is_admin: false,
            },
        )
        .await
        .unwrap();
    let other_channel = platform.channel_of_user(other.id).await.unwrap().id;
    let taken = platform
        .set_emote_prefix(&other, other_channel, "ownr1")
        .await
        .unwrap_err();
    assert!(
        taken.to_string().contains("already uses that prefix"),
        "{taken}"
    );
    assert!(
        platform
            .upload_emote(&other, EmoteTarget::Channel(channel_id), "x", &png(64))
            .await
            .is_err(),
        "only the owner uploads to a channel"
    );
}
