//! Slash commands and replies in chat, per role, over the real domain and a real SQLite store:
//! moderation commands are allowed to exactly those the moderation menu allows, and a reply's
//! parent must be a visible message of the same channel.

mod harness;

use std::net::{IpAddr, Ipv4Addr};

use shimmer_bus::chat::LineKind;
use shimmer_i18n::Locale;
use shimmer_platform::accounts::{CreateOptions, Registration};
use shimmer_platform::chat::commands::{self, ChatCommand, CommandOutcome};
use shimmer_platform::chat::{ChatError, SendOptions};
use shimmer_platform::views::ModeratorPermissions;
use shimmer_platform::{Platform, UserView};

const IP: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);

const CONFIRMED: CreateOptions = CreateOptions {
    email_confirmed: true,
    is_admin: false,
};

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

fn only(short: bool, long: bool, ban: bool, unban: bool, delete: bool) -> ModeratorPermissions {
    ModeratorPermissions {
        short_timeout: short,
        long_timeout: long,
        ban,
        unban,
        delete,
    }
}

/// Runs what `actor` typed; the refusal code, or "ok".
async fn typed(platform: &Platform, actor: &UserView, channel_id: i64, text: &str) -> String {
    let command = match commands::parse(text) {
        Ok(Some(command)) => command,
        Ok(None) => panic!("{text} is not a command"),
        Err(refusal) => return refusal.code.to_owned(),
    };
    match platform
        .run_chat_command(actor, channel_id, command, IP)
        .await
    {
        Ok(_) => "ok".to_owned(),
        Err(ChatError::Refused(refusal)) => refusal.code.to_owned(),
        Err(ChatError::Platform(error)) => panic!("{text}: {error}"),
    }
}

#[tokio::test]
async fn moderation_commands_follow_the_moderation_permissions_per_role() {
    let (platform, _store, _dir) = harness::platform_and_store().await;
    let owner = user(&platform, "owner", CONFIRMED).await;
    let staff = user(
        &platform,
        "teamlead",
        CreateOptions {
            email_confirmed: true,
            is_admin: true,
        },
    )
    .await;
    let viewer = user(&platform, "viewer", CONFIRMED).await;
    let short_only = user(&platform, "shortmod", CONFIRMED).await;
    let cleaner = user(&platform, "cleaner", CONFIRMED).await;
    let target = user(&platform, "target", CONFIRMED).await;
    let channel = platform.channel_of_user(owner.id).await.unwrap().id;
    for (name, permissions) in [
        ("shortmod", only(true, false, false, false, false)),
        ("cleaner", only(false, false, false, false, true)),
    ] {
        platform
            .set_moderator(&owner, channel, name, permissions)
            .await
            .unwrap();
    }

    // A viewer: every moderation command is refused and changes nothing.
    for text in [
        "/timeout target 60",
        "/ban target",
        "/unban target",
        "/slow 10",
        "/clear",
    ] {
        assert_eq!(
            typed(&platform, &viewer, channel, text).await,
            "forbidden",
            "{text}"
        );
    }
    assert_eq!(
        platform.chat_restriction(&target, channel).await.unwrap(),
        None
    );
    // A viewer cannot probe for accounts: the permission is checked before the name.
    assert_eq!(
        typed(&platform, &viewer, channel, "/ban nobody_here").await,
        "forbidden"
    );

    // A moderator with only the short timeout: up to five minutes, nothing else.
    assert_eq!(
        typed(&platform, &short_only, channel, "/timeout target 90").await,
        "ok"
    );
    let until = platform
        .chat_restriction(&target, channel)
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    let left = until - shimmer_store::now_ms();
    assert!((80_000..=90_000).contains(&left), "{left} ms left");
    assert_eq!(
        typed(&platform, &short_only, channel, "/timeout target 600").await,
        "forbidden"
    );
    assert_eq!(
        typed(&platform, &short_only, channel, "/ban target").await,
        "forbidden"
    );
    assert_eq!(
        typed(&platform, &short_only, channel, "/clear").await,
        "forbidden"
    );
    assert_eq!(
        typed(&platform, &short_only, channel, "/ban nobody_here").await,
        "unknown_user"
    );
    assert_eq!(
        typed(&platform, &short_only, channel, "/timeout owner").await,
        "refused",
        "the streamer cannot be timed out"
    );
    assert_eq!(
        typed(&platform, &short_only, channel, "/timeout target 99999999").await,
        "refused"
    );

    // The owner and staff may do everything.
    assert_eq!(
        typed(&platform, &owner, channel, "/ban @target").await,
        "ok"
    );
    assert_eq!(
        platform.chat_restriction(&target, channel).await.unwrap(),
        Some(None)
    );
    assert_eq!(
        typed(&platform, &staff, channel, "/unban target").await,
        "ok"
    );
    assert_eq!(
        platform.chat_restriction(&target, channel).await.unwrap(),
        None
    );
    assert_eq!(typed(&platform, &owner, channel, "/slow 15").await, "ok");
    let settings = platform.chat_settings(channel).await.unwrap();
    assert_eq!(settings.slow_mode_seconds, 15);
    assert_eq!(typed(&platform, &staff, channel, "/slow off").await, "ok");
    assert_eq!(
        platform
            .chat_settings(channel)
            .await
            .unwrap()
            .slow_mode_seconds,
        0
    );

    // /clear needs the delete permission, and hides everything.
    platform
        .send_chat_message(&viewer, channel, "first", IP)
        .await
        .unwrap();
    assert_eq!(typed(&platform, &cleaner, channel, "/clear").await, "ok");
    assert!(platform.chat_history(channel).await.unwrap().is_empty());

    // Unknown commands are refused in words, for everyone.
    assert_eq!(
        typed(&platform, &owner, channel, "/dance").await,
        "unknown_command"
    );
}

