//! The last keyframe and everything after it (the current group of pictures), so a new viewer
//! starts decoding at once instead of waiting up to a keyframe interval.
//!
//! A keyframe is recognised by timestamp, not by contiguity: the packets of one video timestamp
//! that start with SPS/PPS/IDR, tolerating SEI and AUD between them. It replaces the cached GOP
//! only once the frame is complete (its marker bit, or the next timestamp, arrived) and it really
//! contains an IDR slice; until then the previous GOP stays servable.

use std::sync::Arc;

use super::{MediaKind, MediaPacket};
use crate::h264;

#[derive(Debug)]
struct Candidate {
    timestamp: u32,
    has_idr: bool,
    packets: Vec<Arc<MediaPacket>>,
}

/// See the module docs.
#[derive(Debug)]
pub(crate) struct KeyframeCache {
    gop: Vec<Arc<MediaPacket>>,
    candidate: Option<Candidate>,
    max_packets: usize,
}

impl KeyframeCache {
    pub(crate) fn new(max_packets: usize) -> Self {
        Self {
            gop: Vec::new(),
            candidate: None,
            max_packets: max_packets.max(1),
        }
    }

    /// True once a complete keyframe is cached.
    pub(crate) fn has_keyframe(&self) -> bool {
        !self.gop.is_empty()
    }

    /// Promotes or drops the candidate when its frame is over. Returns true when a new keyframe
    /// became current.
    fn finish_candidate(&mut self) -> bool {
        match self.candidate.take() {
            Some(c) if c.has_idr => {
                self.gop = c.packets;
                true
            }
            Some(c) => {
                // Not a real keyframe (e.g. an SPS repeated before a P-frame): it is just more of
                // the current GOP.
                for p in c.packets {
                    self.append(p);
                }
                false
            }
            None => false,
        }
    }

    fn append(&mut self, p: Arc<MediaPacket>) {
        if self.gop.is_empty() {
            return;
        }
        if self.gop.len() >= self.max_packets {
            // The GOP is too long to cache whole; serving a truncated one would give a viewer
            // a frozen picture, so wait for the next keyframe instead.
            self.gop.clear();
            return;
        }
        self.gop.push(p);
    }

    /// Adds a published packet. Returns true when a new keyframe became current.
    pub(crate) fn push(&mut self, p: &Arc<MediaPacket>) -> bool {
        let mut promoted = false;
        if p.kind == MediaKind::Video {
            let same_frame = self
                .candidate
                .as_ref()
                .is_some_and(|c| c.timestamp == p.timestamp);
            if !same_frame && self.candidate.is_some() {
                promoted |= self.finish_candidate();
            }
            if p.keyframe_start {
                promoted |= self.finish_candidate();
                self.candidate = Some(Candidate {
                    timestamp: p.timestamp,
                    has_idr: false,
                    packets: Vec::new(),
                });
            }
        }
        match self.candidate.as_mut() {
            Some(c) if c.packets.len() < self.max_packets => {
                if p.kind == MediaKind::Video && h264::contains_idr(&p.payload) {
                    c.has_idr = true;
                }
                c.packets.push(Arc::clone(p));
                if p.kind == MediaKind::Video && p.marker {
                    promoted |= self.finish_candidate();
                }
            }
            Some(_) => self.candidate = None,
            None => self.append(Arc::clone(p)),
        }
        promoted
    }

    /// The packets a new subscriber should get first: the cached GOP, then the frame being
    /// assembled (if any), in publish order.
    ///
    /// Before the first GOP is cached, a frame being assembled that began like a keyframe is
    /// served even if its IDR slice has not arrived yet (it may be a retransmission away): a
    /// subscriber turned away here would wait a whole keyframe interval for the next one.
    pub(crate) fn snapshot(&self) -> Vec<Arc<MediaPacket>> {
        if self.gop.is_empty() {
            return self
                .candidate
                .as_ref()
                .map(|c| c.packets.clone())
                .unwrap_or_default();
        }
        let mut v = self.gop.clone();
        if let Some(c) = &self.candidate {
            v.extend(c.packets.iter().cloned());
        }
        v
    }

    /// The video packets of the cached keyframe itself (the first frame of the cached GOP), for
    /// the thumbnailer. Empty until a complete keyframe is cached.
    pub(crate) fn keyframe(&self) -> Vec<Arc<MediaPacket>> {
        let Some(first) = self.gop.iter().find(|p| p.kind == MediaKind::Video) else {
            return Vec::new();
        };
        self.gop
            .iter()
            .filter(|p| p.kind == MediaKind::Video && p.timestamp == first.timestamp)
            .cloned()
            .collect()
    }

    pub(crate) fn clear(&mut self) {
        self.gop.clear();
        self.candidate = None;
    }
}
