//! fMP4 (CMAF) boxes: the init segment (`ftyp` + `moov`) and media fragments (`moof` + `mdat`),
//! built with `mp4-atom`.

use mp4_atom::esds::{DecoderConfig, DecoderSpecific, EsDescriptor, SLConfig};
use mp4_atom::{
    Audio, Avc1, Avcc, AvccExt, Codec, Dinf, Dops, Dref, Encode, Esds, FourCC, Ftyp, Hdlr, Mdat,
    Mdhd, Mdia, Mfhd, Minf, Moof, Moov, Mp4a, Mvex, Mvhd, Opus, Smhd, Stbl, Stco, Stsc, Stsd, Stsz,
    Stts, Tfdt, Tfhd, Tkhd, Traf, Trak, Trex, Trun, TrunEntry, TrunSamples, Url, Visual, Vmhd,
};
pub use shimmer_media::hub::AacConfig;

/// The video track's id in every file this crate writes.
pub const VIDEO_TRACK: u32 = 1;
/// The audio track's id.
pub const AUDIO_TRACK: u32 = 2;
/// Video timescale (RTP's H.264 clock).
pub const VIDEO_TIMESCALE: u32 = 90_000;
/// Opus's clock, the Opus track's timescale.
pub const OPUS_TIMESCALE: u32 = 48_000;

/// A sample that starts decoding on its own (`sample_depends_on` = 2).
const SYNC_SAMPLE: u32 = 0x0200_0000;
/// A sample that depends on others and is not a sync sample.
const NON_SYNC_SAMPLE: u32 = 0x0101_0000;

/// Errors writing boxes (only from inconsistent input, e.g. a parameter set too short).
#[derive(Debug, thiserror::Error)]
pub enum Fmp4Error {
    /// mp4-atom refused to encode.
    #[error("could not write an MP4 box: {0}")]
    Encode(#[from] mp4_atom::Error),
}

/// What the init segment describes of the video track.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VideoParams {
    /// The sequence parameter set (NAL header byte first).
    pub sps: Vec<u8>,
    /// The picture parameter set.
    pub pps: Vec<u8>,
    /// Displayed size.
    pub width: u32,
    /// Displayed size.
    pub height: u32,
    /// chroma_format_idc (1 = 4:2:0).
    pub chroma_format: u8,
    /// Bit depth of luma and chroma.
    pub bit_depth: u8,
}

impl VideoParams {
    /// The RFC 6381 codec string for playlists, e.g. `avc1.64001f`.
    pub fn codec_string(&self) -> String {
        let bytes = self.sps.get(1..4).unwrap_or(&[66, 0, 30]);
        format!("avc1.{:02x}{:02x}{:02x}", bytes[0], bytes[1], bytes[2])
    }
}

/// What the init segment describes of the audio track.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AudioParams {
    /// Opus (1 or 2 channels) at 48 kHz.
    Opus {
        /// 1 or 2.
        channels: u8,
    },
    /// AAC as the encoder sent it.
    Aac(AacConfig),
}

impl AudioParams {
    /// The track's timescale: its sample rate.
    pub fn timescale(&self) -> u32 {
        match self {
            Self::Opus { .. } => OPUS_TIMESCALE,
            Self::Aac(config) => config.sample_rate,
        }
    }

    /// The RFC 6381 codec string for playlists.
    pub fn codec_string(&self) -> String {
        match self {
            Self::Opus { .. } => "opus".into(),
            Self::Aac(config) => config.codec_string(),
        }
    }
}

