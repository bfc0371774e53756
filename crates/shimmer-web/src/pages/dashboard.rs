//! The streamer's dashboard: recent streams with peak, average and unique viewers, a chart of
//! one stream's per-minute viewers and bitrate drawn as inline SVG (no chart library), and,
//! while live, a warning when browsers cannot play (or may not all offer) the stream's H.264
//! format: an FTL server cannot write into the encoder's log, so this is where streamers see it.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use shimmer_media::h264::{H264Format, PlaybackWarning};
use shimmer_platform::views::{StreamMetadata, StreamMinute};

use super::{render, require_user};
use crate::context::RequestContext;
use crate::error::WebError;
use crate::templates::PageContext;
use crate::AppState;

const CHART_WIDTH: f64 = 640.0;
const CHART_HEIGHT: f64 = 200.0;

/// One row of the streams table.
pub struct StreamRow {
    pub id: i64,
    pub title: String,
    pub started: String,
    pub minutes: i64,
    pub live: bool,
    pub peak: i64,
    pub unique: i64,
    pub average: String,
}

/// A chart ready for the template: SVG polyline points and axis labels.
pub struct Chart {
    pub stream_id: i64,
    pub viewer_points: String,
    pub bitrate_points: String,
    pub max_viewers: i64,
    pub max_kbps: i64,
    pub samples: usize,
    pub width: f64,
    pub height: f64,
    /// Time marks along the bottom: x and the time of day ("HH:MM", UTC).
    pub time_ticks: Vec<(f64, String)>,
    /// Value marks up the sides: y, viewers (left scale) and kbit/s (right scale).
    pub value_ticks: Vec<(f64, i64, i64)>,
}

#[derive(Template)]
#[template(path = "community/dashboard.html")]
pub struct DashboardPage {
    pub page: PageContext,
    pub section: &'static str,
    pub streams: Vec<StreamRow>,
    pub chart: Option<Chart>,
    pub viewers_now: i64,
    pub followers: i64,
    pub video_warning: Option<VideoWarning>,
    /// The live stream's encoder sends B-frames (browsers show them out of order).
    pub b_frames: bool,
    /// How the live stream arrives (`FTL`, `RTMP`, `WHIP`); empty when offline or unknown.
    pub ingest_protocol: String,
}

/// Why viewers may not see the live stream's video, for the banner above the chart.
pub struct VideoWarning {
    /// Nobody sees video (not merely some browsers).
    pub not_playable: bool,
    /// The warning, as the server log words it.
    pub message: String,
}

impl VideoWarning {
    /// The warning for a metadata snapshot's H.264 format; None when it plays everywhere or
    /// the ingest has not seen an SPS yet.
    fn of(metadata: &StreamMetadata) -> Option<Self> {
        let format = H264Format::from_profile_level_id(
            &metadata.video_profile,
            u8::try_from(metadata.video_chroma_format).ok()?,
            u8::try_from(metadata.video_bit_depth).ok()?,
        )?;
        let warning = format.playback_warning()?;
        Some(Self {
            not_playable: matches!(warning, PlaybackWarning::NotPlayable { .. }),
            message: warning.to_string(),
        })
    }
}

#[derive(Deserialize)]
pub struct DashboardQuery {
    #[serde(default)]
    stream: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    context: RequestContext,
    Query(query): Query<DashboardQuery>,
) -> Result<Response, WebError> {
    let user = &require_user(&context)?.user;
    let channel = state.platform.channel_of_user(user.id).await?;
    let history = state.platform.stream_history(user, channel.id).await?;
    let selected = query
        .stream
        .as_deref()
        .and_then(|id| id.parse::<i64>().ok())
        .or_else(|| history.first().map(|(stream, _)| stream.id));
    let chart = match selected {
        Some(stream_id) => {
            let series = state.platform.stream_series(user, stream_id).await?;
            Some(chart(stream_id, &series))
        }
        None => None,
    };
    let live_metadata = state.platform.live_stream_metadata(&channel).await?;
    let video_warning = live_metadata.as_ref().and_then(VideoWarning::of);
    let b_frames = live_metadata
        .as_ref()
        .is_some_and(|m| m.video_b_frames != 0);
    let ingest_protocol = live_metadata
        .as_ref()
        .map(|m| m.ingest_protocol.to_uppercase())
        .unwrap_or_default();
    let now = shimmer_platform::now_ms();
    let streams = history
        .into_iter()
        .map(|(stream, stats)| StreamRow {
            id: stream.id,
            title: stream.title,
            started: crate::templates::format_time(context.locale, stream.started_at),
            minutes: (stream.ended_at.unwrap_or(now) - stream.started_at).max(0) / 60_000,
            live: stream.ended_at.is_none(),
            peak: stats.peak_viewers,
            unique: stats.unique_viewers,
            average: shimmer_i18n::decimal(context.locale, stats.average_viewers, 1),
        })
        .collect();
    let page = PageContext::new("title-dashboard", &context, state.config.dev_mode);
    Ok(render(
        StatusCode::OK,
        &DashboardPage {
            page,
            section: "dashboard",
            streams,
            chart,
            viewers_now: state.platform.viewer_count(channel.id),
            followers: state.platform.follower_count(user.id).await?,
            video_warning,
            b_frames,
            ingest_protocol,
        },
    ))
}

