//! The table of live streams, sans-IO: who may start, whom a new stream replaces, which SSRCs
//! collide.
//!
//! Other connections need to see a live stream for two decisions, both taken here so they can be
//! tested without sockets. **Replacement**: a new authenticated connection for a live channel
//! replaces the old session (encoders reconnect after a network blip faster than the old session
//! would time out, and the key holder is the owner), so 406 is never sent. **SSRC collisions**:
//! streams from one IP share the media port and are told apart by SSRC until their address is
//! bound, so a stream none of whose SSRCs is its own could never be routed and is refused (404
//! when it has video, 403 for audio only).
//!
//! The driver keeps one table behind a lock and stores a handle `H` per stream (how to reach that
//! stream's task); the table never waits on anything.

use std::collections::HashMap;
use std::net::IpAddr;

use crate::control::MediaAnnounce;
use crate::reply::ReplyCode;

/// A new stream whose every SSRC belongs to another live stream from the same IP.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SsrcCollision {
    /// The stream has video: its video SSRC is taken (404).
    Video,
    /// An audio-only stream's SSRC is taken (403).
    Audio,
}

impl SsrcCollision {
    /// The reply code sent to the client.
    pub fn reply_code(self) -> ReplyCode {
        match self {
            SsrcCollision::Video => ReplyCode::VideoSsrcCollision,
            SsrcCollision::Audio => ReplyCode::AudioSsrcCollision,
        }
    }

    /// Why, for the log.
    pub fn reason(self) -> &'static str {
        match self {
            SsrcCollision::Video => "video SSRC in use",
            SsrcCollision::Audio => "audio SSRC in use",
        }
    }
}

/// The announced SSRCs of a stream, video first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StreamSsrcs {
    /// The video SSRC, if the stream has video.
    pub video: Option<u32>,
    /// The audio SSRC, if the stream has audio.
    pub audio: Option<u32>,
}

impl StreamSsrcs {
    /// The SSRCs of an announcement.
    pub fn of(announce: &MediaAnnounce) -> Self {
        Self {
            video: announce.video.as_ref().map(|t| t.ssrc),
            audio: announce.audio.as_ref().map(|t| t.ssrc),
        }
    }

    /// The SSRCs present, video first.
    pub fn to_vec(self) -> Vec<u32> {
        [self.video, self.audio].into_iter().flatten().collect()
    }
}

#[derive(Debug)]
struct Entry<H> {
    session: u64,
    ip: IpAddr,
    ssrcs: Vec<u32>,
    handle: H,
}

/// Live streams by channel id. See the module docs.
#[derive(Debug)]
pub struct LiveStreams<H> {
    entries: HashMap<i64, Entry<H>>,
}

impl<H> Default for LiveStreams<H> {
    fn default() -> Self {
        Self {
            entries: HashMap::new(),
        }
    }
}

impl<H> LiveStreams<H> {
    /// May a stream of `channel_id` from `ip` with these SSRCs start? Ok holds the live session of
    /// the same channel that it replaces, if any; Err the collision that refuses it.
    pub fn admit(
        &self,
        channel_id: i64,
        ip: IpAddr,
        ssrcs: StreamSsrcs,
    ) -> Result<Option<&H>, SsrcCollision> {
        for (other, e) in &self.entries {
            if *other == channel_id || e.ip != ip {
                continue;
            }
            // Overlap is fine while one of the new stream's SSRCs is its own: the media
            // demultiplexer binds on that one.
            let taken = |s: Option<u32>| s.is_none_or(|s| e.ssrcs.contains(&s));
            if taken(ssrcs.video) && taken(ssrcs.audio) {
                return Err(if ssrcs.video.is_some() {
                    SsrcCollision::Video
                } else {
                    SsrcCollision::Audio
                });
            }
        }
        Ok(self.entries.get(&channel_id).map(|e| &e.handle))
    }

    /// Records a started stream. Returns the handle of a session of the same channel that started
    /// meanwhile: it is replaced too.
    pub fn insert(
        &mut self,
        channel_id: i64,
        session: u64,
        ip: IpAddr,
        ssrcs: StreamSsrcs,
        handle: H,
    ) -> Option<H> {
        self.entries
            .insert(
                channel_id,
                Entry {
                    session,
                    ip,
                    ssrcs: ssrcs.to_vec(),
                    handle,
                },
            )
            .map(|e| e.handle)
    }

    /// Forgets the channel's entry if it is still `session`'s (a newer session keeps its own).
    pub fn remove(&mut self, channel_id: i64, session: u64) -> Option<H> {
        if self
            .entries
            .get(&channel_id)
            .is_some_and(|e| e.session == session)
        {
            self.entries.remove(&channel_id).map(|e| e.handle)
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOME: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(192, 0, 2, 1));
    const AWAY: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(198, 51, 100, 7));

    fn av(video: u32, audio: u32) -> StreamSsrcs {
        StreamSsrcs {
            video: Some(video),
            audio: Some(audio),
        }
    }

    #[test]
    fn a_stream_sharing_one_ssrc_with_its_neighbour_is_admitted() {
        let mut live = LiveStreams::default();
        // Encoders number SSRCs from the channel id: channel 42 sends 42/43, channel 43 43/44.
        live.insert(42, 1, HOME, av(43, 42), "a");
        assert_eq!(live.admit(43, HOME, av(44, 43)), Ok(None));
    }

    #[test]
    fn a_stream_with_no_ssrc_of_its_own_is_refused_404_or_403() {
        let mut live = LiveStreams::default();
        live.insert(42, 1, HOME, av(43, 42), "a");
        let refused = live.admit(50, HOME, av(42, 43)).unwrap_err();
        assert_eq!(refused, SsrcCollision::Video);
        assert_eq!(refused.reply_code().as_u16(), 404);
        let audio_only = StreamSsrcs {
            video: None,
            audio: Some(42),
        };
        let refused = live.admit(50, HOME, audio_only).unwrap_err();
        assert_eq!(refused, SsrcCollision::Audio);
        assert_eq!(refused.reply_code().as_u16(), 403);
        // The same SSRCs from another address are told apart by address.
        assert_eq!(live.admit(50, AWAY, av(42, 43)), Ok(None));
    }

    #[test]
    fn a_new_session_of_a_live_channel_replaces_it() {
        let mut live = LiveStreams::default();
        live.insert(42, 1, HOME, av(43, 42), "first");
        // Its own SSRCs never collide with the session it replaces, even from the same IP.
        assert_eq!(live.admit(42, HOME, av(43, 42)), Ok(Some(&"first")));
        assert_eq!(
            live.insert(42, 2, AWAY, av(43, 42), "second"),
            Some("first")
        );
        // The replaced session's cleanup leaves the newer entry alone.
        assert_eq!(live.remove(42, 1), None);
        assert_eq!(live.admit(42, HOME, av(43, 42)), Ok(Some(&"second")));
        assert_eq!(live.remove(42, 2), Some("second"));
        assert_eq!(live.admit(42, HOME, av(43, 42)), Ok(None));
    }
}