/// Writes the init segment for the given tracks.
pub fn init_segment(
    video: Option<&VideoParams>,
    audio: Option<&AudioParams>,
) -> Result<Vec<u8>, Fmp4Error> {
    let mut traks = Vec::new();
    let mut trex = Vec::new();
    if let Some(video) = video {
        traks.push(video_trak(video)?);
        trex.push(trex_for(VIDEO_TRACK));
    }
    if let Some(audio) = audio {
        traks.push(audio_trak(audio));
        trex.push(trex_for(AUDIO_TRACK));
    }
    let moov = Moov {
        mvhd: Mvhd {
            timescale: 1000,
            next_track_id: AUDIO_TRACK + 1,
            ..Default::default()
        },
        mvex: Some(Mvex { mehd: None, trex }),
        trak: traks,
        ..Default::default()
    };
    let ftyp = Ftyp {
        major_brand: FourCC::new(b"iso6"),
        minor_version: 0,
        compatible_brands: vec![
            FourCC::new(b"iso6"),
            FourCC::new(b"cmfc"),
            FourCC::new(b"mp41"),
        ],
    };
    let mut out = Vec::with_capacity(1024);
    ftyp.encode(&mut out)?;
    moov.encode(&mut out)?;
    Ok(out)
}

fn trex_for(track_id: u32) -> Trex {
    Trex {
        track_id,
        default_sample_description_index: 1,
        default_sample_duration: 0,
        default_sample_size: 0,
        default_sample_flags: 0,
    }
}

fn dinf() -> Dinf {
    Dinf {
        dref: Dref {
            entries: vec![Url::default().into()],
        },
    }
}

fn empty_stbl(codec: Codec) -> Stbl {
    Stbl {
        stsd: Stsd {
            codecs: vec![codec],
        },
        stts: Stts::default(),
        stsc: Stsc::default(),
        stsz: Stsz::default(),
        stco: Some(Stco::default()),
        ..Default::default()
    }
}

fn video_trak(video: &VideoParams) -> Result<Trak, Fmp4Error> {
    let mut avcc = Avcc::new(&video.sps, &video.pps)?;
    if matches!(avcc.avc_profile_indication, 100 | 110 | 122 | 144) {
        avcc.ext = Some(AvccExt {
            chroma_format: video.chroma_format,
            bit_depth_luma: video.bit_depth,
            bit_depth_chroma: video.bit_depth,
            sequence_parameter_sets_ext: Vec::new(),
        });
    }
    let width = u16::try_from(video.width).unwrap_or(u16::MAX);
    let height = u16::try_from(video.height).unwrap_or(u16::MAX);
    let avc1 = Avc1 {
        visual: Visual {
            data_reference_index: 1,
            width,
            height,
            ..Default::default()
        },
        avcc,
        btrt: None,
        colr: None,
        pasp: None,
        taic: None,
        fiel: None,
        spatial: None,
    };
    Ok(Trak {
        tkhd: Tkhd {
            track_id: VIDEO_TRACK,
            enabled: true,
            in_movie: true,
            width: width.into(),
            height: height.into(),
            ..Default::default()
        },
        mdia: Mdia {
            mdhd: Mdhd {
                timescale: VIDEO_TIMESCALE,
                language: "und".into(),
                ..Default::default()
            },
            hdlr: Hdlr {
                handler: FourCC::new(b"vide"),
                name: "Shimmer video".into(),
            },
            minf: Minf {
                vmhd: Some(Vmhd::default()),
                dinf: dinf(),
                stbl: empty_stbl(avc1.into()),
                ..Default::default()
            },
        },
        ..Default::default()
    })
}

