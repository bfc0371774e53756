# Preferences and the settings pages.

title-preferences = Preferences
preferences-signed-out = You are not logged in: these are kept in this browser only.
preferences-theme = Theme
preferences-timestamps = Show times next to chat messages
preferences-mature = Show mature channels without asking first
preferences-color = Name colour in chat
preferences-color-account = From my account ({ $color })
preferences-color-help = Every colour is readable in the light and the dark theme.
preferences-save = Save preferences
color-red = Red
color-orange = Orange
color-amber = Amber
color-olive = Olive
color-green = Green
color-teal = Teal
color-cyan = Cyan
color-blue = Blue
color-indigo = Indigo
color-purple = Purple
color-magenta = Magenta
color-pink = Pink

## The settings menu

settings-menu = Settings menu
settings-channel = Channel
settings-stream-key = Stream key
settings-poster = Poster
settings-chat = Chat
settings-moderators = Moderators
settings-dashboard = Dashboard
settings-account = Account
settings-security = Security
settings-developer = Developer
settings-developer-apps = Developer apps
settings-payouts = Payouts
settings-subscriptions = Subscriptions

## Channel settings

settings-channel-address = Your channel lives at <a href="/{ $username }">/{ $username }</a>.
settings-stream-title = Stream title
settings-subcategory-help = (a game, style or topic: pick one or type a new one)
settings-tags-help = (up to 10, 2–18 letters, digits, spaces, - or :)
settings-tags-commas = Separate tags with commas. Suggestions come from the chosen category.
settings-mature = Mature content (viewers are warned before the stream plays)
settings-hide-viewers = Hide the viewer count on my channel page
settings-auto-host = Auto-host
settings-auto-host-example = Usernames separated by commas, for example: ana, bob
settings-save-channel = Save channel
settings-auto-host-help = (up to 5 channels, first choice first: while you are offline, your page plays the first of them that is live)

## Stream key

stream-confirm-first = Confirm your email address before you stream: the server refuses streams from unconfirmed accounts. <a href="/users/settings/security">Resend the confirmation email</a>.
stream-keep-secret = Keep your key secret: anyone with it can stream to your channel.
stream-connect = Connect your encoder
stream-rtmp = RTMP (OBS, ffmpeg, vMix, hardware encoders)
stream-rtmp-url = <code data-testid="rtmp-url">rtmp://{ $host }:{ $port }/live</code> with your stream key as the key.
stream-whip = WHIP (OBS 30 and later, browsers)
stream-whip-url = <code data-testid="whip-url">{ $url }</code> with your stream key as the bearer token.
stream-ftl = Host <code>{ $host }</code>, port { $port }, with your stream key.
stream-obs-rtmp = In OBS: Settings → Stream, Service "Custom…", paste the RTMP server and the key. Then Settings → Output (Advanced): keyframe interval 2 s, profile main, and for x264 the "zerolatency" tune (B-frames 0): browsers' WebRTC players cannot reorder B-frames.
stream-obs-whip = WHIP in OBS 30 or later: Settings → Stream, Service "WHIP", Server: the WHIP URL above, Bearer Token: your stream key. Video is H.264 (x264 with the "zerolatency" tune, keyframe interval 2 s), audio Opus: OBS's defaults for WHIP.
stream-your-key = Your stream key
stream-copy = Copy
stream-rotate-text = Rotating makes a new key at once. The old key stops working for new connections.
stream-rotate = Rotate key
stream-test = Test your set-up:
stream-or-whip = or over WHIP:

## Security

security-email-confirmed = Your address is <strong>{ $email }</strong> (confirmed).
security-resend = Send the confirmation email again
security-new-email = New email
security-change-email = Change email
security-change-password = Change password
security-logs-out = Changing your password or email logs you out everywhere else.
security-sessions = Where you are logged in
security-this-browser = (this browser)
security-email-unconfirmed = Your address is <strong>{ $email }</strong> (<span class="warning-text">not confirmed yet</span>).
security-remembered = remembered
security-last-active = Last active { $when }

