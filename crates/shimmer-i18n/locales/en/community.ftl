# Follows, the streamer's dashboard and live notifications.

follows-back = Back to { $name }
follows-followers = Followers
follows-following = Following
follows-channels = { $count ->
        [one] { $count } followed channel
       *[other] { $count } followed channels
    }
follows-nobody = Nobody yet.
pager-newer = Newer
pager-older = Older
follows-unsubscribed = You will no longer get an email when <strong>{ $name }</strong> goes live. You still follow them; turn emails back on from <a href="/{ $name }">their channel page</a>.
follows-followers-of = Followers of { $name }
follows-following-of = { $name } follows
follows-unsubscribe-invalid = This unsubscribe link is not valid. Turn notifications off from the streamer's page instead.
dashboard-audio-only = Viewers get audio only.
dashboard-encoder-log = Encoders do not show this in their own log (FTL has no way back to them); the server's log has it too.
dashboard-b-frames = <strong>Your encoder sends B-frames:</strong> browsers cannot reorder frames, so viewers see the picture stutter or jump back. Set B-frames to 0.
dashboard-b-frames-help = OBS: Settings → Output → Output Mode: Advanced → Streaming → "B-frames" (hardware encoders) = 0, or for x264 set "Tune" to "zerolatency" (or x264 options <code>bframes=0</code>). ffmpeg: <code>-bf 0</code> or <code>-tune zerolatency</code>.
dashboard-watching-now = Watching now: <strong data-testid="dashboard-viewers">{ $count }</strong>
dashboard-chart-heading = Stream { $stream }: viewers and bitrate per minute
dashboard-no-samples = No samples yet: one is taken every minute while the stream is live.
dashboard-chart-title = Viewers (solid, up to { $viewers }) and bitrate (dashed, up to { $kbps } kbit/s)
dashboard-chart-caption = Solid: concurrent viewers (left scale). Dashed: ingest bitrate in kbit/s (right scale). Times are in UTC.
dashboard-recent = Recent streams
dashboard-not-streamed = You have not streamed yet.
dashboard-started = Started
dashboard-maybe-audio-only = Some viewers may get audio only.
dashboard-video-problem = Your live stream's video: { $problem }.
dashboard-followers = Followers: <strong>{ $count }</strong>
dashboard-live-over = live over <strong data-testid="ingest-protocol">{ $protocol }</strong>
dashboard-chart-minutes = over { $count ->
        [one] { $count } minute
       *[other] { $count } minutes
    }
dashboard-minutes = Minutes
dashboard-peak = Peak
dashboard-average = Average
dashboard-unique = Unique
dashboard-time-axis = Time (UTC)

## Search result pages
search-page-count = Channels { $first }–{ $last } of { $total }
search-page-past-end = Page { $page } has no results: { $total ->
        [one] the one channel found is
       *[other] all { $total } channels found are
    } on earlier pages.
search-page-first = Go to the first page
search-page-previous = Previous
search-page-next = Next
search-pages = Result pages
search-bad-page = Page numbers are whole numbers from 1, such as page=2.
