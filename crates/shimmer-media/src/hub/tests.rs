use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;

use super::*;
use crate::h264::sps::tests::X264_MAIN_720P;
use crate::rtp::RtpHeader;

const VSSRC: u32 = 2;
const ASSRC: u32 = 1;

/// Generates an FTL-like stream: 30 fps video with a keyframe every `gop` frames (SPS, PPS, SEI,
/// IDR in three FU-A fragments), P-frames as one packet, and a stereo Opus packet per frame.
struct Gen {
    vseq: u16,
    aseq: u16,
    frame: u32,
    gop: u32,
}

impl Gen {
    fn new(gop: u32) -> Self {
        Self {
            vseq: 0,
            aseq: 0,
            frame: 0,
            gop,
        }
    }

    fn video(&mut self, payload: Vec<u8>, marker: bool) -> MediaPacket {
        let h = RtpHeader::new(96, self.vseq, self.frame * 3000, VSSRC, marker);
        self.vseq = self.vseq.wrapping_add(1);
        MediaPacket::new(MediaKind::Video, &h, Bytes::from(payload), Instant::now())
    }

    /// The packets of the next frame (video then one audio packet).
    fn next_frame(&mut self) -> Vec<MediaPacket> {
        let mut out = Vec::new();
        if self.frame % self.gop == 0 {
            out.push(self.video(X264_MAIN_720P.to_vec(), false));
            out.push(self.video(vec![0x68, 0xee, 0x3c, 0x80], false));
            out.push(self.video(vec![0x06, 0x05, 0x01], false));
            out.push(self.video(vec![0x7c, 0x85, 1, 2, 3], false));
            out.push(self.video(vec![0x7c, 0x05, 4, 5, 6], false));
            out.push(self.video(vec![0x7c, 0x45, 7, 8, 9], true));
        } else {
            out.push(self.video(vec![0x41, 0x9a, self.frame as u8], true));
        }
        let h = RtpHeader::new(97, self.aseq, self.frame * 1600, ASSRC, false);
        self.aseq = self.aseq.wrapping_add(1);
        out.push(MediaPacket::new(
            MediaKind::Audio,
            &h,
            Bytes::from_static(&[0xfc, 0xff, 0xfe]),
            Instant::now(),
        ));
        self.frame += 1;
        out
    }
}

fn new_hub() -> Arc<StreamHub> {
    let info = StreamInfo {
        video: Some(StreamInfo::h264(96, VSSRC)),
        audio: Some(StreamInfo::opus(97, ASSRC, 1)),
    };
    Arc::new(StreamHub::new(7, info, HubConfig::default()))
}

fn drain(sub: &mut Subscriber) -> Vec<HubEvent> {
    std::iter::from_fn(|| sub.try_recv().ok()).collect()
}

fn packets(events: &[HubEvent]) -> Vec<Arc<MediaPacket>> {
    events
        .iter()
        .filter_map(|e| match e {
            HubEvent::Packet(p) => Some(Arc::clone(p)),
            HubEvent::Resync { .. } => None,
        })
        .collect()
}

#[test]
fn learns_sps_and_stereo_and_marks_keyframe_starts() {
    let hub = new_hub();
    let mut g = Gen::new(30);
    let mut starts = Vec::new();
    for _ in 0..61 {
        for p in g.next_frame() {
            let p = hub.publish(p).unwrap();
            if p.keyframe_start {
                starts.push(p.sequence);
            }
        }
    }
    // Exactly one start per keyframe (the SPS), not the PPS or IDR fragments after it.
    assert_eq!(starts, vec![0, 35, 70]);
    let info = hub.info();
    let sps = info.video.unwrap().sps.unwrap();
    assert_eq!((sps.width, sps.height), (1280, 720));
    assert_eq!(info.audio.unwrap().channels, 2);
    assert!(hub.has_keyframe());
    assert_eq!(hub.stats().keyframes, 3);
}

