//! Slash commands typed in the chat input: `/timeout`, `/ban`, `/unban`, `/slow`, `/clear`,
//! `/raid`, `/me` and `/help`. Moderation commands call the same domain functions as the moderation
//! menu, so they are allowed to exactly the same people; anything else is refused in words.

use std::net::IpAddr;

use shimmer_bus::chat::{ChatMessage, LineKind};
use shimmer_i18n::{Arg, Words};

use super::{ChatError, ChatRefusal, SendOptions};
use crate::{Platform, PlatformError, UserView};

/// What `/timeout` without a duration means: five minutes, as the menu's short timeout.
pub const DEFAULT_TIMEOUT_SECONDS: i64 = 300;

/// A parsed command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChatCommand {
    Timeout {
        username: String,
        seconds: i64,
    },
    Ban {
        username: String,
    },
    Unban {
        username: String,
    },
    /// Seconds between messages; 0 turns slow mode off.
    Slow {
        seconds: i64,
    },
    Clear,
    Raid {
        channel: String,
    },
    Me {
        action: String,
    },
    Help,
}

/// What a command did, for the person who typed it.
#[derive(Debug, Clone)]
pub enum CommandOutcome {
    /// A line was posted to the chat (`/me`).
    Posted(Box<ChatMessage>),
    /// Done; the words tell its author what happened, in the author's language.
    Done(Words),
}

