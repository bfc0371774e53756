//! One task per chat socket: it reads the chatter's frames (bounded in size and rate) and
//! writes the channel's frames. A chat failure closes the socket, never the page's player.

use std::net::IpAddr;
use std::num::NonZeroU32;

use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::Response;
use futures::{SinkExt, StreamExt};
use governor::{DefaultDirectRateLimiter, Quota};
use shimmer_bus::chat::LineKind;
use shimmer_i18n::Locale;
use shimmer_platform::chat::{
    colors, commands, ChatError, ChatPermissions, CommandOutcome, ModerationKind, SendOptions,
};
use shimmer_platform::PlatformError;
use shimmer_platform::UserView;
use tokio::sync::broadcast;
use tokio::sync::broadcast::error::{RecvError, TryRecvError};

use super::protocol::{
    Blocked, ClientFrame, Me, PaletteColor, Permissions, PickerEmote, Restriction, ServerFrame,
    SystemLine,
};
use crate::context::RequestContext;
use crate::error::WebError;
use crate::fanout::RULES_CHANGED;
use crate::AppState;

/// Largest frame a client may send, in bytes (a 500-character message is at most 2 KB of JSON).
const MAX_FRAME_BYTES: usize = 8 * 1024;
/// A client sending more than this many frames per second is refused; far beyond, closed.
const FRAMES_PER_SECOND: u32 = 10;
const FRAME_BURST: u32 = 20;
const CLOSE_AFTER_REFUSALS: u32 = 50;
/// How long the close frame sent at shutdown may take to write.
const CLOSE_WRITE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(1);
/// The close code and reason a banned account's sockets get (a policy violation).
const CLOSE_BANNED: u16 = 1008;
const CLOSE_BANNED_REASON: &str = "account banned";
/// Frames written to a socket before it is flushed.
const MAX_FRAMES_PER_FLUSH: usize = 64;

/// Whether the request comes from a page of this site: browsers send cookies with cross-site
/// WebSocket handshakes, so the origin must be checked here.
fn same_origin(headers: &HeaderMap) -> bool {
    let Some(origin) = headers
        .get(header::ORIGIN)
        .and_then(|value| value.to_str().ok())
    else {
        return true; // Not a browser: no ambient cookies to abuse.
    };
    let host = headers
        .get(header::HOST)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    origin
        .split("://")
        .nth(1)
        .is_some_and(|origin_host| origin_host.eq_ignore_ascii_case(host))
}

pub async fn upgrade(
    State(state): State<AppState>,
    context: RequestContext,
    Path(id): Path<String>,
    headers: HeaderMap,
    upgrade: WebSocketUpgrade,
) -> Result<Response, WebError> {
    let channel_id: i64 = id.parse().map_err(|_| WebError::NotFound)?;
    if !same_origin(&headers) {
        return Err(WebError::Status(
            StatusCode::FORBIDDEN,
            "Chat connections must come from this site.".into(),
        ));
    }
    let user = context.user().cloned();
    let permissions = state
        .platform
        .chat_permissions(user.as_ref(), channel_id)
        .await?;
    let client_ip = context.client_ip;
    let locale = context.locale;
    Ok(upgrade
        .max_message_size(MAX_FRAME_BYTES)
        .max_frame_size(MAX_FRAME_BYTES)
        .read_buffer_size(shimmer_http::WEBSOCKET_READ_BUFFER_BYTES)
        .on_upgrade(move |socket| async move {
            Session {
                state,
                channel_id,
                user,
                permissions,
                client_ip,
                locale,
            }
            .run(socket)
            .await;
        }))
}

struct Session {
    state: AppState,
    channel_id: i64,
    user: Option<UserView>,
    permissions: ChatPermissions,
    client_ip: IpAddr,
    /// The chatter's language, for the rules and refusals this socket words.
    locale: Locale,
}

/// The next account banned from the platform; never, for a visitor's socket. A socket that
/// lagged behind the bans only skips ahead: bans are rare enough that this is not reached.
async fn next_ban(bans: &mut Option<broadcast::Receiver<i64>>) -> i64 {
    let Some(receiver) = bans else {
        return std::future::pending().await;
    };
    loop {
        match receiver.recv().await {
            Ok(user_id) => return user_id,
            Err(RecvError::Lagged(_)) => continue,
            Err(RecvError::Closed) => return std::future::pending().await,
        }
    }
}

