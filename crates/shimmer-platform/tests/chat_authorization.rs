//! Who may do what in chat, per role: visitor, user, moderator with each single permission,
//! channel owner and staff, for every action. Runs the real domain over a real SQLite store.

mod harness;

use std::net::{IpAddr, Ipv4Addr};

use shimmer_platform::accounts::{CreateOptions, Registration};
use shimmer_platform::chat::{ChatError, ModerationKind};
use shimmer_platform::views::{ChatSettings, ModeratorPermissions};
use shimmer_platform::UserView;
use shimmer_platform::{Platform, PlatformError};
use shimmer_store::Store;

const IP: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);

struct World {
    platform: Platform,
    store: Store,
    _dir: tempfile::TempDir,
    channel_id: i64,
    owner: UserView,
    staff: UserView,
}

async fn user(platform: &Platform, name: &str, options: CreateOptions) -> UserView {
    let registration = Registration {
        username: name.into(),
        email: format!("{name}@example.com"),
        password: "password123".into(),
        preferences: None,
    };
    platform
        .create_account(&registration, options)
        .await
        .unwrap()
}

async fn world() -> World {
    let (platform, store, dir) = harness::platform_and_store().await;
    let confirmed = CreateOptions {
        email_confirmed: true,
        is_admin: false,
    };
    let owner = user(&platform, "owner", confirmed).await;
    let staff = user(
        &platform,
        "teamlead",
        CreateOptions {
            email_confirmed: true,
            is_admin: true,
        },
    )
    .await;
    let channel_id = platform.channel_of_user(owner.id).await.unwrap().id;
    World {
        platform,
        store,
        _dir: dir,
        channel_id,
        owner,
        staff,
    }
}

fn forbidden<T: std::fmt::Debug>(result: Result<T, PlatformError>) -> bool {
    matches!(result, Err(PlatformError::Forbidden))
}

const ONLY: [(&str, ModeratorPermissions); 5] = [
    (
        "short_timeout",
        ModeratorPermissions {
            short_timeout: true,
            long_timeout: false,
            ban: false,
            unban: false,
            delete: false,
        },
    ),
    (
        "long_timeout",
        ModeratorPermissions {
            short_timeout: false,
            long_timeout: true,
            ban: false,
            unban: false,
            delete: false,
        },
    ),
    (
        "ban",
        ModeratorPermissions {
            short_timeout: false,
            long_timeout: false,
            ban: true,
            unban: false,
            delete: false,
        },
    ),
    (
        "unban",
        ModeratorPermissions {
            short_timeout: false,
            long_timeout: false,
            ban: false,
            unban: true,
            delete: false,
        },
    ),
    (
        "delete",
        ModeratorPermissions {
            short_timeout: false,
            long_timeout: false,
            ban: false,
            unban: false,
            delete: true,
        },
    ),
];

#[tokio::test]
async fn each_moderator_permission_allows_exactly_its_action() {
    let world = world().await;
    let platform = &world.platform;
    let confirmed = CreateOptions {
        email_confirmed: true,
        is_admin: false,
    };
    for (name, permissions) in ONLY {
        let moderator = user(platform, &format!("mod_{name}"), confirmed).await;
        let target = user(platform, &format!("target_{name}"), confirmed).await;
        platform
            .set_moderator(
                &world.owner,
                world.channel_id,
                &moderator.username,
                permissions,
            )
            .await
            .unwrap();
        let message = platform
            .send_chat_message(&target, world.channel_id, "hello", IP)
            .await
            .unwrap();

        for kind in [
            ModerationKind::ShortTimeout,
            ModerationKind::LongTimeout,
            ModerationKind::Ban,
            ModerationKind::Unban,
        ] {
            let result = platform
                .moderate_user(&moderator, world.channel_id, target.id, kind)
                .await;
            if kind.as_str() == name {
                assert!(result.is_ok(), "{name} may {}: {result:?}", kind.as_str());
                platform
                    .moderate_user(
                        &world.owner,
                        world.channel_id,
                        target.id,
                        ModerationKind::Unban,
                    )
                    .await
                    .unwrap();
            } else {
                assert!(forbidden(result), "{name} may not {}", kind.as_str());
            }
        }
        let deleted = platform
            .delete_chat_message(&moderator, world.channel_id, message.id)
            .await;
        assert_eq!(
            deleted.is_ok(),
            name == "delete",
            "{name} deleting: {deleted:?}"
        );

        // No single permission lets a moderator manage moderators or settings.
        assert!(forbidden(
            platform
                .set_moderator(
                    &moderator,
                    world.channel_id,
                    "teamlead",
                    ModeratorPermissions::ALL
                )
                .await
        ));
        assert!(forbidden(
            platform
                .update_chat_settings(&moderator, world.channel_id, &ChatSettings::default())
                .await
        ));
        assert!(forbidden(
            platform.moderators(&moderator, world.channel_id).await
        ));
        // Every moderator may read the log and the ban list.
        assert!(platform
            .moderation_log(&moderator, world.channel_id)
            .await
            .is_ok());
        assert!(platform
            .channel_bans(&moderator, world.channel_id)
            .await
            .is_ok());
    }
}

