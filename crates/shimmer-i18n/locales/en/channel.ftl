# The channel page, its player and the mature-content interstitial.

channel-share-live = { $name } is live on Shimmer: { $title }
channel-share-offline = { $name } streams on Shimmer: { $title }
channel-hosting = <strong>{ $name }</strong> is offline and hosting <a href="/{ $href }">{ $host }</a>: { $title }
channel-offline-now = <strong>{ $name }</strong> is offline right now.
channel-offline-autoplay = This page starts playing by itself when the stream begins.
channel-watching = <span data-viewer-count data-testid="viewer-count">{ $count }</span> watching
channel-edit = Edit channel
channel-followers-link = <span data-follower-count>{ $count }</span> followers
channel-notify = Email me when { $name } goes live
channel-login-to-follow = Log in to follow
channel-login-to-support = Log in to subscribe or donate
channel-subscribed = Subscribed
channel-subscribe = Subscribe ({ $price } a month)
channel-donate = Donate
channel-donation-amount = Amount ({ $min } to { $max })
channel-donation-message = Message for the chat
channel-donation-message-help = (optional, up to 200 characters)
channel-continue-payment = Continue to payment
channel-gift = Gift a subscription
channel-gift-recipient = Username of the person to give one month ({ $price }) to
channel-edit-stream = Edit stream information
channel-pop-out = Pop out chat
channel-moderation = Moderation
channel-profile = Profile
channel-report = Report
mature-title = { $name } (mature)

## Scripts: follow button, raids and hosting, player

js-follow = Follow
js-unfollow = Unfollow
js-raid-go-now = Go to { $name } now
js-raid-go = Go to { $name }
js-raid-stay = Stay here
js-raid-countdown = { $from } is raiding { $to }! Taking you there in { $seconds } s.
js-raid-stayed = { $from } raided { $to }. You stayed here.
js-player-offline = { $name } is offline right now.
js-player-offline-unnamed = This channel is offline right now.
js-player-autoplay = Playback starts by itself when the stream begins.
js-player-tap-unmute = Tap to unmute
js-player-mute = Mute
js-player-unmute = Unmute
js-player-volume = Volume
js-player-stats = Stats
js-player-full-screen = Full screen
js-player-live = LIVE
js-player-reconnecting = Reconnecting…
js-player-connecting = Connecting…
js-player-no-webrtc = This browser cannot play WebRTC streams.
js-player-server-answered = Server answered { $status }.
js-player-restarting = The server is restarting…
js-player-stream-stopped = The stream stopped arriving.
js-player-could-not-start = Could not start playback.
js-player-connection-lost = Connection lost.
js-tags-chosen = Chosen tags
js-tags-add = Add a tag
js-tags-remove = Remove tag { $tag }
js-tags-invalid = “{ $tag }” is not a valid tag: use 2–18 letters, digits, spaces, hyphens or colons.
js-tags-too-many = A channel can have at most { $max } tags.
js-hide = Hide
js-show = Show
js-copied = Copied to the clipboard.
js-copy-by-hand = Press Ctrl+C (or ⌘C) to copy the selected key.
channel-about = About { $name }
js-player-compat-title = Compatibility mode: play over HLS (a few seconds more delay)
js-player-hls-link-title = Copy the HLS link for VLC and other players
js-player-hls-link-label = Copy the HLS link
js-player-hls-link = HLS link
js-player-pip = Picture in picture
js-player-paused = Paused
js-player-no-player = This browser can play neither WebRTC nor HLS streams.
js-player-hls-not-loaded = The HLS player could not be loaded.
js-player-copied = Copied
js-player-hls-prompt = HLS link for external players:
js-hls-failed = The HLS stream could not be played.
js-hls-ended = The stream ended.
js-hls-stopped = The HLS stream stopped.
js-key-space = Space
js-shortcut-play = Pause or play
js-shortcut-mute = Mute or unmute
js-theatre = Theatre mode
js-shortcut-help = Show these shortcuts
js-shortcut-close = Close this list
js-shortcuts = Keyboard shortcuts

## The moderation page

moderation-title = Moderation · { $name }
moderation-act = Act on a chatter
moderation-action = Action
moderation-short = Time out for 5 minutes
moderation-long = Time out for 15 minutes
moderation-apply = Apply
moderation-bans = Banned and timed out
moderation-no-bans = Nobody is banned or timed out.
moderation-log = Moderation log
moderation-log-empty = Nothing yet.
moderation-when = When
moderation-chatter = Chatter
moderation-banned = banned
moderation-timed-out-for = timed out for { $minutes } more minutes
moderation-deleted-user = deleted user
moderation-action-short-timeout = short timeout
moderation-action-long-timeout = long timeout
moderation-action-ban = ban
moderation-action-unban = unban
moderation-action-delete-message = delete message
moderation-action-slow-mode = slow mode
moderation-action-clear-chat = clear chat
moderation-action-edit-title-and-tags = edit title and tags

## Channel header: uptime and the Share menu
js-channel-live-for = Live for { $time }
channel-share = Share
channel-share-options = Share this channel
channel-share-copy = Copy link
js-channel-share-copied = Copied
js-channel-share-copy-failed = Could not copy. The link is { $url }
channel-share-x = Share on X (Twitter)
channel-share-reddit = Share on Reddit