## Chat settings

chat-settings-intro = Rules every message in your chat must pass. You, your moderators and staff are exempt from the gating rules.
chat-settings-age = Minimum account age to chat (hours, 0–720)
chat-settings-slow = Slow mode: seconds between one chatter's messages (0 = off)
chat-settings-email = Require a confirmed email address to chat
chat-settings-block-links = Refuse messages that contain links
chat-settings-clickable = Make links in chat clickable (otherwise shown as plain text)
chat-settings-recent = Show only the last hour of chat to people who join
chat-settings-subscribers = Only subscribers can chat (moderators too)
chat-settings-raids = Let other streamers raid this channel (send their viewers here with /raid)
chat-settings-save = Save chat settings

## Moderators

moderators-intro = Moderators act from the chat (click a name) and from your channel's <a href="/{ $username }/moderation">moderation page</a>. Choose what each may do.
moderators-add-heading = Add a moderator
moderators-may = May
moderators-may-short = time out for 5 minutes
moderators-may-long = time out for 15 minutes
moderators-may-ban = ban
moderators-may-unban = unban
moderators-may-delete = delete messages
moderators-may-edit = edit the stream's title and tags (editor)
moderators-add = Add moderator
moderators-yours = Your moderators
moderators-none = No moderators yet.
moderators-short = 5-minute timeouts
moderators-long = 15-minute timeouts
moderators-bans = bans
moderators-unbans = unbans
moderators-deleting = deleting messages
moderators-editing = editing title and tags

## Poster

poster-intro = Your poster is shown in the player at <a href="/{ $username }">/{ $username }</a> while you are offline, and on your channel's card. JPEG or PNG, at least 160×90 and at most 4096×4096 pixels, up to 4 MB; it is cropped to 16:9.
poster-current = Your current poster
poster-none = You have no poster yet; offline, your channel shows a plain picture.
poster-image = Image
poster-upload = Upload poster
poster-remove = Remove poster

## Profile settings

profile-settings-see = See your public profile
profile-settings-avatar = Avatar
profile-settings-your-avatar = Your avatar
profile-settings-image = Image (PNG, JPEG or GIF, up to 2 MB)
profile-settings-upload = Upload avatar
profile-settings-about = About you
profile-settings-display-name = Display name
profile-settings-display-help = How your name is shown. It can differ from your username <strong>{ $username }</strong> only in upper and lower case.
profile-settings-pronouns = Pronouns
profile-settings-pronouns-example = she/her, they/them, ...
profile-settings-bio = Bio (Markdown)
profile-settings-live-message = Message shown on your profile while you are live
profile-settings-youtube = YouTube intro video (link or id)
profile-settings-links = Links
profile-settings-save = Save profile

## About panels