fn text(frame: &ServerFrame<'_>) -> Message {
    Message::Text(serde_json::to_string(frame).unwrap_or_default().into())
}

impl Session {
    async fn run(self, socket: WebSocket) {
        let (mut sink, mut stream) = socket.split();
        // Subscribe before reading history, so nothing falls between them (clients drop
        // duplicates by id).
        let mut room = self.state.fanout.subscribe_chat(self.channel_id);
        let mut bans = self
            .user
            .as_ref()
            .map(|_| self.state.fanout.subscribe_bans());
        let emotes = match &self.user {
            Some(user) => self
                .state
                .platform
                .chat_emotes_for(user, self.channel_id)
                .await
                .unwrap_or_default(),
            None => Vec::new(),
        };
        let restriction = match &self.user {
            Some(user) => self
                .state
                .platform
                .chat_restriction(user, self.channel_id)
                .await
                .ok()
                .flatten(),
            None => None,
        }
        .map(|until| Restriction {
            banned: until.is_none(),
            expires_at: until,
        });
        let (rules, blocked) = self.gate().await;
        let welcome = ServerFrame::Welcome {
            channel_id: self.channel_id,
            user: self.user.as_ref().map(|user| Me {
                id: user.id,
                username: &user.username,
            }),
            can_send: self.permissions.can_send,
            permissions: Permissions {
                short_timeout: self.permissions.moderation.short_timeout,
                long_timeout: self.permissions.moderation.long_timeout,
                ban: self.permissions.moderation.ban,
                unban: self.permissions.moderation.unban,
                delete: self.permissions.moderation.delete,
            },
            max_chars: self.state.platform.chat_config().max_message_chars,
            emotes: emotes
                .iter()
                .map(|emote| PickerEmote {
                    name: emote.name.clone(),
                    src: shimmer_platform::emotes::emote_src(emote),
                    global: emote.channel_id.is_none(),
                    animated: emote.animated,
                })
                .collect(),
            restriction,
            rules,
            blocked,
            colors: colors::PALETTE
                .iter()
                .map(|color| PaletteColor {
                    key: color.key,
                    light: color.light,
                    dark: color.dark,
                })
                .collect(),
        };
        if sink.send(text(&welcome)).await.is_err() {
            return;
        }
        match self.state.platform.chat_history(self.channel_id).await {
            Ok(lines) => {
                let (follows, messages): (Vec<_>, Vec<_>) = lines
                    .into_iter()
                    .partition(|line| line.kind == LineKind::Follow);
                let system: Vec<SystemLine> = follows.iter().map(SystemLine::from_follow).collect();
                if sink
                    .send(text(&ServerFrame::History {
                        messages: &messages,
                        system: &system,
                    }))
                    .await
                    .is_err()
                {
                    return;
                }
            }
            Err(error) => {
                tracing::error!(%error, channel_id = self.channel_id, "chat history failed")
            }
        }

        let limiter = DefaultDirectRateLimiter::direct(
            Quota::per_second(NonZeroU32::new(FRAMES_PER_SECOND).unwrap_or(NonZeroU32::MIN))
                .allow_burst(NonZeroU32::new(FRAME_BURST).unwrap_or(NonZeroU32::MIN)),
        );
        let mut refusals = 0u32;
        let shutdown = self.state.shutdown.clone();
        loop {
            tokio::select! {
                () = shutdown.cancelled() => {
                    let close = CloseFrame {
                        code: crate::CLOSE_RESTARTING,
                        reason: crate::CLOSE_RESTARTING_REASON.into(),
                    };
                    // A client that stopped reading must not hold the shutdown up.
                    let _ = tokio::time::timeout(
                        CLOSE_WRITE_TIMEOUT,
                        sink.send(Message::Close(Some(close))),
                    )
                    .await;
                    break;
                }
                banned = next_ban(&mut bans) => {
                    if Some(banned) == self.user.as_ref().map(|user| user.id) {
                        let close = CloseFrame {
                            code: CLOSE_BANNED,
                            reason: CLOSE_BANNED_REASON.into(),
                        };
                        let _ = tokio::time::timeout(
                            CLOSE_WRITE_TIMEOUT,
                            sink.send(Message::Close(Some(close))),
                        )
                        .await;
                        break;
                    }
                }
                incoming = stream.next() => {
                    let Some(Ok(message)) = incoming else { break };
                    let reply = match message {
                        Message::Text(body) => {
                            if limiter.check().is_err() {
                                refusals += 1;
                                if refusals > CLOSE_AFTER_REFUSALS {
                                    let close = CloseFrame { code: 1008, reason: "too many frames".into() };
                                    let _ = sink.send(Message::Close(Some(close))).await;
                                    // Finish the closing handshake, reading what the flooder
                                    // still sends: closing with unread data makes the kernel
                                    // reset the connection, and the client would lose the
                                    // refusals and the close frame it has not read yet.
                                    let _ = tokio::time::timeout(CLOSE_WRITE_TIMEOUT, async {
                                        while let Some(Ok(message)) = stream.next().await {
                                            if matches!(message, Message::Close(_)) {
                                                break;
                                            }
                                        }
                                    })
                                    .await;
                                    break;
                                }
                                Some(text(&ServerFrame::Refused {
                                    code: "rate_limited",
                                    message: "You are sending too quickly. Wait a moment.",
                                    retry_after_ms: Some(1000),
                                    text: None,
                                }))
                            } else {
                                self.handle(body.as_str()).await
                            }
                        }
                        Message::Binary(_) => Some(text(&ServerFrame::Error { message: "Binary frames are not supported; send JSON text." })),
                        Message::Close(_) => break,
                        Message::Ping(_) | Message::Pong(_) => None,
                    };
                    if let Some(reply) = reply {
                        if sink.send(reply).await.is_err() {
                            break;
                        }
                    }
                }
                frame = room.recv() => {
                    // Write every frame already waiting, then flush once: one system call for a
                    // burst instead of one per message.
                    let mut next = Some(frame);
                    let mut written = 0;
                    let mut failed = false;
                    while let Some(frame) = next.take() {
                        let message = match frame {
                            Ok(frame) if frame.as_str() == RULES_CHANGED.as_str() => {
                                let (rules, blocked) = self.gate().await;
                                text(&ServerFrame::Gate { rules, blocked })
                            }
                            Ok(frame) => Message::Text(frame),
                            Err(RecvError::Lagged(skipped)) => {
                                tracing::debug!(skipped, "chat socket lagged");
                                text(&ServerFrame::Lagged { skipped })
                            }
                            Err(RecvError::Closed) => {
                                failed = true;
                                break;
                            }
                        };
                        if sink.feed(message).await.is_err() {
                            failed = true;
                            break;
                        }
                        written += 1;
                        if written < MAX_FRAMES_PER_FLUSH {
                            next = match room.try_recv() {
                                Ok(frame) => Some(Ok(frame)),
                                Err(TryRecvError::Lagged(skipped)) => Some(Err(RecvError::Lagged(skipped))),
                                Err(TryRecvError::Empty | TryRecvError::Closed) => None,
                            };
                        }
                    }
                    if failed || sink.flush().await.is_err() {
                        break;
                    }
                }
            }
        }
    }