fn audio_trak(audio: &AudioParams) -> Trak {
    let codec: Codec = match audio {
        AudioParams::Opus { channels } => Opus {
            audio: Audio {
                data_reference_index: 1,
                channel_count: u16::from(*channels),
                sample_size: 16,
                sample_rate: 48_000u16.into(),
            },
            dops: Dops {
                output_channel_count: *channels,
                pre_skip: 0,
                input_sample_rate: 48_000,
                output_gain: 0,
                channel_mapping: None,
            },
            btrt: None,
        }
        .into(),
        AudioParams::Aac(config) => Mp4a {
            audio: Audio {
                data_reference_index: 1,
                channel_count: u16::from(config.channels),
                sample_size: 16,
                sample_rate: u16::try_from(config.sample_rate).unwrap_or(0).into(),
            },
            esds: Esds {
                es_desc: EsDescriptor {
                    es_id: AUDIO_TRACK as u16,
                    depends_on_es_id: None,
                    url: None,
                    ocr_es_id: None,
                    stream_priority: 0,
                    dec_config: DecoderConfig {
                        object_type_indication: 0x40,
                        stream_type: 5,
                        up_stream: 0,
                        buffer_size_db: Default::default(),
                        max_bitrate: 0,
                        avg_bitrate: 0,
                        dec_specific: Some(DecoderSpecific {
                            profile: config.object_type,
                            freq_index: 0,
                            chan_conf: config.channels,
                            raw: config.asc.to_vec(),
                        }),
                    },
                    sl_config: SLConfig::default(),
                },
            },
            btrt: None,
            taic: None,
        }
        .into(),
    };
    Trak {
        tkhd: Tkhd {
            track_id: AUDIO_TRACK,
            enabled: true,
            in_movie: true,
            alternate_group: 1,
            volume: 1.into(),
            ..Default::default()
        },
        mdia: Mdia {
            mdhd: Mdhd {
                timescale: audio.timescale(),
                language: "und".into(),
                ..Default::default()
            },
            hdlr: Hdlr {
                handler: FourCC::new(b"soun"),
                name: "Shimmer audio".into(),
            },
            minf: Minf {
                smhd: Some(Smhd::default()),
                dinf: dinf(),
                stbl: empty_stbl(codec),
                ..Default::default()
            },
        },
        ..Default::default()
    }
}

/// A sample ready for a fragment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sample {
    /// Decode time in the track's timescale.
    pub dts: u64,
    /// Duration in the track's timescale.
    pub duration: u32,
    /// Presentation minus decode time (negative for frames shown before they decode on the
    /// reconstructed clock).
    pub composition_offset: i32,
    /// Decodes on its own.
    pub sync: bool,
    /// The sample's bytes.
    pub data: bytes::Bytes,
}

/// One track's samples in a fragment.
#[derive(Debug, Clone, Copy)]
pub struct TrackRun<'a> {
    /// [`VIDEO_TRACK`] or [`AUDIO_TRACK`].
    pub track_id: u32,
    /// The samples, in decode order; none makes no `traf`.
    pub samples: &'a [Sample],
}