/// A refusal worded by the catalogue (`commands.ftl`).
fn refused(code: &'static str, key: &'static str, args: Vec<(&'static str, Arg)>) -> ChatRefusal {
    ChatRefusal::worded(code, key, args)
}

/// The usage line of a command (`commands-usage-<command>`), as a refusal.
fn usage(command: &'static str) -> ChatRefusal {
    refused("command_usage", usage_key(command), Vec::new())
}

fn usage_key(command: &'static str) -> &'static str {
    match command {
        "timeout" => "commands-usage-timeout",
        "ban" => "commands-usage-ban",
        "unban" => "commands-usage-unban",
        "slow" => "commands-usage-slow",
        "raid" => "commands-usage-raid",
        _ => "commands-usage-me",
    }
}

/// "`value`" is not a number of seconds, with the usage of `/timeout` or `/slow`.
fn not_seconds(value: &str, command: &'static str) -> ChatRefusal {
    let key = if command == "slow" {
        "commands-not-seconds-slow"
    } else {
        "commands-not-seconds-timeout"
    };
    refused("command_usage", key, vec![("value", value.into())])
}

/// A username argument: `alice` or `@alice`.
fn username(argument: Option<&str>, command: &'static str) -> Result<String, ChatRefusal> {
    let name = argument
        .map(|name| name.trim_start_matches('@'))
        .filter(|name| !name.is_empty())
        .ok_or_else(|| usage(command))?;
    Ok(name.to_owned())
}

/// Reads a command from a chat input. `Ok(None)`: not a command, send the text as it is (a
/// leading `//` stands for a literal `/`, see [`literal_text`]).
pub fn parse(text: &str) -> Result<Option<ChatCommand>, ChatRefusal> {
    let text = text.trim();
    let Some(rest) = text.strip_prefix('/') else {
        return Ok(None);
    };
    if rest.starts_with('/') {
        return Ok(None);
    }
    let mut words = rest.split_whitespace();
    let name = words.next().unwrap_or_default().to_lowercase();
    let command = match name.as_str() {
        "timeout" => {
            let username = username(words.next(), "timeout")?;
            let seconds = match words.next() {
                None => DEFAULT_TIMEOUT_SECONDS,
                Some(value) => value.parse().map_err(|_| not_seconds(value, "timeout"))?,
            };
            ChatCommand::Timeout { username, seconds }
        }
        "ban" => ChatCommand::Ban {
            username: username(words.next(), "ban")?,
        },
        "unban" => ChatCommand::Unban {
            username: username(words.next(), "unban")?,
        },
        "slow" => {
            let seconds = match words.next() {
                Some(off) if off.eq_ignore_ascii_case("off") => 0,
                Some(value) => value
                    .parse()
                    .ok()
                    .filter(|s: &i64| *s > 0)
                    .ok_or_else(|| not_seconds(value, "slow"))?,
                None => return Err(usage("slow")),
            };
            ChatCommand::Slow { seconds }
        }
        "clear" => ChatCommand::Clear,
        "raid" => ChatCommand::Raid {
            channel: username(words.next(), "raid")?,
        },
        "me" => {
            let action = rest[2..].trim();
            if action.is_empty() {
                return Err(usage("me"));
            }
            ChatCommand::Me {
                action: action.to_owned(),
            }
        }
        "help" => ChatCommand::Help,
        "" => return Err(refused("unknown_command", "commands-empty", Vec::new())),
        _ => {
            let shown: String = name.chars().take(32).collect();
            return Err(refused(
                "unknown_command",
                "commands-unknown",
                vec![("command", shown.into())],
            ));
        }
    };
    Ok(Some(command))
}

/// The text a message starting with `//` is sent as: one `/` less.
pub fn literal_text(text: &str) -> &str {
    let trimmed = text.trim_start();
    if trimmed.starts_with("//") {
        &trimmed[1..]
    } else {
        text
    }
}

/// A duration in the largest whole unit: the unit (`hours`, `minutes` or `seconds`, chosen by
/// a Fluent selector) and the count.
fn duration_args(seconds: i64) -> Vec<(&'static str, Arg)> {
    let (unit, count) = match seconds {
        s if s % 3600 == 0 => ("hours", s / 3600),
        s if s % 60 == 0 => ("minutes", s / 60),
        s => ("seconds", s),
    };
    vec![("unit", unit.into()), ("count", count.into())]
}

/// A refusal for the chat input from a platform error, in words.
fn refusal_from(error: PlatformError) -> ChatError {
    match error {
        PlatformError::Forbidden => {
            ChatError::Refused(refused("forbidden", "commands-forbidden", Vec::new()))
        }
        PlatformError::Refused(message) => ChatError::Refused(ChatRefusal::new("refused", message)),
        PlatformError::NotFound(message) => {
            ChatError::Refused(ChatRefusal::new("not_found", message))
        }
        other => ChatError::Platform(other),
    }
}

impl Platform {
    /// Runs a command typed by `actor` in a channel's chat.
    pub async fn run_chat_command(
        &self,
        actor: &UserView,
        channel_id: i64,
        command: ChatCommand,
        client_ip: IpAddr,
    ) -> Result<CommandOutcome, ChatError> {
        match command {
            ChatCommand::Me { action } => {
                let options = SendOptions {
                    reply_to: None,
                    kind: LineKind::Action,
                };
                self.send_chat_line(actor, channel_id, &action, client_ip, options)
                    .await
                    .map(|message| CommandOutcome::Posted(Box::new(message)))
            }
            ChatCommand::Help => Ok(CommandOutcome::Done(Words::new(
                "commands-help",
                vec![("seconds", DEFAULT_TIMEOUT_SECONDS.into())],
            ))),
            ChatCommand::Timeout { username, seconds } => {
                let target = self.command_target(actor, channel_id, &username).await?;
                self.timeout_user(actor, channel_id, target.0, seconds)
                    .await
                    .map_err(refusal_from)?;
                let mut args = duration_args(seconds);
                args.push(("name", target.1.into()));
                Ok(CommandOutcome::Done(Words::new("commands-timed-out", args)))
            }
            ChatCommand::Ban { username } => self
                .command_moderate(actor, channel_id, &username, super::ModerationKind::Ban)
                .await
                .map(|name| {
                    CommandOutcome::Done(Words::new("commands-banned", vec![("name", name.into())]))
                }),
            ChatCommand::Unban { username } => self
                .command_moderate(actor, channel_id, &username, super::ModerationKind::Unban)
                .await
                .map(|name| {
                    CommandOutcome::Done(Words::new(
                        "commands-unbanned",
                        vec![("name", name.into())],
                    ))
                }),
            ChatCommand::Slow { seconds } => {
                self.set_slow_mode(actor, channel_id, seconds)
                    .await
                    .map_err(refusal_from)?;
                Ok(CommandOutcome::Done(if seconds == 0 {
                    Words::new("commands-slow-off", Vec::new())
                } else {
                    Words::new("commands-slow-on", duration_args(seconds))
                }))
            }
            ChatCommand::Raid { channel } => {
                let raid =
                    self.raid(actor, channel_id, &channel)
                        .await
                        .map_err(|error| match error {
                            PlatformError::Forbidden => ChatError::Refused(refused(
                                "forbidden",
                                "commands-raid-forbidden",
                                Vec::new(),
                            )),
                            other => refusal_from(other),
                        })?;
                Ok(CommandOutcome::Done(Words::new(
                    "commands-raiding",
                    vec![
                        ("name", raid.to_display_name.into()),
                        ("count", raid.viewers.into()),
                    ],
                )))
            }
            ChatCommand::Clear => {
                let count = self
                    .clear_chat(actor, channel_id)
                    .await
                    .map_err(refusal_from)?;
                Ok(CommandOutcome::Done(Words::new(
                    "commands-cleared",
                    vec![("count", (count as i64).into())],
                )))
            }
        }
    }

    async fn command_moderate(
        &self,
        actor: &UserView,
        channel_id: i64,
        username: &str,
        kind: super::ModerationKind,
    ) -> Result<String, ChatError> {
        let (id, name) = self.command_target(actor, channel_id, username).await?;
        self.moderate_user(actor, channel_id, id, kind)
            .await
            .map_err(refusal_from)?;
        Ok(name)
    }

    /// The account a moderation command names. The permission is checked first, so a viewer
    /// learns nothing about which accounts exist.
    async fn command_target(
        &self,
        actor: &UserView,
        channel_id: i64,
        username: &str,
    ) -> Result<(i64, String), ChatError> {
        let permissions = self.chat_permissions(Some(actor), channel_id).await?;
        if !permissions.is_manager && !permissions.is_moderator() {
            return Err(refusal_from(PlatformError::Forbidden));
        }
        let shown: String = username.chars().take(40).collect();
        let user = self
            .store
            .user_by_username(username)
            .await?
            .ok_or_else(|| {
                ChatError::Refused(refused(
                    "unknown_user",
                    "commands-unknown-user",
                    vec![("name", shown.clone().into())],
                ))
            })?;
        Ok((user.id, user.display_name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_commands_and_their_arguments() {
        assert_eq!(parse("hello /timeout").unwrap(), None);
        assert_eq!(parse("//timeout is a word").unwrap(), None);
        assert_eq!(literal_text("//timeout is a word"), "/timeout is a word");
        assert_eq!(
            parse("/timeout @bob 90").unwrap(),
            Some(ChatCommand::Timeout {
                username: "bob".into(),
                seconds: 90
            })
        );
        assert_eq!(
            parse("/TIMEOUT bob").unwrap(),
            Some(ChatCommand::Timeout {
                username: "bob".into(),
                seconds: DEFAULT_TIMEOUT_SECONDS
            })
        );
        assert_eq!(
            parse("/slow off").unwrap(),
            Some(ChatCommand::Slow { seconds: 0 })
        );
        assert_eq!(
            parse("/slow 30").unwrap(),
            Some(ChatCommand::Slow { seconds: 30 })
        );
        assert_eq!(
            parse("/me   waves hello").unwrap(),
            Some(ChatCommand::Me {
                action: "waves hello".into()
            })
        );
        assert_eq!(parse("/clear").unwrap(), Some(ChatCommand::Clear));
        assert_eq!(parse("/help").unwrap(), Some(ChatCommand::Help));
        assert_eq!(
            parse("/raid @Bob").unwrap(),
            Some(ChatCommand::Raid {
                channel: "Bob".into()
            })
        );
        assert_eq!(parse("/raid").unwrap_err().code, "command_usage");
    }

    #[test]
    fn bad_commands_are_refused_in_words() {
        let code = |text: &str| parse(text).unwrap_err().code;
        assert_eq!(code("/dance"), "unknown_command");
        assert_eq!(code("/"), "unknown_command");
        assert_eq!(code("/timeout"), "command_usage");
        assert_eq!(code("/timeout bob soon"), "command_usage");
        assert_eq!(code("/slow"), "command_usage");
        assert_eq!(code("/slow -4"), "command_usage");
        assert_eq!(code("/ban @"), "command_usage");
        assert_eq!(code("/me"), "command_usage");
        assert!(parse("/dance").unwrap_err().message.contains("/help"));
    }

    #[test]
    fn usage_lines_are_in_the_chatters_language() {
        use shimmer_i18n::Locale;
        let timeout = parse("/timeout").unwrap_err();
        assert_eq!(timeout.message, "Usage: /timeout <user> [seconds]");
        assert_eq!(
            timeout.message_in(Locale::De),
            "So geht’s: /timeout <Name> [Sekunden]"
        );
        assert_eq!(
            parse("/slow soon").unwrap_err().message_in(Locale::De),
            "„soon“ ist keine Zahl von Sekunden. So geht’s: /slow <Sekunden|off>"
        );
        assert_eq!(
            parse("/dance").unwrap_err().message_in(Locale::Es),
            "No existe el comando /dance. Escribe /help para ver la lista."
        );
        assert_eq!(
            parse("/me").unwrap_err().message_in(Locale::Fr),
            "Utilisation : /me <action>"
        );
        assert_eq!(
            parse("/ban").unwrap_err().message_in(Locale::PtBr),
            "Como usar: /ban <nome>"
        );
    }

    #[test]
    fn durations_take_their_largest_whole_unit_in_every_language() {
        use shimmer_i18n::{Locale, Words};
        let answer = |seconds: i64, locale: Locale| {
            let mut args = duration_args(seconds);
            args.push(("name", "Bob".into()));
            Words::new("commands-timed-out", args).in_locale(locale)
        };
        assert_eq!(answer(3600, Locale::En), "Bob was timed out for 1 hour.");
        assert_eq!(answer(600, Locale::En), "Bob was timed out for 10 minutes.");
        assert_eq!(answer(90, Locale::En), "Bob was timed out for 90 seconds.");
        assert_eq!(
            answer(7200, Locale::De),
            "Bob wurde für 2 Stunden stummgeschaltet."
        );
        assert_eq!(
            answer(60, Locale::De),
            "Bob wurde für 1 Minute stummgeschaltet."
        );
    }
}
