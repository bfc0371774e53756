//! The channel page's own parts, per role, over the real domain and a real SQLite store: about
//! panels (only the channel's owner or staff change them; checked and ordered; rendered safely)
//! and the chatter card (public facts for everyone, standing and history only for the
//! channel's moderators, owner and staff; limited per reader).

mod harness;

use shimmer_platform::accounts::{CreateOptions, Registration};
use shimmer_platform::chat::ModerationKind;
use shimmer_platform::panels::{PanelDraft, MAX_PANELS};
use shimmer_platform::views::ModeratorPermissions;
use shimmer_platform::{Platform, PlatformError, UserView};

async fn user(platform: &Platform, name: &str, is_admin: bool) -> UserView {
    let registration = Registration {
        username: name.into(),
        email: format!("{name}@example.com"),
        password: "password123".into(),
        preferences: None,
    };
    platform
        .create_account(
            &registration,
            CreateOptions {
                email_confirmed: true,
                is_admin,
            },
        )
        .await
        .unwrap()
}

fn draft(title: &str, body: &str, position: Option<u32>) -> PanelDraft {
    PanelDraft {
        title: title.into(),
        body: body.into(),
        position,
        remove: false,
    }
}

fn field_errors(
    result: Result<impl std::fmt::Debug, PlatformError>,
) -> Vec<(&'static str, String)> {
    match result {
        Err(PlatformError::Invalid(errors)) => errors
            .into_iter()
            .map(|error| (error.field, error.message))
            .collect(),
        other => panic!("expected field errors, got {other:?}"),
    }
}

#[tokio::test]
async fn only_the_owner_or_staff_change_panels_and_every_slot_is_checked() {
    let (platform, _dir) = harness::platform().await;
    let owner = user(&platform, "owner", false).await;
    let other = user(&platform, "other", false).await;
    let staff = user(&platform, "teamlead", true).await;
    let channel = platform.channel_of_user(owner.id).await.unwrap();
    let drafts = [
        draft("Schedule", "**Mondays** <b>18:00</b>", Some(2)),
        draft("Rules", "Be kind", Some(1)),
    ];

    assert!(matches!(
        platform.check_panels(&other, &channel, &drafts),
        Err(PlatformError::Forbidden)
    ));
    let set = platform.check_panels(&owner, &channel, &drafts).unwrap();
    assert_eq!(set.len(), 2);
    platform.save_panels(&set).await.unwrap();
    let panels = platform.channel_panels(channel.id).await.unwrap();
    let titles: Vec<&str> = panels.iter().map(|panel| panel.title.as_str()).collect();
    assert_eq!(
        titles,
        ["Rules", "Schedule"],
        "ordered by the places asked for"
    );
    assert_eq!(
        panels[1].body_html.trim(),
        "<p><strong>Mondays</strong> &lt;b&gt;18:00&lt;/b&gt;</p>"
    );
    // Staff may tidy a channel's panels; an empty or removed slot is dropped.
    let mut removed = draft("Rules", "Be kind", None);
    removed.remove = true;
    let set = platform
        .check_panels(&staff, &channel, &[removed, draft(" ", "", None)])
        .unwrap();
    assert!(set.is_empty());

    // Every problem at once, each next to its field.
    let long_title = "t".repeat(61);
    let long_body = "b".repeat(2001);
    let errors = field_errors(platform.check_panels(
        &owner,
        &channel,
        &[
            draft("", "text without a title", None),
            draft(&long_title, "fine", None),
            draft("Links", &long_body, None),
            draft("Empty", "", None),
            draft("Two\nlines", "fine", None),
        ],
    ));
    let fields: Vec<&str> = errors.iter().map(|(field, _)| *field).collect();
    assert_eq!(
        fields,
        ["title_0", "title_1", "body_2", "body_3", "title_4"]
    );
    assert_eq!(
        errors[1].1,
        "Panel 2's title is 61 characters long; it can be at most 60."
    );
    // Too many panels.
    let many: Vec<PanelDraft> = (0..=MAX_PANELS)
        .map(|i| draft(&format!("Panel {i}"), "text", None))
        .collect();
    assert!(matches!(
        platform.check_panels(&owner, &channel, &many),
        Err(PlatformError::Invalid(_))
    ));
    // Nothing refused was saved.
    assert_eq!(platform.channel_panels(channel.id).await.unwrap().len(), 2);
}