/// Minutes between time marks the chart may use: the smallest that keeps it to six or fewer.
const TICK_MINUTES: [i64; 10] = [1, 2, 5, 10, 15, 30, 60, 120, 180, 360];

/// Scales the series into the chart box: time along the bottom (first sample to last), viewers
/// and bitrate each against their own maximum; time marks on whole steps of the clock, value
/// marks at a quarter, a half, three quarters and the top.
fn chart(stream_id: i64, series: &[StreamMinute]) -> Chart {
    let max_viewers = series.iter().map(|m| m.viewers).max().unwrap_or(0).max(1);
    let max_bitrate = series.iter().map(|m| m.bitrate).max().unwrap_or(0).max(1);
    let first = series.first().map_or(0, |m| m.minute_at);
    let last = series.last().map_or(0, |m| m.minute_at);
    let span = (last - first).max(0);
    let x_of = |at: i64| match span {
        0 => 0.0,
        _ => (at - first) as f64 / span as f64 * CHART_WIDTH,
    };
    let points = |value: &dyn Fn(&StreamMinute) -> f64| {
        series
            .iter()
            .map(|minute| {
                let x = x_of(minute.minute_at);
                let y = CHART_HEIGHT - value(minute) * CHART_HEIGHT;
                format!("{x:.1},{y:.1}")
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    let step_minutes = TICK_MINUTES
        .into_iter()
        .find(|step| span / (step * 60_000) <= 5)
        .unwrap_or(720);
    let step = step_minutes * 60_000;
    let mut time_ticks = Vec::new();
    if !series.is_empty() {
        let mut at = first.div_euclid(step) * step;
        if at < first {
            at += step;
        }
        while at <= last {
            time_ticks.push((x_of(at), clock(at)));
            at += step;
        }
    }
    let value_ticks = [1, 2, 3, 4]
        .into_iter()
        .map(|quarter| {
            let y = CHART_HEIGHT - CHART_HEIGHT * f64::from(quarter) / 4.0;
            let viewers = (max_viewers as f64 * f64::from(quarter) / 4.0).round() as i64;
            let kbps = (max_bitrate as f64 * f64::from(quarter) / 4.0 / 1000.0).round() as i64;
            (y, viewers, kbps)
        })
        .collect();
    Chart {
        stream_id,
        viewer_points: points(&|m| m.viewers as f64 / max_viewers as f64),
        bitrate_points: points(&|m| m.bitrate as f64 / max_bitrate as f64),
        max_viewers,
        max_kbps: max_bitrate / 1000,
        samples: series.len(),
        width: CHART_WIDTH,
        height: CHART_HEIGHT,
        time_ticks,
        value_ticks,
    }
}

/// "HH:MM" of a moment, in UTC.
fn clock(ms: i64) -> String {
    let minutes = ms.div_euclid(60_000).rem_euclid(24 * 60);
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chart_scales_both_series_into_the_box() {
        let series = [
            StreamMinute {
                minute_at: 0,
                viewers: 0,
                bitrate: 1_000_000,
            },
            StreamMinute {
                minute_at: 60_000,
                viewers: 4,
                bitrate: 2_000_000,
            },
        ];
        let chart = chart(1, &series);
        assert_eq!(chart.viewer_points, "0.0,200.0 640.0,0.0");
        assert_eq!(chart.bitrate_points, "0.0,100.0 640.0,0.0");
        assert_eq!((chart.max_viewers, chart.max_kbps), (4, 2000));
        assert_eq!(
            chart.time_ticks,
            [(0.0, "00:00".to_owned()), (640.0, "00:01".to_owned())]
        );
        assert_eq!(chart.value_ticks[1], (100.0, 2, 1000));
        assert_eq!(chart.value_ticks[3], (0.0, 4, 2000));
    }

    #[test]
    fn time_marks_fall_on_whole_steps_of_the_clock() {
        // 18:07 to 20:02 UTC, one sample every minute, with a gap.
        let start = 1_700_000_000_000 / 3_600_000 * 3_600_000 + 18 * 3_600_000 + 7 * 60_000;
        let series: Vec<StreamMinute> = (0..=115)
            .filter(|minute| !(40..60).contains(minute))
            .map(|minute| StreamMinute {
                minute_at: start + minute * 60_000,
                viewers: minute,
                bitrate: 3_000_000,
            })
            .collect();
        let chart = chart(2, &series);
        let labels: Vec<&str> = chart.time_ticks.iter().map(|(_, l)| l.as_str()).collect();
        let first_hour = clock(start).split(':').next().unwrap().to_owned();
        assert_eq!(labels.len(), 4, "{labels:?}");
        assert!(
            labels
                .iter()
                .all(|l| l.ends_with(":30") || l.ends_with(":00")),
            "{labels:?}"
        );
        assert!(labels[0].starts_with(&first_hour), "{labels:?}");
        // The gap keeps its width: x follows the clock, not the sample count.
        let x30 = chart.time_ticks[0].0;
        assert!((x30 - 23.0 / 115.0 * CHART_WIDTH).abs() < 0.01, "{x30}");
    }
}
