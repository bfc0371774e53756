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

/// Scales the series into the chart box: viewers and bitrate each against their own maximum.
fn chart(stream_id: i64, series: &[StreamMinute]) -> Chart {
    let max_viewers = series.iter().map(|m| m.viewers).max().unwrap_or(0).max(1);
    let max_bitrate = series.iter().map(|m| m.bitrate).max().unwrap_or(0).max(1);
    let step = if series.len() > 1 {
        CHART_WIDTH / (series.len() - 1) as f64
    } else {
        0.0
    };
    let points = |value: &dyn Fn(&StreamMinute) -> f64| {
        series
            .iter()
            .enumerate()
            .map(|(i, minute)| {
                let x = i as f64 * step;
                let y = CHART_HEIGHT - value(minute) * CHART_HEIGHT;
                format!("{x:.1},{y:.1}")
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    Chart {
        stream_id,
        viewer_points: points(&|m| m.viewers as f64 / max_viewers as f64),
        bitrate_points: points(&|m| m.bitrate as f64 / max_bitrate as f64),
        max_viewers,
        max_kbps: max_bitrate / 1000,
        samples: series.len(),
        width: CHART_WIDTH,
        height: CHART_HEIGHT,
    }
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
    }
}
