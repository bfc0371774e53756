# The layout every page shares, the home page, search, browsing and error pages.

site-description = Shimmer is a live-streaming site anyone can host: watch streams live, chat with the people who make them, and start streaming yourself.

## Header and footer

nav-skip = Skip to content
nav-main = Main
nav-home = Home
nav-my-channel = My channel
nav-settings = Settings
nav-staff = Staff
nav-reports = Reports
nav-support = Support
nav-emotes = Emotes
nav-paydays = Paydays
nav-payment-events = Payment events
nav-log-out = Log out
nav-log-in = Log in
nav-sign-up = Sign up
theme-label = Colour theme
theme-light = Light
theme-dark = Dark
theme-auto = Auto
theme-system = Like my device
footer-tagline = Shimmer: live streaming you can host yourself.
footer-dev-mailbox = Development mailbox
footer-about = About this site
footer-terms = Terms
footer-privacy = Privacy
footer-guidelines = Guidelines
footer-copyright = Copyright
footer-faq = FAQ
footer-support = Contact support
footer-preferences = Preferences
footer-language = Language
footer-language-apply = Change language

## Shared words

badge-live = Live
badge-offline = Offline
badge-mature = Mature
badge-following = Following
button-save = Save
button-cancel = Cancel
button-delete = Delete
button-remove = Remove
button-upload = Upload
field-title = Title
field-category = Category
field-no-category = No category
field-subcategory = Subcategory
field-subcategory-help = (pick one or type a new one)
field-tags = Tags
field-tags-help = (up to 10, 2–18 characters each)
field-language = Language
field-mature = Mature content
field-username = Username
field-email = Email
field-password = Password
field-optional = (optional)
yes = Yes
no = No
none = None

## Home

title-live-streams = Live streams
home-hero-title = Live streams from people making things, right now
home-hero-text = Watch art, music, games and conversation as they happen, chat with the streamer, and follow channels to hear when they go live. Shimmer is free and anyone can host it.
home-start-streaming = Start streaming
home-find-channel = Find a channel
home-followed-heading = Followed channels live
home-followed-none = None of the channels you follow is live.
home-featured = Featured live channel
home-no-channels = No channel has streamed yet.
home-no-channels-set-up = <a href="/users/settings/stream">Set up your stream</a> to be the first.
home-no-channels-sign-up = <a href="/users/register">Sign up</a> and be the first to go live.
home-live-now = Live now
home-every-stream = Every live stream, by language
home-recently-live = Recently live
categories-heading = Categories
card-watching = { $count } watching
card-watch = Watch { $name }
category-live =
    { $count ->
        [0] none live
       *[other] { $count } live
    }

## Search and browsing

search-heading = Search
search-browse-heading = Search and browse
search-title = Search: { $query }
search-description = Search Shimmer's channels, categories and tags.
search-label = Search channels, categories and tags
search-placeholder = Search channels
search-button = Search
search-help = A streamer's name, words of a stream title, a category or a tag, up to { $max } characters. Small typos are fine.
search-channels = Channels
search-tags = Tags
search-none = Nothing matches “{ $query }”. Check the spelling, try fewer words, or <a href="/search">browse every category and channel</a>.
search-more = Showing the first { $count } channels. Add a word to narrow the search.
search-tag-in = in { $category }
streams-category-heading = { $category } streams
streams-tagged-heading = { $heading } tagged { $tag }
streams-none = Nobody is live here right now.
streams-all = All
streams-search = Search streamers and titles
streams-any-language = Any language
streams-find = Find

## The seeded categories

category-art = Art
category-music = Music
category-tech = Tech
category-irl = IRL
category-education = Education
category-gaming = Gaming

## Stream languages

language-en = English
language-ar = العربية (Arabic)
language-da = Dansk (Danish)
language-de = Deutsch (German)
language-es = Español (Spanish)
language-fi = Suomi (Finnish)
language-fr = Français (French)
language-hi = हिन्दी (Hindi)
language-it = Italiano (Italian)
language-ja = 日本語 (Japanese)
language-ko = 한국어 (Korean)
language-nl = Nederlands (Dutch)
language-no = Norsk (Norwegian)
language-pl = Polski (Polish)
language-pt = Português (Portuguese)
language-ru = Русский (Russian)
language-sv = Svenska (Swedish)
language-tr = Türkçe (Turkish)
language-uk = Українська (Ukrainian)
language-zh = 中文 (Chinese)
language-other = Other

## Times

time-just-now = just now
time-minutes-ago =
    { $count ->
        [one] { $count } minute ago
       *[other] { $count } minutes ago
    }
time-hours-ago =
    { $count ->
        [one] { $count } hour ago
       *[other] { $count } hours ago
    }
time-days-ago =
    { $count ->
        [one] { $count } day ago
       *[other] { $count } days ago
    }
time-months-ago =
    { $count ->
        [one] { $count } month ago
       *[other] { $count } months ago
    }
time-years-ago =
    { $count ->
        [one] { $count } year ago
       *[other] { $count } years ago
    }

## Errors

error-home-link = Go to the home page
error-not-found = There is nothing at this address. Check the link, or find channels on the home page.
error-too-large = That submission is too large.
error-internal = Something went wrong on our side. Please try again in a moment.
error-database = The database is unavailable. Please try again in a minute.
error-title = Error

