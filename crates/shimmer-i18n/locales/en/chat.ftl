# The chat panel and what its script shows: badges, moderation, refusals, system lines.

chat-jump = New messages below
chat-message-label = Message
chat-send = Chat
chat-login = <a href="/users/login">Log in</a> or <a href="/users/register">sign up</a> to chat.
chat-popout-title = Chat · { $name }

js-chat-title = Chat
js-chat-timestamps = Timestamps
js-chat-hide-times = Hide message times
js-chat-show-times = Show message times
js-chat-rules = Chat rules
js-chat-cancel-reply = Cancel reply
js-chat-mention-list = People to mention
js-chat-placeholder = Send a message
js-chat-emotes = Emotes
js-chat-load-failed = Chat could not load. Reload the page to try again.
js-chat-start-failed = Chat could not start. Reload the page to try again.
js-chat-failed = Something went wrong in the chat. Reload the page if it stops updating.
js-chat-connecting = Connecting to chat…
js-chat-reconnecting = Reconnecting…
js-chat-restarting = Chat server restarting; reconnecting…
js-chat-account-banned = This account was banned from the platform. Chat is closed.
js-chat-trouble = Chat is having trouble.
js-chat-lagged = Chat fell behind; some messages were skipped.
js-chat-refused = That was refused.
js-chat-type-first = Type a message first.
js-chat-cannot-chat-here = You cannot chat here right now.
js-chat-log-in = Log in to chat.
js-chat-not-connected-kept = Not connected. Your message is kept; send it again once the chat reconnects.
js-chat-not-connected = Not connected. Try again once the chat reconnects.
js-chat-cannot-chat-now = You cannot chat right now
js-chat-again-in = You can chat again in { $time }.
js-chat-again-in-short = You can chat again in { $time }
js-chat-banned = You are banned from this chat.
js-chat-unbanned = You can chat again.
js-chat-timeout-over = Your timeout is over. You can chat again.
js-chat-timed-out-until = You are timed out until { $time }.
js-chat-you-were-timed-out = You were timed out.
js-chat-you-were-timed-out-for = You were timed out for { $length } (until { $time }).
js-chat-you-are-timed-out = You are timed out in this chat.
js-chat-you-are-timed-out-for = You are timed out in this chat for { $length } (until { $time }).
js-chat-message-deleted = A moderator deleted one of your messages.
js-chat-someone = someone
js-chat-replying-to = Replying to @{ $name }
js-chat-replying-to-excerpt = Replying to @{ $name }: { $excerpt }
js-chat-reply-removed = (message removed)
js-chat-reply = Reply
js-chat-reply-to = Reply to { $name }
js-chat-close = Close
js-chat-moderate = Moderate { $name }
js-chat-actions-for = Actions for { $name }
js-chat-action-short-timeout = Time out 5 min
js-chat-action-long-timeout = Time out 15 min
js-chat-action-ban = Ban
js-chat-action-unban = Unban
js-chat-action-delete = Delete this message
js-chat-action-report = Report
js-chat-done-short-timeout = { $name } was timed out for 5 minutes.
js-chat-done-long-timeout = { $name } was timed out for 15 minutes.
js-chat-done-ban = { $name } was banned.
js-chat-done-unban = { $name } was unbanned.
js-chat-done-delete = { $name } had a message deleted.
js-chat-done-other = { $name } was moderated.
js-badge-streamer = Streamer
js-badge-streamer-title = Streamer
js-badge-moderator = Mod
js-badge-moderator-title = Moderator
js-badge-subscriber = Sub
js-badge-subscriber-title = Subscriber
js-badge-staff = Staff
js-badge-staff-title = Shimmer staff
js-badge-founder = Founder
js-badge-founder-title = Founder: supports this site
js-badge-supporter = Supporter
js-badge-supporter-title = Supporter: supports this site

## System lines

js-chat-followed = { $name } just followed the channel!
js-chat-subscribed = { $name } just subscribed!
js-chat-donated = { $name } just donated { $amount }!
js-chat-gifted = { $name } gifted a subscription to { $recipient }!
js-chat-raid-outgoing-one = { $from } is raiding { $to } with { $count } viewer!
js-chat-raid-outgoing-other = { $from } is raiding { $to } with { $count } viewers!
js-chat-raid-incoming-one = { $from } is raiding with { $count } viewer!
js-chat-raid-incoming-other = { $from } is raiding with { $count } viewers!

## Chatter cards

js-card-loading = Loading…
js-card-too-many = Too many cards opened at once. Try again in a moment.
js-card-failed = This card could not load.
js-card-created = Account made { $date } ({ $age })
js-card-not-following = Not following this channel
js-card-following-since = Following since { $date } ({ $age })
js-card-banned = Banned from this chat
js-card-timed-out-until = Timed out until { $time }
js-card-in-good-standing = Not banned or timed out here
js-card-no-history = No moderation history here
js-card-history = Moderation history here
js-card-history-step = { $what }, { $date }
js-card-history-step-by = { $what } by { $moderator }, { $date }
js-card-history-short-timeout = Timed out 5 min
js-card-history-long-timeout = Timed out 15 min
js-card-history-ban = Banned
js-card-history-unban = Unbanned
js-card-history-delete = Message deleted

## The channel's rules and the refusals a chatter gets

chat-rule-age = Accounts can chat once they are { $hours } hours old.
chat-rule-email = A confirmed email address is needed to chat.
chat-rule-subscribers = Only subscribers can chat.
chat-rule-links = Links are not allowed.
chat-rule-slow = Slow mode: one message every { $seconds } seconds.
chat-refusal-banned = You are banned from this chat.
chat-refusal-timed-out = You are timed out in this chat for { $minutes ->
        [one] { $minutes } minute
       *[other] { $minutes } minutes
    } more.
chat-refusal-email = This channel requires a confirmed email address to chat. Confirm yours from the link we emailed you (Settings → Security can resend it).
chat-refusal-subscribers = Only subscribers can chat here right now. Subscribe from the channel page to join in.
chat-refusal-account-age = This channel lets accounts chat once they are { $hours } hours old. You can chat in { $minutes ->
        [one] { $minutes } minute
       *[other] { $minutes } minutes
    }.
chat-refusal-links = This channel does not allow links in chat.
chat-refusal-slow = Slow mode is on: you can send another message in { $seconds } seconds.
chat-refusal-duplicate = You just sent that message. Say something new, or wait a little.
