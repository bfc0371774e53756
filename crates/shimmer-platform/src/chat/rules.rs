//! The safety rules a message must pass, as a chain: each rule either lets the message through
//! or refuses it with a reason the chatter can act on. New modes (followers only, subscribers
//! only) are new rules appended to the chain.

use std::time::Duration;

use super::{ChatRefusal, SendContext};

/// One check in the chain.
pub trait ChatRule: Send + Sync {
    fn check(&self, context: &SendContext<'_>) -> Result<(), ChatRefusal>;
}

/// Whole minutes of a wait, rounded up.
fn minutes(duration_ms: i64) -> i64 {
    (duration_ms.max(0) + 59_999) / 60_000
}

/// Banned and timed-out chatters may not speak.
pub struct NotBanned;

impl ChatRule for NotBanned {
    fn check(&self, context: &SendContext<'_>) -> Result<(), ChatRefusal> {
        match context.ban {
            Some(None) => Err(ChatRefusal::worded(
                "banned",
                "chat-refusal-banned",
                Vec::new(),
            )),
            Some(Some(until)) => {
                let left = until - context.now_ms;
                Err(ChatRefusal::worded(
                    "timed_out",
                    "chat-refusal-timed-out",
                    vec![("minutes", minutes(left).into())],
                )
                .retry_after(Duration::from_millis(left.max(0) as u64)))
            }
            None => Ok(()),
        }
    }
}

/// The channel may require a confirmed email address.
pub struct VerifiedEmail;

impl ChatRule for VerifiedEmail {
    fn check(&self, context: &SendContext<'_>) -> Result<(), ChatRefusal> {
        if context.settings.require_verified_email
            && !context.sender.email_confirmed()
            && !context.privileged
        {
            return Err(ChatRefusal::worded(
                "email_unverified",
                "chat-refusal-email",
                Vec::new(),
            ));
        }
        Ok(())
    }
}

/// The channel may let only its subscribers chat.
pub struct SubscribersOnly;

impl ChatRule for SubscribersOnly {
    fn check(&self, context: &SendContext<'_>) -> Result<(), ChatRefusal> {
        if context.settings.subscribers_only && !context.subscriber && !context.privileged {
            return Err(ChatRefusal::worded(
                "subscribers_only",
                "chat-refusal-subscribers",
                Vec::new(),
            ));
        }
        Ok(())
    }
}

/// The channel may require accounts of a minimum age.
pub struct AccountAge;

impl ChatRule for AccountAge {
    fn check(&self, context: &SendContext<'_>) -> Result<(), ChatRefusal> {
        let required_ms = context.settings.min_account_age_hours * 3_600_000;
        let age_ms = context.now_ms - context.sender.created_at;
        if required_ms > 0 && age_ms < required_ms && !context.privileged {
            let left = required_ms - age_ms;
            return Err(ChatRefusal::worded(
                "account_too_new",
                "chat-refusal-account-age",
                vec![
                    ("hours", context.settings.min_account_age_hours.into()),
                    ("minutes", minutes(left).into()),
                ],
            )
            .retry_after(Duration::from_millis(left as u64)));
        }
        Ok(())
    }
}

/// The channel may refuse links.
pub struct NoLinks;

impl ChatRule for NoLinks {
    fn check(&self, context: &SendContext<'_>) -> Result<(), ChatRefusal> {
        if context.settings.block_links && context.has_link && !context.privileged {
            return Err(ChatRefusal::worded(
                "links_blocked",
                "chat-refusal-links",
                Vec::new(),
            ));
        }
        Ok(())
    }
}

/// Slow mode: a minimum gap between one chatter's messages.
pub struct SlowMode;

impl ChatRule for SlowMode {
    fn check(&self, context: &SendContext<'_>) -> Result<(), ChatRefusal> {
        let gap_ms = context.settings.slow_mode_seconds * 1000;
        if gap_ms <= 0 || context.privileged {
            return Ok(());
        }
        if let Some(last) = context.last_sent_at {
            let wait = last + gap_ms - context.now_ms;
            if wait > 0 {
                return Err(ChatRefusal::worded(
                    "slow_mode",
                    "chat-refusal-slow",
                    vec![("seconds", ((wait + 999) / 1000).into())],
                )
                .retry_after(Duration::from_millis(wait as u64)));
            }
        }
        Ok(())
    }
}

/// The same text from the same chatter within a short window is refused as spam.
pub struct NoDuplicates {
    pub window_ms: i64,
}

impl ChatRule for NoDuplicates {
    fn check(&self, context: &SendContext<'_>) -> Result<(), ChatRefusal> {
        if let Some((hash, at)) = context.last_body {
            if hash == context.body_hash && context.now_ms - at < self.window_ms {
                return Err(ChatRefusal::worded(
                    "duplicate",
                    "chat-refusal-duplicate",
                    Vec::new(),
                ));
            }
        }
        Ok(())
    }
}

/// The chain every message runs through, in order.
pub fn default_chain() -> Vec<Box<dyn ChatRule>> {
    vec![
        Box::new(NotBanned),
        Box::new(VerifiedEmail),
        Box::new(SubscribersOnly),
        Box::new(AccountAge),
        Box::new(NoLinks),
        Box::new(SlowMode),
        Box::new(NoDuplicates { window_ms: 30_000 }),
    ]
}