#[test]
fn new_subscriber_starts_at_last_keyframe_without_gap_or_duplicate() {
    let hub = new_hub();
    let mut g = Gen::new(30);
    for _ in 0..45 {
        for p in g.next_frame() {
            hub.publish(p);
        }
    }
    let mut sub = hub.subscribe(SubscriberOptions::default());
    for _ in 0..5 {
        for p in g.next_frame() {
            hub.publish(p);
        }
    }
    let got = packets(&drain(&mut sub));
    assert!(got[0].keyframe_start);
    assert_eq!(got[0].payload[0] & 0x1f, 7, "starts at the SPS");
    // Frames 30..50: keyframe (6 video) + 19 P-frames, one audio each.
    let video: Vec<u16> = got
        .iter()
        .filter(|p| p.kind == MediaKind::Video)
        .map(|p| p.sequence)
        .collect();
    let expected: Vec<u16> = (video[0]..video[0] + 6 + 19).collect();
    assert_eq!(
        video, expected,
        "contiguous, no duplicate at the cache/live seam"
    );
    assert_eq!(
        got.iter().filter(|p| p.kind == MediaKind::Audio).count(),
        20
    );
}

#[test]
fn subscriber_before_first_keyframe_waits_for_it() {
    let hub = new_hub();
    let mut g = Gen::new(10);
    for p in g.next_frame() {
        // Swallow the first keyframe so the hub has none cached.
        let _ = p;
    }
    for _ in 0..3 {
        for p in g.next_frame() {
            hub.publish(p);
        }
    }
    let mut sub = hub.subscribe(SubscriberOptions::default());
    for _ in 0..10 {
        for p in g.next_frame() {
            hub.publish(p);
        }
    }
    let got = packets(&drain(&mut sub));
    assert!(!got.is_empty());
    assert!(got[0].keyframe_start);
    assert_eq!(got[0].timestamp, 10 * 3000);
}

#[test]
fn subscriber_joining_the_first_keyframe_before_its_idr_gets_all_of_it() {
    let hub = new_hub();
    let mut g = Gen::new(10);
    let first = g.next_frame();
    // SPS, PPS and SEI published; the IDR's fragments are still on their way.
    for p in first[..3].iter().cloned() {
        hub.publish(p);
    }
    let mut sub = hub.subscribe(SubscriberOptions::default());
    for p in first[3..].iter().cloned() {
        hub.publish(p);
    }
    for p in g.next_frame() {
        hub.publish(p);
    }
    let got = packets(&drain(&mut sub));
    let video: Vec<u16> = got
        .iter()
        .filter(|p| p.kind == MediaKind::Video)
        .map(|p| p.sequence)
        .collect();
    assert_eq!(video, (0..7).collect::<Vec<u16>>(), "from the first SPS on");
    assert!(got[0].keyframe_start);
}

#[test]
fn stuck_subscriber_never_slows_publisher_or_others() {
    let hub = new_hub();
    let mut g = Gen::new(30);
    let mut stuck = hub.subscribe(SubscriberOptions {
        queue_capacity: Some(16),
        ..Default::default()
    });
    let mut slow = hub.subscribe(SubscriberOptions {
        queue_capacity: Some(64),
        ..Default::default()
    });
    let mut fast = hub.subscribe(SubscriberOptions {
        queue_capacity: Some(64),
        ..Default::default()
    });
    let mut fast_got = 0u64;
    let mut published = 0u64;
    let mut slow_events = Vec::new();
    let started = Instant::now();
    for frame in 0..3000 {
        for p in g.next_frame() {
            hub.publish(p);
            published += 1;
        }
        // The fast subscriber keeps up; the slow one reads a little every 10 frames.
        fast_got += packets(&drain(&mut fast)).len() as u64;
        if frame % 10 == 0 {
            for _ in 0..5 {
                if let Ok(e) = slow.try_recv() {
                    slow_events.push(e);
                }
            }
        }
    }
    let elapsed = started.elapsed();
    assert_eq!(fast_got, published, "the fast subscriber lost nothing");
    assert_eq!(fast.overflows(), 0);
    assert!(stuck.overflows() >= 1, "the stuck subscriber overflowed");
    assert!(stuck.skipped() > published - 100);
    assert!(slow.overflows() >= 1);
    assert!(
        elapsed < Duration::from_secs(5),
        "publishing {published} packets took {elapsed:?}"
    );
    // The slow subscriber resynchronised: every Resync is followed by a keyframe start.
    let resyncs: Vec<usize> = slow_events
        .iter()
        .enumerate()
        .filter(|(_, e)| matches!(e, HubEvent::Resync { .. }))
        .map(|(i, _)| i)
        .collect();
    assert!(!resyncs.is_empty());
    for i in resyncs {
        match slow_events.get(i + 1) {
            Some(HubEvent::Packet(p)) => assert!(p.keyframe_start),
            None => {}
            other => panic!("resync followed by {other:?}"),
        }
    }
    // The stuck subscriber still holds only its first 16 events and then nothing: bounded memory.
    assert_eq!(drain(&mut stuck).len(), 16);
}