#[tokio::test]
async fn me_posts_an_action_and_help_lists_the_commands() {
    let (platform, _store, _dir) = harness::platform_and_store().await;
    let owner = user(&platform, "owner", CONFIRMED).await;
    let viewer = user(&platform, "viewer", CONFIRMED).await;
    let channel = platform.channel_of_user(owner.id).await.unwrap().id;
    let outcome = platform
        .run_chat_command(
            &viewer,
            channel,
            ChatCommand::Me {
                action: "waves".into(),
            },
            IP,
        )
        .await
        .unwrap();
    let CommandOutcome::Posted(message) = outcome else {
        panic!("/me posts a line");
    };
    assert_eq!(message.kind, LineKind::Action);
    let history = platform.chat_history(channel).await.unwrap();
    assert_eq!(history[0].kind, LineKind::Action);
    assert_eq!(history[0].color, message.color);
    let CommandOutcome::Done(help) = platform
        .run_chat_command(&viewer, channel, ChatCommand::Help, IP)
        .await
        .unwrap()
    else {
        panic!("/help answers");
    };
    for locale in Locale::ALL {
        let help = help.in_locale(locale);
        for name in [
            "/timeout", "/ban", "/unban", "/slow", "/clear", "/me", "/help", "/raid",
        ] {
            assert!(help.contains(name), "{name} in {help}");
        }
        assert_eq!(help.lines().count(), 7, "{help}");
    }
    assert!(help
        .in_locale(Locale::De)
        .contains("/timeout <Name> [Sekunden]: jemanden vorübergehend stummschalten"));
}

