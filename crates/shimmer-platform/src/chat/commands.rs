//! Slash commands typed in the chat input: `/timeout`, `/ban`, `/unban`, `/slow`, `/clear`,
//! `/raid`, `/me` and `/help`. Moderation commands call the same domain functions as the moderation
//! menu, so they are allowed to exactly the same people; anything else is refused in words.

use std::net::IpAddr;

use shimmer_bus::chat::{ChatMessage, LineKind};

use super::{ChatError, ChatRefusal, SendOptions};
use crate::{Platform, PlatformError, UserView};

/// What `/timeout` without a duration means: five minutes, as the menu's short timeout.
pub const DEFAULT_TIMEOUT_SECONDS: i64 = 300;

/// The commands, one line each, as `/help` lists them.
pub const HELP: &[&str] = &[
    "/me <action>: say what you are doing",
    "/timeout <user> [seconds]: keep someone from chatting (default 300 s; moderators)",
    "/ban <user>, /unban <user>: ban from or readmit to this chat (moderators)",
    "/slow <seconds|off>: one message per chatter every so many seconds (moderators)",
    "/clear: remove every message shown in this chat (moderators)",
    "/raid <channel>: send your viewers to another live channel (the streamer, while live)",
    "/help: this list. Start a message with // to send it with a single /.",
];

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
    /// Done; the sentence tells its author what happened.
    Done(String),
}

fn refused(code: &'static str, message: impl Into<String>) -> ChatRefusal {
    ChatRefusal::new(code, message)
}

/// A username argument: `alice` or `@alice`.
fn username(argument: Option<&str>, usage: &str) -> Result<String, ChatRefusal> {
    let name = argument
        .map(|name| name.trim_start_matches('@'))
        .filter(|name| !name.is_empty())
        .ok_or_else(|| refused("command_usage", format!("Usage: {usage}")))?;
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
            let usage = "/timeout <user> [seconds]";
            let username = username(words.next(), usage)?;
            let seconds = match words.next() {
                None => DEFAULT_TIMEOUT_SECONDS,
                Some(value) => value.parse().map_err(|_| {
                    refused(
                        "command_usage",
                        format!("\"{value}\" is not a number of seconds. Usage: {usage}"),
                    )
                })?,
            };
            ChatCommand::Timeout { username, seconds }
        }
        "ban" => ChatCommand::Ban {
            username: username(words.next(), "/ban <user>")?,
        },
        "unban" => ChatCommand::Unban {
            username: username(words.next(), "/unban <user>")?,
        },
        "slow" => {
            let usage = "Usage: /slow <seconds|off>";
            let seconds = match words.next() {
                Some(off) if off.eq_ignore_ascii_case("off") => 0,
                Some(value) => value.parse().ok().filter(|s: &i64| *s > 0).ok_or_else(|| {
                    refused(
                        "command_usage",
                        format!("\"{value}\" is not a number of seconds. {usage}"),
                    )
                })?,
                None => return Err(refused("command_usage", usage)),
            };
            ChatCommand::Slow { seconds }
        }
        "clear" => ChatCommand::Clear,
        "raid" => ChatCommand::Raid {
            channel: username(words.next(), "/raid <channel>")?,
        },
        "me" => {
            let action = rest[2..].trim();
            if action.is_empty() {
                return Err(refused("command_usage", "Usage: /me <action>"));
            }
            ChatCommand::Me {
                action: action.to_owned(),
            }
        }
        "help" => ChatCommand::Help,
        "" => {
            return Err(refused(
                "unknown_command",
                "Type a command after /, or /help.",
            ))
        }
        _ => {
            let shown: String = name.chars().take(32).collect();
            return Err(refused(
                "unknown_command",
                format!("There is no /{shown} command. Type /help for the list."),
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

fn duration_words(seconds: i64) -> String {
    match seconds {
        s if s % 3600 == 0 => plural(s / 3600, "hour"),
        s if s % 60 == 0 => plural(s / 60, "minute"),
        s => plural(s, "second"),
    }
}

fn plural(n: i64, unit: &str) -> String {
    if n == 1 {
        format!("1 {unit}")
    } else {
        format!("{n} {unit}s")
    }
}

/// A refusal for the chat input from a platform error, in words.
fn refusal_from(error: PlatformError) -> ChatError {
    match error {
        PlatformError::Forbidden => ChatError::Refused(refused(
            "forbidden",
            "Only the streamer and moderators can use that command.",
        )),
        PlatformError::Refused(message) => ChatError::Refused(refused("refused", message)),
        PlatformError::NotFound(message) => ChatError::Refused(refused("not_found", message)),
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
            ChatCommand::Help => Ok(CommandOutcome::Done(HELP.join("\n"))),
            ChatCommand::Timeout { username, seconds } => {
                let target = self.command_target(actor, channel_id, &username).await?;
                self.timeout_user(actor, channel_id, target.0, seconds)
                    .await
                    .map_err(refusal_from)?;
                Ok(CommandOutcome::Done(format!(
                    "{} was timed out for {}.",
                    target.1,
                    duration_words(seconds)
                )))
            }
            ChatCommand::Ban { username } => self
                .command_moderate(actor, channel_id, &username, super::ModerationKind::Ban)
                .await
                .map(|name| CommandOutcome::Done(format!("{name} was banned from this chat."))),
            ChatCommand::Unban { username } => self
                .command_moderate(actor, channel_id, &username, super::ModerationKind::Unban)
                .await
                .map(|name| CommandOutcome::Done(format!("{name} can chat here again."))),
            ChatCommand::Slow { seconds } => {
                self.set_slow_mode(actor, channel_id, seconds)
                    .await
                    .map_err(refusal_from)?;
                Ok(CommandOutcome::Done(if seconds == 0 {
                    "Slow mode is off.".to_owned()
                } else {
                    format!(
                        "Slow mode is on: one message every {} per chatter.",
                        duration_words(seconds)
                    )
                }))
            }
            ChatCommand::Raid { channel } => {
                let raid =
                    self.raid(actor, channel_id, &channel)
                        .await
                        .map_err(|error| match error {
                            PlatformError::Forbidden => ChatError::Refused(refused(
                                "forbidden",
                                "Only the streamer can raid from this channel.",
                            )),
                            other => refusal_from(other),
                        })?;
                Ok(CommandOutcome::Done(format!(
                    "Raiding {} with {}. Your viewers are on their way.",
                    raid.to_display_name,
                    plural(raid.viewers, "viewer")
                )))
            }
            ChatCommand::Clear => {
                let count = self
                    .clear_chat(actor, channel_id)
                    .await
                    .map_err(refusal_from)?;
                Ok(CommandOutcome::Done(format!(
                    "The chat was cleared ({}).",
                    plural(count as i64, "message")
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
                    format!("There is no user named {shown}."),
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
}