#[test]
fn dropped_subscriber_is_removed() {
    let hub = new_hub();
    let sub = hub.subscribe(SubscriberOptions::default());
    assert_eq!(hub.stats().subscribers, 1);
    drop(sub);
    let mut g = Gen::new(30);
    for p in g.next_frame() {
        hub.publish(p);
    }
    assert_eq!(hub.stats().subscribers, 0);
}

#[test]
fn history_serves_nacks() {
    let hub = new_hub();
    let mut g = Gen::new(30);
    for _ in 0..100 {
        for p in g.next_frame() {
            hub.publish(p);
        }
    }
    let p = hub.lookup(MediaKind::Video, 40).unwrap();
    assert_eq!(p.sequence, 40);
    assert!(hub.lookup(MediaKind::Video, 5000).is_none());
    assert_eq!(
        hub.lookup(MediaKind::Audio, 99).unwrap().kind,
        MediaKind::Audio
    );
}

#[tokio::test]
async fn subscribers_observe_the_end() {
    let registry = HubRegistry::default();
    let hub = registry.create(
        7,
        StreamInfo {
            video: Some(StreamInfo::h264(96, VSSRC)),
            audio: None,
        },
    );
    let mut g = Gen::new(30);
    for p in g.next_frame() {
        hub.publish(p);
    }
    let mut sub = registry
        .get(7)
        .unwrap()
        .subscribe(SubscriberOptions::default());
    let reader = tokio::spawn(async move {
        let mut n = 0;
        while sub.recv().await.is_some() {
            n += 1;
        }
        n
    });
    tokio::time::sleep(Duration::from_millis(20)).await;
    assert!(registry.remove(&hub));
    let n = tokio::time::timeout(Duration::from_secs(2), reader)
        .await
        .expect("recv returned None after end")
        .unwrap();
    assert_eq!(
        n, 7,
        "the cached keyframe (6 video + 1 audio) was read first"
    );
    assert!(registry.get(7).is_none());
    assert!(hub.publish(g.next_frame().remove(0)).is_none());
    let mut late = hub.subscribe(SubscriberOptions::default());
    assert_eq!(late.try_recv().unwrap_err(), TryRecvError::Ended);
}

#[test]
fn registry_replacement_ends_old_hub_and_keeps_new() {
    let registry = HubRegistry::default();
    let old = registry.create(1, StreamInfo::default());
    let mut sub = old.subscribe(SubscriberOptions::default());
    let new = registry.create(1, StreamInfo::default());
    assert!(old.is_ended());
    assert_eq!(sub.try_recv().unwrap_err(), TryRecvError::Ended);
    assert!(
        !registry.remove(&old),
        "the old session must not remove its successor"
    );
    assert!(Arc::ptr_eq(&registry.get(1).unwrap(), &new));
    assert_eq!(registry.channels(), vec![1]);
}

#[test]
fn latest_keyframe_is_the_last_idr_frame_only() {
    let hub = new_hub();
    let mut g = Gen::new(30);
    assert!(hub.latest_keyframe().is_none());
    for p in g.next_frame() {
        hub.publish(p);
    }
    let first = hub
        .latest_keyframe()
        .expect("the first keyframe is complete");
    assert_eq!(first.len(), 6);
    for _ in 1..40 {
        for p in g.next_frame() {
            hub.publish(p);
        }
    }
    let keyframe = hub.latest_keyframe().unwrap();
    assert_eq!(keyframe.len(), 6, "SPS, PPS, SEI and three IDR fragments");
    assert!(keyframe.iter().all(|p| p.kind == MediaKind::Video));
    assert!(keyframe.iter().all(|p| p.timestamp == 30 * 3000));
    let annexb =
        crate::h264::access_unit_annexb(keyframe.iter().map(|p| (p.sequence, p.payload.as_ref())));
    let nals = crate::h264::annexb::split_nal_units(&annexb);
    let types: Vec<u8> = nals.iter().map(|n| n[0] & 0x1f).collect();
    assert_eq!(types, vec![7, 8, 6, 5]);
    assert_eq!(nals[3], &[0x65, 1, 2, 3, 4, 5, 6, 7, 8, 9][..]);
    hub.end();
    assert!(hub.latest_keyframe().is_none());
}