settings-panels = About panels
panels-intro = Panels show below the player on <a href="/{ $username }">/{ $username }</a>: your schedule, links, rules. Up to { $max } panels, each with a title of up to { $title_max } characters and up to { $body_max } characters of Markdown (<strong>**bold**</strong>, <em>*italic*</em>, lists, and links such as <code>[my site](https://example.com)</code>; HTML shows as typed).
panels-new = New panel
panels-text = Text
panels-place = Place
panels-remove = Remove this panel
panels-full = You have { $max } panels, the most a channel can show. Remove one to add another.
panels-save = Save panels
panels-number = Panel { $number }

## Authorized apps

authorizations-intro = Applications you allowed to use your account. Revoking ends their access at once.
authorizations-none = You have not authorized any application.
authorizations-last = Last authorized { $when }.
authorizations-revoke = Revoke
authorizations-can = Can:
scope-public = See your public profile and channel information
scope-email = See your email address
scope-chat = Send chat messages and moderate chats as you
scope-streamkey = See your stream key
scope-follow = Follow and unfollow channels as you
scope-stream_info = Change your stream's title and category
scope-staff = Use your staff tools as you: look up accounts and their private details (every look is written to the audit log)

## Authorizing an app

oauth-title = Authorize { $app }
oauth-made-by = Made by { $owner }
oauth-wants = <strong>{ $app }</strong> wants to use your account <strong>{ $account }</strong> to:
oauth-after = After you answer you will be sent to <strong>{ $host }</strong>. You can revoke access at any time under Settings → Authorized apps.
oauth-authorize = Authorize
oauth-deny = Deny

## Emotes

emotes-intro = Channel emotes are named with your channel's five-character prefix. Staff review each one before it can be used. PNG or GIF, square, 28–512 pixels; static up to 256 KB, animated up to 1 MB.
emotes-prefix-heading = Prefix
emotes-prefix = Emote prefix (5 letters or digits)
emotes-save-prefix = Save prefix
emotes-upload-heading = Upload an emote
emotes-name = Name after the prefix
emotes-yours = Your emotes
emotes-none = No emotes yet.
emotes-subscribers-only-mark = subscribers only
emotes-let-everyone = Let everyone use it
emotes-subscribers-only = Subscribers only
emotes-status-pending = pending
emotes-status-approved = approved
emotes-status-rejected = rejected
emotes-too-large = That file is too large: emotes are at most 1 MB.
emotes-choose-review = Choose approve or reject.

## Developer applications

apps-intro = Applications use the API on behalf of people who authorize them (OAuth2), or as themselves with their client id and secret.
apps-none = You have no applications yet.
apps-ingest = Ingest
apps-new = New application
apps-create = Create application
apps-ingest-notice = This is the ingest credential: its client_credentials tokens can start and end streams and read stream keys. Keep its secret on the ingest servers only.
apps-client-id = Client id
apps-secret-once = Client secret (shown only this once)
apps-created = Created { $when }. Token endpoint: <code>/api/oauth/token</code>; authorization: <code>/oauth/authorize</code>.
apps-details = Details
apps-logo = Logo
apps-logo-help = PNG, JPEG or GIF, up to 1024×1024 pixels and 512 KB
apps-upload-logo = Upload logo
apps-secret = Client secret
apps-rotate-text = Rotating makes a new secret at once; the old one stops working. Tokens already issued keep working.
apps-rotate = Rotate secret
apps-delete-link = Delete application…
apps-name = Name
apps-description = Description (optional)
apps-homepage = Homepage (optional)
apps-redirects = Redirect URIs, one per line
apps-redirects-help = HTTPS is required, except for this computer: http://127.0.0.1, http://localhost and http://[::1] (any port).
apps-delete-heading = Delete { $app }?
apps-delete-text = Deleting the application revokes every token issued to it, for every user who authorized it. This cannot be undone.
apps-delete-type = Type <strong>{ $app }</strong> to confirm
apps-delete = Delete application
apps-logo-too-large = That file is too large: logos are at most 512 KB.
apps-delete-title = Delete { $app }
apps-delete-confirm-refused = Type the application's name exactly to confirm the deletion.

## Channel settings: chat background
settings-chat-background = Chat background
settings-chat-background-help = A JPEG or PNG picture of at most 4 MB and at least 160×90 pixels, shown behind your chat on your channel page and in the pop-out chat (never in the transparent overlay). A veil over it keeps the messages readable.
settings-chat-background-current = Your current chat background
settings-chat-background-none = Your chat has no background picture.
settings-chat-background-image = Image
settings-chat-background-upload = Upload chat background
settings-chat-background-remove = Remove chat background
chat-background-too-large = That file is too large: chat backgrounds are at most 4 MB.
chat-background-unreadable = The upload could not be read. Try again.
notice-chat-background-saved = Your chat background is saved.
notice-chat-background-removed = Your chat background was removed.