/// Writes one fragment (`moof` + `mdat`) holding the runs in order, each track's data contiguous
/// in the `mdat`.
pub fn fragment(sequence: u32, runs: &[TrackRun<'_>]) -> Result<Vec<u8>, Fmp4Error> {
    let runs: Vec<&TrackRun<'_>> = runs.iter().filter(|run| !run.samples.is_empty()).collect();
    let build = |offsets: &[i32]| Moof {
        mfhd: Mfhd {
            sequence_number: sequence,
        },
        traf: runs
            .iter()
            .zip(offsets)
            .map(|(run, &offset)| Traf {
                tfhd: Tfhd {
                    track_id: run.track_id,
                    default_base_is_moof: true,
                    ..Default::default()
                },
                tfdt: Some(Tfdt {
                    base_media_decode_time: run.samples[0].dts,
                }),
                trun: vec![Trun {
                    data_offset: Some(offset),
                    samples: TrunSamples::Explicit(
                        run.samples
                            .iter()
                            .map(|sample| TrunEntry {
                                duration: Some(sample.duration),
                                size: Some(sample.data.len() as u32),
                                flags: Some(if sample.sync {
                                    SYNC_SAMPLE
                                } else {
                                    NON_SYNC_SAMPLE
                                }),
                                cts: Some(i64::from(sample.composition_offset)),
                            })
                            .collect(),
                    ),
                }],
                ..Default::default()
            })
            .collect(),
    };
    let mut probe = Vec::new();
    build(&vec![0; runs.len()]).encode(&mut probe)?;
    let moof_size = probe.len();
    let mut offsets = Vec::with_capacity(runs.len());
    let mut position = moof_size + 8;
    let mut data = Vec::new();
    for run in &runs {
        offsets.push(i32::try_from(position).unwrap_or(i32::MAX));
        for sample in run.samples {
            position += sample.data.len();
            data.extend_from_slice(&sample.data);
        }
    }
    let mut out = Vec::with_capacity(moof_size + 8 + data.len());
    build(&offsets).encode(&mut out)?;
    Mdat { data }.encode(&mut out)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use mp4_atom::{Any, Decode};

    fn params() -> VideoParams {
        VideoParams {
            sps: vec![0x67, 0x64, 0x00, 0x1f, 0xac, 0xd9, 0x40, 0x50],
            pps: vec![0x68, 0xeb, 0xe3, 0xcb],
            width: 1280,
            height: 720,
            chroma_format: 1,
            bit_depth: 8,
        }
    }

    #[test]
    fn init_segment_parses_back_with_both_tracks() {
        let bytes =
            init_segment(Some(&params()), Some(&AudioParams::Opus { channels: 2 })).unwrap();
        let mut buf = bytes.as_slice();
        let ftyp = Any::decode(&mut buf).unwrap();
        assert!(matches!(ftyp, Any::Ftyp(_)));
        let Any::Moov(moov) = Any::decode(&mut buf).unwrap() else {
            panic!("no moov");
        };
        assert_eq!(moov.trak.len(), 2);
        assert_eq!(moov.trak[0].mdia.mdhd.timescale, VIDEO_TIMESCALE);
        assert_eq!(moov.trak[1].mdia.mdhd.timescale, OPUS_TIMESCALE);
        let aac = AudioParams::Aac(AacConfig::parse(&[0x12, 0x10]).unwrap());
        let bytes = init_segment(Some(&params()), Some(&aac)).unwrap();
        let mut buf = bytes.as_slice();
        Any::decode(&mut buf).unwrap();
        let Any::Moov(moov) = Any::decode(&mut buf).unwrap() else {
            panic!("no moov");
        };
        assert_eq!(moov.trak[1].mdia.mdhd.timescale, 44_100);
        assert_eq!(aac.codec_string(), "mp4a.40.2");
        assert_eq!(params().codec_string(), "avc1.64001f");
    }

    #[test]
    fn fragment_offsets_point_at_each_tracks_data() {
        let video = [
            Sample {
                dts: 90_000,
                duration: 3000,
                composition_offset: 6000,
                sync: true,
                data: bytes::Bytes::from_static(b"video-one"),
            },
            Sample {
                dts: 93_000,
                duration: 3000,
                composition_offset: -3000,
                sync: false,
                data: bytes::Bytes::from_static(b"video-two!"),
            },
        ];
        let audio = [Sample {
            dts: 48_000,
            duration: 960,
            composition_offset: 0,
            sync: true,
            data: bytes::Bytes::from_static(b"opus"),
        }];
        let bytes = fragment(
            7,
            &[
                TrackRun {
                    track_id: VIDEO_TRACK,
                    samples: &video,
                },
                TrackRun {
                    track_id: AUDIO_TRACK,
                    samples: &audio,
                },
            ],
        )
        .unwrap();
        let mut buf = bytes.as_slice();
        let Any::Moof(moof) = Any::decode(&mut buf).unwrap() else {
            panic!("no moof");
        };
        assert_eq!(moof.mfhd.sequence_number, 7);
        let offsets: Vec<usize> = moof
            .traf
            .iter()
            .map(|traf| traf.trun[0].data_offset.unwrap() as usize)
            .collect();
        assert_eq!(&bytes[offsets[0]..offsets[0] + 9], b"video-one");
        assert_eq!(&bytes[offsets[1]..offsets[1] + 4], b"opus");
        let entries: Vec<TrunEntry> = moof.traf[0].trun[0].samples.iter().collect();
        assert_eq!(entries[1].cts, Some(-3000));
        assert_eq!(
            moof.traf[0].tfdt.as_ref().unwrap().base_media_decode_time,
            90_000
        );
    }
}