#[tokio::test]
async fn keyframe_requests_reach_the_publisher_coalesced() {
    let hub = new_hub();
    let wait = Duration::from_millis(50);
    // Nobody asked: the publisher's wait does not resolve.
    assert!(tokio::time::timeout(wait, hub.keyframe_requested())
        .await
        .is_err());
    // Three viewers ask before the publisher looks: one request is seen, then none.
    for _ in 0..3 {
        hub.request_keyframe();
    }
    tokio::time::timeout(wait, hub.keyframe_requested())
        .await
        .expect("a stored request");
    assert!(tokio::time::timeout(wait, hub.keyframe_requested())
        .await
        .is_err());
    // After the end, requests are ignored.
    hub.end();
    hub.request_keyframe();
    assert!(tokio::time::timeout(wait, hub.keyframe_requested())
        .await
        .is_err());
}

/// A hub past its first frame and a frame-run subscriber that has read the cached GOP.
fn frame_run_hub(gop: u32) -> (Arc<StreamHub>, Gen, Subscriber) {
    let hub = new_hub();
    let mut gen = Gen::new(gop);
    for p in gen.next_frame() {
        hub.publish(p);
    }
    let mut runs = hub.subscribe(SubscriberOptions {
        frame_runs: true,
        ..Default::default()
    });
    drain(&mut runs);
    (hub, gen, runs)
}

/// (kind, sequence) of each packet, to compare orders.
fn order(events: &[HubEvent]) -> Vec<(MediaKind, u16)> {
    packets(events)
        .iter()
        .map(|p| (p.kind, p.sequence))
        .collect()
}

/// A one-packet video frame at `timestamp` without its marker.
fn unmarked(gen: &mut Gen, timestamp: u32) -> MediaPacket {
    let mut p = gen.video(vec![0x41, 0x9a, 1], false);
    p.timestamp = timestamp;
    p
}

#[test]
fn a_frame_run_subscriber_gets_a_frame_once_its_last_packet_is_in() {
    let (hub, mut gen, mut runs) = frame_run_hub(30);
    let mut each = hub.subscribe(SubscriberOptions::default());
    drain(&mut each);

    // A keyframe (six packets) whose packets arrive one by one: nothing until the marker, then
    // all of it in order, while the other subscriber gets every packet at once.
    let frame: Vec<MediaPacket> = (0..30).map(|_| gen.next_frame()).nth(29).unwrap();
    let (video, audio): (Vec<_>, Vec<_>) =
        frame.into_iter().partition(|p| p.kind == MediaKind::Video);
    let sent: Vec<(MediaKind, u16)> = video.iter().map(|p| (p.kind, p.sequence)).collect();
    assert!(video.len() == 6 && video.last().unwrap().marker);
    for (i, p) in video.into_iter().enumerate() {
        hub.publish(p);
        assert_eq!(
            drain(&mut each).len(),
            1,
            "every packet at once for the other"
        );
        let got = drain(&mut runs);
        if i < 5 {
            assert!(got.is_empty(), "packet {i} came before the frame was whole");
        } else {
            assert_eq!(order(&got), sent);
        }
    }
    for p in audio {
        hub.publish(p);
    }
    assert_eq!(drain(&mut runs).len(), 1, "audio never waits");
}