    /// The chat's rules and what keeps this socket's chatter out now (nothing for visitors,
    /// who cannot chat at all).
    async fn gate(&self) -> (Vec<String>, Option<Blocked>) {
        let Some(user) = &self.user else {
            return (Vec::new(), None);
        };
        match self
            .state
            .platform
            .chat_gate(user, self.channel_id, self.locale)
            .await
        {
            Ok(gate) => (
                gate.rules,
                gate.blocked.map(|refusal| Blocked {
                    code: refusal.code,
                    until: refusal
                        .retry_after
                        .map(|after| epoch_ms() + after.as_millis() as i64),
                    message: refusal.message_in(self.locale),
                }),
            ),
            Err(error) => {
                tracing::warn!(%error, "could not read the chat's rules");
                (Vec::new(), None)
            }
        }
    }

    async fn handle(&self, body: &str) -> Option<Message> {
        let frame: ClientFrame = match serde_json::from_str(body) {
            Ok(frame) => frame,
            Err(_) => {
                return Some(text(&ServerFrame::Error {
                    message:
                        "Unknown or malformed frame. Send {\"type\":\"send\",\"text\":\"...\"}.",
                }))
            }
        };
        let Some(user) = &self.user else {
            return match frame {
                ClientFrame::Ping => Some(text(&ServerFrame::Pong)),
                _ => Some(text(&ServerFrame::Refused {
                    code: "not_signed_in",
                    message: "Log in to chat.",
                    retry_after_ms: None,
                    text: None,
                })),
            };
        };
        let platform = &self.state.platform;
        let mut sent_text = None;
        let result: Result<(), ChatError> = match frame {
            ClientFrame::Ping => return Some(text(&ServerFrame::Pong)),
            ClientFrame::Send {
                text: body,
                reply_to,
            } => {
                let result = match commands::parse(&body) {
                    Ok(Some(command)) => platform
                        .run_chat_command(user, self.channel_id, command, self.client_ip)
                        .await
                        .map(|outcome| match outcome {
                            CommandOutcome::Posted(_) => None,
                            CommandOutcome::Done(answer) => Some(answer.in_locale(self.locale)),
                        }),
                    Ok(None) => {
                        let options = SendOptions {
                            reply_to,
                            kind: LineKind::Message,
                        };
                        platform
                            .send_chat_line(
                                user,
                                self.channel_id,
                                commands::literal_text(&body),
                                self.client_ip,
                                options,
                            )
                            .await
                            .map(|_| None)
                    }
                    Err(refusal) => Err(ChatError::Refused(refusal)),
                };
                sent_text = Some(body);
                match result {
                    Ok(Some(answer)) => {
                        return Some(text(&ServerFrame::System(SystemLine {
                            kind: "command",
                            text: answer,
                            id: None,
                            user: None,
                            created_at: epoch_ms(),
                            raid: None,
                        })))
                    }
                    Ok(None) => Ok(()),
                    Err(error) => Err(error),
                }
            }
            ClientFrame::Moderate { action, user_id } => match ModerationKind::parse(&action) {
                Some(kind) => platform
                    .moderate_user(user, self.channel_id, user_id, kind)
                    .await
                    .map(drop)
                    .map_err(Into::into),
                None => Err(PlatformError::Refused("Unknown moderation action.".into()).into()),
            },
            ClientFrame::Delete { message_id } => platform
                .delete_chat_message(user, self.channel_id, message_id)
                .await
                .map_err(Into::into),
        };
        match result {
            Ok(()) => None,
            Err(ChatError::Refused(refusal)) => Some(text(&ServerFrame::Refused {
                code: refusal.code,
                message: &refusal.message_in(self.locale),
                retry_after_ms: refusal.retry_after.map(|after| after.as_millis() as u64),
                text: sent_text.as_deref(),
            })),
            Err(ChatError::Platform(error)) if error.is_unavailable() => {
                tracing::warn!(%error, "a chat action failed: the database is unavailable");
                let message = match &sent_text {
                    Some(sent) => format!(
                        "Your message \"{}\" was not sent: the database is unavailable. Try \
                         again in a minute.",
                        shimmer_platform::chat::excerpt(sent)
                    ),
                    None => "That did not work: the database is unavailable. Try again in a \
                             minute."
                        .to_owned(),
                };
                Some(text(&ServerFrame::Refused {
                    code: "unavailable",
                    message: &message,
                    retry_after_ms: Some(60_000),
                    text: sent_text.as_deref(),
                }))
            }
            Err(ChatError::Platform(error)) if error.is_internal() => {
                tracing::error!(%error, "chat action failed");
                let message = match &sent_text {
                    Some(sent) => format!(
                        "Your message \"{}\" was not sent: chat is having trouble. Try again \
                         in a moment.",
                        shimmer_platform::chat::excerpt(sent)
                    ),
                    None => "Chat is having trouble. Try again in a moment.".to_owned(),
                };
                Some(text(&ServerFrame::Error { message: &message }))
            }
            Err(ChatError::Platform(error)) => {
                let message = self.locale.words(&error.to_string());
                Some(text(&ServerFrame::Refused {
                    code: "refused",
                    message: &message,
                    retry_after_ms: None,
                    text: sent_text.as_deref(),
                }))
            }
        }
    }
}

/// Milliseconds since the epoch, as the chat's times are told to pages.
fn epoch_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |since| since.as_millis() as i64)
}
