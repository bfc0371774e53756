//! Recently published packets by sequence number, so playback can answer viewers' NACKs without
//! asking the encoder.

use std::sync::Arc;

use super::{MediaKind, MediaPacket};

/// A ring of the last N packets of each kind, indexed by sequence number.
#[derive(Debug)]
pub(crate) struct PacketHistory {
    video: Vec<Option<Arc<MediaPacket>>>,
    audio: Vec<Option<Arc<MediaPacket>>>,
}

impl PacketHistory {
    /// Sizes are rounded up to powers of two (at least 16).
    pub(crate) fn new(video: usize, audio: usize) -> Self {
        let ring = |n: usize| vec![None; n.max(16).next_power_of_two()];
        Self {
            video: ring(video),
            audio: ring(audio),
        }
    }

    fn ring(&mut self, kind: MediaKind) -> &mut Vec<Option<Arc<MediaPacket>>> {
        match kind {
            MediaKind::Video => &mut self.video,
            MediaKind::Audio => &mut self.audio,
        }
    }

    pub(crate) fn insert(&mut self, p: &Arc<MediaPacket>) {
        let ring = self.ring(p.kind);
        let i = usize::from(p.sequence) & (ring.len() - 1);
        ring[i] = Some(Arc::clone(p));
    }

    pub(crate) fn get(&self, kind: MediaKind, seq: u16) -> Option<Arc<MediaPacket>> {
        let ring = match kind {
            MediaKind::Video => &self.video,
            MediaKind::Audio => &self.audio,
        };
        ring[usize::from(seq) & (ring.len() - 1)]
            .as_ref()
            .filter(|p| p.sequence == seq)
            .cloned()
    }

    pub(crate) fn clear(&mut self) {
        self.video.iter_mut().for_each(|s| *s = None);
        self.audio.iter_mut().for_each(|s| *s = None);
    }
}