#[test]
fn audio_and_a_new_frame_release_what_a_frame_run_subscriber_holds() {
    let (hub, mut gen, mut runs) = frame_run_hub(1);

    // Audio in the middle of a frame: the frame so far, then the audio, in publish order.
    let frame = gen.next_frame();
    let (video, audio): (Vec<_>, Vec<_>) =
        frame.into_iter().partition(|p| p.kind == MediaKind::Video);
    let mut published = Vec::new();
    let mut video = video.into_iter();
    for p in video.by_ref().take(2).chain(audio) {
        published.push((p.kind, p.sequence));
        hub.publish(p);
    }
    assert_eq!(order(&drain(&mut runs)), published);

    // The rest of the frame comes with its marker.
    let rest: Vec<MediaPacket> = video.collect();
    let expected: Vec<(MediaKind, u16)> = rest.iter().map(|p| (p.kind, p.sequence)).collect();
    for p in rest {
        hub.publish(p);
    }
    assert_eq!(order(&drain(&mut runs)), expected);

    // A frame whose marker never comes is released when the next frame begins.
    let first = unmarked(&mut gen, 900_000);
    let first_seq = first.sequence;
    hub.publish(first);
    assert!(drain(&mut runs).is_empty());
    hub.publish(unmarked(&mut gen, 903_000));
    assert_eq!(
        order(&drain(&mut runs)),
        vec![(MediaKind::Video, first_seq)]
    );
}

#[tokio::test]
async fn a_frame_run_subscriber_reads_what_was_held_when_the_stream_ends() {
    let (hub, mut gen, mut runs) = frame_run_hub(1);
    let partial = unmarked(&mut gen, 700_000);
    let seq = partial.sequence;
    hub.publish(partial);
    hub.end();
    match runs.recv().await {
        Some(HubEvent::Packet(p)) => assert_eq!(p.sequence, seq),
        other => panic!("expected the held packet, got {other:?}"),
    }
    assert!(runs.recv().await.is_none());
}

#[test]
fn a_large_frame_reaches_a_frame_run_subscriber_in_runs() {
    let (hub, mut gen, mut runs) = frame_run_hub(1);
    let mut got = Vec::new();
    for i in 0..FRAME_RUN_PACKETS * 2 + 3 {
        hub.publish(unmarked(&mut gen, 500_000));
        let n = drain(&mut runs).len();
        if n > 0 {
            got.push((i + 1, n));
        }
    }
    assert_eq!(
        got,
        vec![
            (FRAME_RUN_PACKETS, FRAME_RUN_PACKETS),
            (FRAME_RUN_PACKETS * 2, FRAME_RUN_PACKETS)
        ]
    );
}

/// A consumer that shares one frame-run subscription among its viewers starts a new viewer at
/// the hub's join point: the backlog, then the shared subscription's packets after the point's
/// index, make one stream from a keyframe without a gap or a duplicate, even when the point is
/// taken in the middle of a frame the shared subscription still holds.
#[test]
fn a_join_point_and_a_shared_subscription_make_one_contiguous_stream() {
    let (hub, mut gen, mut shared) = frame_run_hub(4);
    for _ in 0..3 {
        for p in gen.next_frame() {
            hub.publish(p);
        }
    }
    drain(&mut shared);
    // The next keyframe, half published when the viewer joins.
    let keyframe = gen.next_frame();
    let (before, after) = keyframe.split_at(3);
    for p in before {
        hub.publish(p.clone());
    }
    let point = hub.join_point();
    for p in after {
        hub.publish(p.clone());
    }
    for _ in 0..5 {
        for p in gen.next_frame() {
            hub.publish(p);
        }
    }
    let live = packets(&drain(&mut shared));
    let joined: Vec<_> = point
        .backlog
        .iter()
        .chain(live.iter().filter(|p| p.hub_index() > point.after))
        .collect();
    assert!(joined[0].keyframe_start, "starts on a keyframe");
    let indexes: Vec<u64> = joined.iter().map(|p| p.hub_index()).collect();
    assert!(indexes.windows(2).all(|w| w[1] > w[0]), "{indexes:?}");
    for kind in [MediaKind::Video, MediaKind::Audio] {
        let seqs: Vec<u16> = joined
            .iter()
            .filter(|p| p.kind == kind)
            .map(|p| p.sequence)
            .collect();
        assert!(
            seqs.windows(2).all(|w| w[1] == w[0] + 1),
            "{kind:?}: {seqs:?}"
        );
    }
    // Through the end of the last frame published.
    assert_eq!(joined.last().unwrap().hub_index(), hub.stats().packets);
}
