# Signing up, logging in, passwords, two-factor sign-in, the account page, profiles and reports.

## Log in and sign up

auth-login-field = Username or email
auth-remember = Remember me for 30 days
auth-forgot = Forgot your password?
auth-create-account = Create an account
auth-register-heading = Create your account
auth-username-help = 3–24 letters, digits, _ or . — this is also your channel's address.
auth-password-help = At least 8 characters.
auth-trap = Website (leave this empty)
auth-have-account = Already have an account? <a href="/users/login">Log in</a>.

## Passwords

auth-reset-heading = Reset your password
auth-reset-sent = If an account uses that address, we have sent it a link to choose a new password. The link works once and expires in an hour.
auth-reset-email = Your account's email
auth-reset-send = Send me a link
auth-new-password-heading = Choose a new password
auth-new-link = Ask for a new link
auth-new-password = New password
auth-save-password = Save the new password
auth-link-heading = Log in with your link
auth-go-to-login = Go to log in
auth-link-text = Logging in to this account was paused after many failed attempts, and your correct password sent you this link. Press the button to log in.
auth-confirm-heading = Confirm your email
auth-confirm-text = Press the button to confirm this address for your Shimmer account.
auth-confirm-button = Confirm my email

## Two-factor sign-in

auth-code-heading = Enter your code
auth-code-text = Your account uses two-factor sign-in. Enter the six-digit code from your authenticator app, or one of your recovery codes.
auth-code = Code
auth-start-again = Start again
two-factor-title = Two-factor sign-in
two-factor-required = Staff accounts must use two-factor sign-in. Set it up to continue.
two-factor-on = Two-factor sign-in is <strong>on</strong>. Unused recovery codes: { $count }.
two-factor-off-heading = Turn it off
auth-current-password = Current password
auth-code-or-recovery = Code from your app (or a recovery code)
two-factor-turn-off = Turn off two-factor sign-in
two-factor-scan = Scan this code with an authenticator app (such as Aegis, Google Authenticator or 1Password), then enter the six-digit code it shows.
two-factor-qr-alt = QR code for your authenticator app
two-factor-manual = Can't scan it? Enter this key by hand:
two-factor-six-digits = Six-digit code
two-factor-turn-on = Turn on two-factor sign-in
two-factor-is-on = Two-factor sign-in is on
two-factor-keep-codes = Keep these recovery codes somewhere safe. Each works once, in place of a code from your app, if you lose your phone. They are shown only now.
two-factor-done = Done

## The account page

account-rename-heading = Change your username
account-rename-text = Your username is <strong>{ $username }</strong>. You can change it once every 30 days; your old name stays reserved for a while so nobody else can take it straight away.
account-new-username = New username
account-rename-button = Change username
account-email-hint = To change your email address, go to <a href="/users/settings/security">Security</a>.
account-export-heading = Download your data
account-export-text = A zip file with your profile, preferences, channel and chat messages as JSON.
account-export-button = Download my data
account-delete-heading = Delete your account
account-delete-text = This deletes your account and your channel at once and cannot be undone. Your chat messages stay in other channels' chats, shown as from a deleted user.
account-delete-confirm = I understand that this cannot be undone.
account-delete-button = Delete my account

## Mature channels

mature-heading = { $name } streams mature content
mature-text = This channel is marked as mature: it may show content that is not suitable for everyone.
mature-continue = Continue to the channel
mature-back = Back to the home page
mature-preferences = You can turn this warning off in your <a href="/preferences">preferences</a>.

## Profiles

profile-live-now = Live now: watch
profile-followers = { $count ->
        [one] { $count } follower
       *[other] { $count } followers
    }
profile-following = { $count } following
profile-intro-video = Intro video
profile-report = Report { $name }
profile-go-to-channel = Go to the channel

## Reports

report-intro = Reports go to the staff team, who review each one. Only staff see who filed it.
report-where = Where did this happen?
report-location-stream = Stream video
report-what = What is wrong?
report-reason-hate = Hate speech or harassment
report-notes = Anything staff should know (optional)
report-send = Send report
report-location-chat = Stream chat
report-location-profile = Profile text or avatar
report-location-username = Username
report-location-elsewhere = Somewhere else
report-reason-inappropriate = Inappropriate or unmarked mature content
report-reason-copyright = Copyright infringement or breaking the law
report-reason-spam = Spam or scams
report-reason-other = Something else
report-bad-message = The chat message in this report is not valid.
report-thanks = Thank you
report-sent = Your report about { $username } was sent to the staff team.
auth-confirmed = Thanks, { $username }! Your address { $email } is confirmed. You can stream now.
auth-find-stream-key = Find your stream key
account-delete-tick = Tick the box to confirm the deletion.
two-factor-staff-keep = Staff accounts must keep two-factor sign-in on.
profile-avatar-too-large = That file is too large: avatars are at most 2 MB.