#[tokio::test]
async fn a_chatter_card_shows_history_only_to_the_channels_moderators() {
    let (platform, _dir) = harness::platform().await;
    let owner = user(&platform, "owner", false).await;
    let moderator = user(&platform, "modjo", false).await;
    let viewer = user(&platform, "viewer", false).await;
    let target = user(&platform, "target", false).await;
    let staff = user(&platform, "teamlead", true).await;
    let channel = platform.channel_of_user(owner.id).await.unwrap();
    platform
        .set_moderator(
            &owner,
            channel.id,
            "modjo",
            ModeratorPermissions {
                short_timeout: true,
                long_timeout: true,
                ban: true,
                unban: true,
                delete: false,
            },
        )
        .await
        .unwrap();
    platform.follow(target.id, owner.id).await.unwrap();
    platform
        .moderate_user(&moderator, channel.id, target.id, ModerationKind::Ban)
        .await
        .unwrap();
    platform
        .moderate_user(&moderator, channel.id, target.id, ModerationKind::Unban)
        .await
        .unwrap();
    let until = platform
        .moderate_user(&owner, channel.id, target.id, ModerationKind::ShortTimeout)
        .await
        .unwrap()
        .unwrap();

    for (reader, key) in [(None, "ip:visitor"), (Some(&viewer), "user:viewer")] {
        let card = platform
            .chatter_card(reader, key, channel.id, "TARGET")
            .await
            .unwrap();
        assert_eq!(card.username, "target");
        assert!(card.followed_at.is_some());
        assert_eq!(card.created_at, target.created_at);
        assert!(card.moderation.is_none(), "no history for {key}");
    }
    for (reader, key) in [
        (&moderator, "user:moderator"),
        (&owner, "user:owner"),
        (&staff, "user:staff"),
    ] {
        let card = platform
            .chatter_card(Some(reader), key, channel.id, "target")
            .await
            .unwrap();
        let moderation = card.moderation.expect("moderators see the standing");
        assert!(!moderation.banned);
        assert_eq!(moderation.timed_out_until, Some(until));
        let steps: Vec<(&str, Option<&str>)> = moderation
            .history
            .iter()
            .map(|step| (step.action.as_str(), step.moderator.as_deref()))
            .collect();
        assert_eq!(
            steps,
            [
                ("short_timeout", Some("owner")),
                ("unban", Some("modjo")),
                ("ban", Some("modjo"))
            ],
            "for {key}"
        );
    }
    // Badges as chat shows them.
    let card = platform
        .chatter_card(None, "ip:visitor", channel.id, "modjo")
        .await
        .unwrap();
    assert_eq!(card.badges, ["moderator"]);
    assert_eq!(card.followed_at, None);
    let card = platform
        .chatter_card(None, "ip:visitor", channel.id, "owner")
        .await
        .unwrap();
    assert_eq!(card.badges, ["streamer"]);
    // Unknown people and channels.
    assert!(matches!(
        platform
            .chatter_card(None, "ip:visitor", channel.id, "nobody")
            .await,
        Err(PlatformError::NotFound(_))
    ));
    assert!(matches!(
        platform
            .chatter_card(None, "ip:visitor", 9_999, "target")
            .await,
        Err(PlatformError::NotFound(_))
    ));
    // One reader opening cards without pause is slowed down; another is not.
    let mut limited = false;
    for _ in 0..40 {
        if let Err(PlatformError::RateLimited { .. }) = platform
            .chatter_card(None, "ip:busy", channel.id, "target")
            .await
        {
            limited = true;
            break;
        }
    }
    assert!(limited, "the limit applies");
    assert!(platform
        .chatter_card(None, "ip:calm", channel.id, "target")
        .await
        .is_ok());
}