## Notices after a redirect

notice-logged-in = Welcome back! You are logged in.
notice-logged-out = You are logged out.
notice-thanks-subscribed = Thank you for subscribing! Your badge shows in chat as soon as the payment is confirmed.
notice-thanks-donated = Thank you for your donation! It shows in chat as soon as the payment is confirmed.
notice-payday-nothing = Nothing waits to be paid out: no payday was prepared.
notice-payday-paid = Every transfer went through. Each streamer gets an email.
notice-payday-failures = Some transfers failed: see the lines below, then retry them.
notice-thanks-gifted = Thank you! Your gift shows in chat as soon as the payment is confirmed.
notice-gifts-saved = Your gift setting is saved.
notice-button-saved = Your channel's Subscribe button setting is saved.
notice-emote-saved = The emote's setting is saved.
notice-event-replayed = The event is queued again and will be processed in a moment.
notice-profile-saved = Your profile is saved.
notice-channel-saved = Your channel settings are saved.
notice-stream-saved = The stream information is saved.
notice-key-rotated = Your stream key was rotated. Update your encoder with the new key.
notice-password-changed = Your password was changed. Other devices were logged out.
notice-confirmation-sent = We sent you a new confirmation link.
notice-session-revoked = That device was logged out.
notice-chat-saved = Your chat settings are saved.
notice-prefix-saved = Your emote prefix is saved.
notice-emote-uploaded = Your emote is uploaded.
notice-emote-deleted = The emote was deleted.
notice-emote-reviewed = The review is saved.
notice-moderator-saved = The moderator's permissions are saved.
notice-moderator-removed = The moderator was removed.
notice-moderated = Done. The action is in the moderation log.
notice-poster-saved = Your poster is saved.
notice-poster-removed = Your poster was removed.
notice-password-reset = Your password was changed. Log in with the new one.
notice-app-saved = Your application is saved.
notice-logo-saved = The logo is saved.
notice-app-deleted = The application and every token issued to it were deleted.
notice-authorization-revoked = The app's access was revoked.
notice-avatar-saved = Your avatar is uploaded.
notice-two-factor-disabled = Two-factor sign-in is off.
notice-login-expired = Your log-in took too long. Enter your password again.
notice-username-changed = Your username was changed.
notice-account-deleted = Your account was deleted.
notice-preferences-saved = Your preferences are saved.
notice-report-updated = The report was updated.
notice-support-sent = Your message was added. The staff team answers by email.
notice-staff-done = Done. The step is recorded in the audit log.
notice-signed-up = Welcome to Shimmer! You are signed in. We sent you a link to confirm your email address; open it when you can.
notice-email-change-sent = We sent a link to the new address. Your email changes when you open it; until then it stays as it is.
error-theme = Choose a theme: light, dark or system.
error-locale = Choose one of the languages offered.
status-400 = Bad Request
status-401 = Unauthorized
status-403 = Forbidden
status-404 = Not Found
status-409 = Conflict
status-410 = Gone
status-413 = Payload Too Large
status-415 = Unsupported Media Type
status-422 = Unprocessable Entity
status-429 = Too Many Requests
status-500 = Internal Server Error
status-503 = Service Unavailable

## Page titles

title-account = Account
title-audit-log = Audit log
title-authorized-apps = Authorized apps
title-channel-settings = Channel settings
title-chat-settings = Chat settings
title-choose-a-new-password = Choose a new password
title-confirm-your-email = Confirm your email
title-contact-support = Contact support
title-dashboard = Dashboard
title-developer-applications = Developer applications
title-email-confirmed = Email confirmed
title-emote-review = Emote review
title-emotes = Emotes
title-enter-your-code = Enter your code
title-growth-and-financial-report = Growth and financial report
title-log-in = Log in
title-log-in-with-your-link = Log in with your link
title-mailbox = Mailbox
title-moderators = Moderators
title-paydays = Paydays
title-payment-events = Payment events
title-payouts = Payouts
title-poster = Poster
title-profile-settings = Profile settings
title-recovery-codes = Recovery codes
title-report = Report
title-report-sent = Report sent
title-reports = Reports
title-request-received = Request received
title-reset-your-password = Reset your password
title-security-settings = Security settings
title-sign-up = Sign up
title-site-analytics = Site analytics
title-staff = Staff
title-stream-key = Stream key
title-subscriptions = Subscriptions
title-support-requests = Support requests
title-two-factor-sign-in = Two-factor sign-in
title-unsubscribed = Unsubscribed
title-your-support-requests = Your support requests

## Refusals the forms show

error-bad-credentials = Incorrect username, email or password.
error-unauthenticated = You need to log in first.
error-forbidden = You are not allowed to do that.
error-rate-limited = Too many attempts. Try again in { $seconds } seconds.
error-upload-unreadable = The upload could not be read. Try again.
title-about-panels = About panels
notice-panels-saved = Your about panels are saved.
site-page-english-only = This page is available in English only.
notice-app-created = Your application is created. Copy the client secret now: it is shown only once.
notice-secret-rotated = A new client secret was made and the old one no longer works. Copy it now: it is shown only once.