#[tokio::test]
async fn a_german_chatter_gets_german_answers_and_the_api_keeps_english() {
    let (platform, _store, _dir) = harness::platform_and_store().await;
    let owner = user(&platform, "owner", CONFIRMED).await;
    let viewer = user(&platform, "viewer", CONFIRMED).await;
    let channel = platform.channel_of_user(owner.id).await.unwrap().id;
    let answer = |command: &str| {
        let command = commands::parse(command).unwrap().unwrap();
        let platform = &platform;
        let owner = &owner;
        async move {
            match platform.run_chat_command(owner, channel, command, IP).await {
                Ok(CommandOutcome::Done(words)) => words,
                _ => panic!("the command answers"),
            }
        }
    };
    let banned = answer("/ban viewer").await;
    assert_eq!(banned.to_string(), "viewer was banned from this chat.");
    assert_eq!(
        banned.in_locale(Locale::De),
        "viewer wurde aus diesem Chat verbannt."
    );
    let slow = answer("/slow 120").await;
    assert_eq!(
        slow.in_locale(Locale::De),
        "Der langsame Modus ist an: pro Person eine Nachricht alle 2 Minuten."
    );
    assert_eq!(
        slow.in_locale(Locale::PtBr),
        "O modo lento está ativado: uma mensagem por pessoa a cada 2 minutos."
    );
    let timed_out = answer("/timeout viewer 3600").await;
    assert_eq!(
        timed_out.in_locale(Locale::Fr),
        "viewer ne peut plus écrire pendant 1 heure."
    );

    // A viewer without the right is refused in their language; usage lines too.
    let Err(ChatError::Refused(refusal)) = platform
        .run_chat_command(
            &viewer,
            channel,
            commands::parse("/clear").unwrap().unwrap(),
            IP,
        )
        .await
    else {
        panic!("a viewer may not clear the chat");
    };
    assert_eq!(
        refusal.message,
        "Only the streamer and moderators can use that command."
    );
    assert_eq!(
        refusal.message_in(Locale::De),
        "Nur der Streamer und Moderatoren können diesen Befehl benutzen."
    );
    let usage = commands::parse("/unban").unwrap_err();
    assert_eq!(usage.message_in(Locale::De), "So geht’s: /unban <Name>");
    assert_eq!(usage.message_in(Locale::Es), "Uso: /unban <usuario>");
}

#[tokio::test]
async fn a_reply_needs_a_visible_parent_in_the_same_channel() {
    let (platform, _store, _dir) = harness::platform_and_store().await;
    let owner = user(&platform, "owner", CONFIRMED).await;
    let other_owner = user(&platform, "otherowner", CONFIRMED).await;
    let viewer = user(&platform, "viewer", CONFIRMED).await;
    let channel = platform.channel_of_user(owner.id).await.unwrap().id;
    let other_channel = platform.channel_of_user(other_owner.id).await.unwrap().id;
    let long = "a question that goes on and on for much longer than any excerpt";
    let parent = platform
        .send_chat_message(&owner, channel, long, IP)
        .await
        .unwrap();
    let elsewhere = platform
        .send_chat_message(&viewer, other_channel, "elsewhere", IP)
        .await
        .unwrap();
    let reply = |reply_to: i64| SendOptions {
        reply_to: Some(reply_to),
        kind: LineKind::Message,
    };

    let answer = platform
        .send_chat_line(&viewer, channel, "an answer", IP, reply(parent.id))
        .await
        .unwrap();
    let quoted = answer.reply.clone().unwrap();
    assert_eq!(quoted.id, parent.id);
    assert_eq!(quoted.username, "owner");
    let excerpt = quoted.excerpt.unwrap();
    assert!(excerpt.chars().count() <= 41, "{excerpt}");
    assert!(long.starts_with(excerpt.trim_end_matches('…')));
    // History shows the same reply.
    let history = platform.chat_history(channel).await.unwrap();
    assert_eq!(history.last().unwrap().reply, answer.reply);

    let refused = |result: Result<_, ChatError>| match result {
        Err(ChatError::Refused(refusal)) => refusal.code,
        other => panic!("expected a refusal, got {other:?}"),
    };
    // Another channel's message, a message that does not exist, a removed one: refused, and
    // nothing is stored.
    for parent_id in [elsewhere.id, 999_999] {
        assert_eq!(
            refused(
                platform
                    .send_chat_line(&viewer, channel, "lost", IP, reply(parent_id))
                    .await
            ),
            "reply_not_found"
        );
    }
    platform
        .delete_chat_message(&owner, channel, parent.id)
        .await
        .unwrap();
    assert_eq!(
        refused(
            platform
                .send_chat_line(&viewer, channel, "too late", IP, reply(parent.id))
                .await
        ),
        "reply_not_found"
    );
    let history = platform.chat_history(channel).await.unwrap();
    assert_eq!(history.len(), 1, "only the accepted reply is shown");
    // The reply shown after its parent was removed no longer quotes it.
    assert_eq!(history[0].reply.as_ref().unwrap().excerpt, None);
}