#[tokio::test]
async fn users_visitors_owners_and_staff() {
    let world = world().await;
    let platform = &world.platform;
    let confirmed = CreateOptions {
        email_confirmed: true,
        is_admin: false,
    };
    let viewer = user(platform, "viewer", confirmed).await;
    let target = user(platform, "target", confirmed).await;
    let message = platform
        .send_chat_message(&target, world.channel_id, "hi", IP)
        .await
        .unwrap();

    // A visitor can only read.
    let visitor = platform
        .chat_permissions(None, world.channel_id)
        .await
        .unwrap();
    assert!(!visitor.can_send && !visitor.is_moderator());
    assert_eq!(
        platform.chat_history(world.channel_id).await.unwrap().len(),
        1
    );

    // An ordinary user sends but moderates nothing.
    let permissions = platform
        .chat_permissions(Some(&viewer), world.channel_id)
        .await
        .unwrap();
    assert!(permissions.can_send && !permissions.is_moderator());
    for kind in [
        ModerationKind::ShortTimeout,
        ModerationKind::LongTimeout,
        ModerationKind::Ban,
        ModerationKind::Unban,
    ] {
        assert!(forbidden(
            platform
                .moderate_user(&viewer, world.channel_id, target.id, kind)
                .await
        ));
    }
    assert!(forbidden(
        platform
            .delete_chat_message(&viewer, world.channel_id, message.id)
            .await
    ));
    assert!(forbidden(
        platform.moderation_log(&viewer, world.channel_id).await
    ));
    assert!(forbidden(
        platform.channel_bans(&viewer, world.channel_id).await
    ));
    assert!(forbidden(
        platform
            .update_chat_settings(&viewer, world.channel_id, &ChatSettings::default())
            .await
    ));

    // The owner and staff may do everything, in any order.
    for actor in [&world.owner, &world.staff] {
        for kind in [
            ModerationKind::ShortTimeout,
            ModerationKind::LongTimeout,
            ModerationKind::Ban,
            ModerationKind::Unban,
        ] {
            platform
                .moderate_user(actor, world.channel_id, target.id, kind)
                .await
                .unwrap();
        }
        platform
            .set_moderator(actor, world.channel_id, "viewer", ModeratorPermissions::ALL)
            .await
            .unwrap();
        platform
            .remove_moderator(actor, world.channel_id, viewer.id)
            .await
            .unwrap();
        platform
            .update_chat_settings(
                actor,
                world.channel_id,
                &ChatSettings {
                    links_clickable: true,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
    }
    // The timeouts above already hid the target's message; staff delete someone else's.
    let bystander = user(platform, "bystander", confirmed).await;
    let other = platform
        .send_chat_message(&bystander, world.channel_id, "hello", IP)
        .await
        .unwrap();
    platform
        .delete_chat_message(&world.staff, world.channel_id, other.id)
        .await
        .unwrap();
    let gone = platform
        .delete_chat_message(&world.owner, world.channel_id, message.id)
        .await;
    assert!(matches!(gone, Err(PlatformError::NotFound(_))), "{gone:?}");
    // Nobody moderates the streamer in their own channel, and moderators cannot act on moderators.
    let refused = platform
        .moderate_user(
            &world.staff,
            world.channel_id,
            world.owner.id,
            ModerationKind::Ban,
        )
        .await;
    assert!(
        matches!(refused, Err(PlatformError::Refused(_))),
        "{refused:?}"
    );
    let moderator = user(platform, "modone", confirmed).await;
    let other_moderator = user(platform, "othermod", confirmed).await;
    platform
        .set_moderator(
            &world.owner,
            world.channel_id,
            "modone",
            ModeratorPermissions::ALL,
        )
        .await
        .unwrap();
    platform
        .set_moderator(
            &world.owner,
            world.channel_id,
            "othermod",
            ModeratorPermissions::ALL,
        )
        .await
        .unwrap();
    let refused = platform
        .moderate_user(
            &moderator,
            world.channel_id,
            other_moderator.id,
            ModerationKind::Ban,
        )
        .await;
    assert!(
        matches!(refused, Err(PlatformError::Refused(_))),
        "{refused:?}"
    );

    // Another channel's owner has no power here.
    let stranger = user(platform, "stranger", confirmed).await;
    assert!(forbidden(
        platform
            .moderate_user(&stranger, world.channel_id, target.id, ModerationKind::Ban)
            .await
    ));
}

#[tokio::test]
async fn timeouts_hide_only_that_users_messages_and_refuse_with_the_time_left() {
    let world = world().await;
    let platform = &world.platform;
    let confirmed = CreateOptions {
        email_confirmed: true,
        is_admin: false,
    };
    let noisy = user(platform, "noisy", confirmed).await;
    let calm = user(platform, "calm", confirmed).await;
    platform
        .send_chat_message(&noisy, world.channel_id, "spam one", IP)
        .await
        .unwrap();
    platform
        .send_chat_message(&calm, world.channel_id, "hello", IP)
        .await
        .unwrap();
    platform
        .send_chat_message(&noisy, world.channel_id, "spam two", IP)
        .await
        .unwrap();
    platform
        .moderate_user(
            &world.owner,
            world.channel_id,
            noisy.id,
            ModerationKind::ShortTimeout,
        )
        .await
        .unwrap();
    let history = platform.chat_history(world.channel_id).await.unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].user_id, Some(calm.id));
    match platform
        .send_chat_message(&noisy, world.channel_id, "let me talk", IP)
        .await
    {
        Err(ChatError::Refused(refusal)) => {
            assert_eq!(refusal.code, "timed_out");
            assert!(refusal.message.contains("5 minutes"), "{}", refusal.message);
            assert!(refusal.retry_after.unwrap().as_secs() > 290);
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    let log = platform
        .moderation_log(&world.owner, world.channel_id)
        .await
        .unwrap();
    assert_eq!(log[0].action, "short_timeout");
    assert_eq!(log[0].target.as_deref(), Some("noisy"));
    platform
        .moderate_user(
            &world.owner,
            world.channel_id,
            noisy.id,
            ModerationKind::Unban,
        )
        .await
        .unwrap();
    platform
        .send_chat_message(&noisy, world.channel_id, "thanks", IP)
        .await
        .unwrap();
}

#[tokio::test]
async fn channel_rules_refuse_with_reasons() {
    let world = world().await;
    let platform = &world.platform;
    let unconfirmed = user(platform, "fresh", CreateOptions::default()).await;
    let settings = ChatSettings {
        min_account_age_hours: 24,
        require_verified_email: true,
        block_links: true,
        links_clickable: true,
        slow_mode_seconds: 30,
        recent_only: false,
        subscribers_only: false,
        accept_raids: true,
    };
    platform
        .update_chat_settings(&world.owner, world.channel_id, &settings)
        .await
        .unwrap();
    let refusal = |result: Result<_, ChatError>| match result {
        Err(ChatError::Refused(refusal)) => refusal,
        other => panic!("expected a refusal, got {other:?}"),
    };
    let first = refusal(
        platform
            .send_chat_message(&unconfirmed, world.channel_id, "hi", IP)
            .await,
    );
    assert_eq!(first.code, "email_unverified");
    world
        .store
        .confirm_email(unconfirmed.id, &unconfirmed.email)
        .await
        .unwrap();
    let confirmed = platform.user(unconfirmed.id).await.unwrap().unwrap();
    let young = refusal(
        platform
            .send_chat_message(&confirmed, world.channel_id, "hi", IP)
            .await,
    );
    assert_eq!(young.code, "account_too_new");
    assert!(young.message.contains("24 hours"), "{}", young.message);

    let relaxed = ChatSettings {
        min_account_age_hours: 0,
        ..settings
    };
    platform
        .update_chat_settings(&world.owner, world.channel_id, &relaxed)
        .await
        .unwrap();
    let link = refusal(
        platform
            .send_chat_message(&confirmed, world.channel_id, "see https://example.com", IP)
            .await,
    );
    assert_eq!(link.code, "links_blocked");
    platform
        .send_chat_message(&confirmed, world.channel_id, "first", IP)
        .await
        .unwrap();
    let slow = refusal(
        platform
            .send_chat_message(&confirmed, world.channel_id, "second", IP)
            .await,
    );
    assert_eq!(slow.code, "slow_mode");
    assert!(slow.retry_after.is_some());
    // The streamer is exempt from the channel's gating rules.
    platform
        .send_chat_message(&world.owner, world.channel_id, "https://example.com", IP)
        .await
        .unwrap();
    platform
        .send_chat_message(&world.owner, world.channel_id, "again right away", IP)
        .await
        .unwrap();
}

#[tokio::test]
async fn length_duplicates_and_rate_limits() {
    let world = world().await;
    let platform = &world.platform;
    let chatter = user(
        platform,
        "chatter",
        CreateOptions {
            email_confirmed: true,
            is_admin: false,
        },
    )
    .await;
    let refusal = |result: Result<_, ChatError>| match result {
        Err(ChatError::Refused(refusal)) => refusal.code,
        other => panic!("expected a refusal, got {other:?}"),
    };
    assert_eq!(
        refusal(
            platform
                .send_chat_message(&chatter, world.channel_id, "   ", IP)
                .await
        ),
        "empty"
    );
    assert_eq!(
        refusal(
            platform
                .send_chat_message(&chatter, world.channel_id, &"x".repeat(501), IP)
                .await
        ),
        "too_long"
    );
    assert_eq!(
        refusal(
            platform
                .send_chat_message(&chatter, world.channel_id, "bell\u{7}", IP)
                .await
        ),
        "invalid"
    );
    platform
        .send_chat_message(&chatter, world.channel_id, &"é".repeat(500), IP)
        .await
        .unwrap();
    platform
        .send_chat_message(&chatter, world.channel_id, "same", IP)
        .await
        .unwrap();
    assert_eq!(
        refusal(
            platform
                .send_chat_message(&chatter, world.channel_id, "SAME ", IP)
                .await
        ),
        "duplicate"
    );
    let mut limited = false;
    for index in 0..30 {
        if let Err(ChatError::Refused(refusal)) = platform
            .send_chat_message(&chatter, world.channel_id, &format!("n{index}"), IP)
            .await
        {
            assert_eq!(refusal.code, "rate_limited");
            limited = true;
            break;
        }
    }
    assert!(limited, "a burst of messages is rate limited");
    // Badges are stored with the message: the streamer who is also staff shows both.
    let message = platform
        .send_chat_message(&world.staff, world.channel_id, "staff here", IP)
        .await
        .unwrap();
    assert_eq!(message.badges, vec![shimmer_bus::chat::Badge::Staff]);
}

#[tokio::test]
async fn moderators_cannot_delete_the_streamers_or_other_moderators_messages() {
    let world = world().await;
    let platform = &world.platform;
    let confirmed = CreateOptions {
        email_confirmed: true,
        is_admin: false,
    };
    let deleter = user(platform, "deleter", confirmed).await;
    let colleague = user(platform, "colleague", confirmed).await;
    let only_delete = ModeratorPermissions {
        delete: true,
        ..Default::default()
    };
    platform
        .set_moderator(&world.owner, world.channel_id, "deleter", only_delete)
        .await
        .unwrap();
    platform
        .set_moderator(&world.owner, world.channel_id, "colleague", only_delete)
        .await
        .unwrap();
    let streamer_message = platform
        .send_chat_message(&world.owner, world.channel_id, "from the streamer", IP)
        .await
        .unwrap();
    let colleague_message = platform
        .send_chat_message(&colleague, world.channel_id, "from a colleague", IP)
        .await
        .unwrap();
    let own_message = platform
        .send_chat_message(&deleter, world.channel_id, "my own", IP)
        .await
        .unwrap();
    for message in [&streamer_message, &colleague_message] {
        let refused = platform
            .delete_chat_message(&deleter, world.channel_id, message.id)
            .await;
        assert!(
            matches!(refused, Err(PlatformError::Refused(_))),
            "{refused:?}"
        );
    }
    platform
        .delete_chat_message(&deleter, world.channel_id, own_message.id)
        .await
        .unwrap();
    platform
        .delete_chat_message(&world.owner, world.channel_id, colleague_message.id)
        .await
        .unwrap();
    assert_eq!(
        platform
            .chat_restriction(&deleter, world.channel_id)
            .await
            .unwrap(),
        None
    );
}
