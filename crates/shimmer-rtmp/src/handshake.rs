//! The server side of the plain RTMP handshake.
//!
//! ```text
//! C: C0 (version 3) + C1 (1536 bytes: time, zero, random)
//! S: S0 (version 3) + S1 (1536 bytes: time, zero, random) + S2 (echo of C1)
//! C: C2 (echo of S1; its content is not checked)
//! ```
//!
//! Publishers do not need the digest ("complex") handshake: ffmpeg checks the server's digest
//! only when it is playing and the server advertises a version in S1 bytes 4..8, and librtmp
//! (OBS) only logs a warning when S2 differs from C1. S1 therefore carries a zero version, and S2
//! is C1 echoed byte for byte, which satisfies both.

use thiserror::Error;

/// The only RTMP version (C0/S0 byte) in use.
pub const RTMP_VERSION: u8 = 3;
/// Length of C1, C2, S1 and S2.
pub const HANDSHAKE_LEN: usize = 1536;

/// Why a handshake failed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum HandshakeError {
    /// C0 named a version other than 3 (RTMPE's 6 included: encryption is not offered).
    #[error("unsupported RTMP version {0} in C0")]
    UnsupportedVersion(u8),
}

#[derive(Debug)]
enum Stage {
    AwaitC0C1,
    AwaitC2,
    Done,
}

/// Handshake progress after some bytes.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct HandshakeProgress {
    /// Bytes to send to the client (S0+S1+S2, once).
    pub transmit: Vec<u8>,
    /// Bytes consumed from the input.
    pub consumed: usize,
    /// True once C2 has been read: everything after `consumed` is chunk-stream data.
    pub done: bool,
}

/// The server handshake, fed bytes as they arrive.
#[derive(Debug)]
pub struct ServerHandshake {
    stage: Stage,
    s1: Vec<u8>,
}

impl ServerHandshake {
    /// A handshake whose S1 carries `server_time` (milliseconds, any epoch) and `random`
    /// (repeated to fill 1528 bytes; the driver passes fresh random bytes).
    pub fn new(server_time: u32, random: &[u8]) -> Self {
        let mut s1 = Vec::with_capacity(HANDSHAKE_LEN);
        s1.extend_from_slice(&server_time.to_be_bytes());
        s1.extend_from_slice(&[0, 0, 0, 0]);
        if random.is_empty() {
            s1.resize(HANDSHAKE_LEN, 0);
        } else {
            while s1.len() < HANDSHAKE_LEN {
                let take = (HANDSHAKE_LEN - s1.len()).min(random.len());
                s1.extend_from_slice(&random[..take]);
            }
        }
        Self {
            stage: Stage::AwaitC0C1,
            s1,
        }
    }

    /// True once C2 has been read.
    pub fn is_done(&self) -> bool {
        matches!(self.stage, Stage::Done)
    }

    /// Consumes what it can of `input`.
    pub fn feed(&mut self, input: &[u8]) -> Result<HandshakeProgress, HandshakeError> {
        let mut progress = HandshakeProgress::default();
        loop {
            let rest = &input[progress.consumed..];
            match self.stage {
                Stage::AwaitC0C1 => {
                    if let Some(&version) = rest.first() {
                        if version != RTMP_VERSION {
                            return Err(HandshakeError::UnsupportedVersion(version));
                        }
                    }
                    let Some(c1) = rest.get(1..1 + HANDSHAKE_LEN) else {
                        return Ok(progress);
                    };
                    progress.transmit.push(RTMP_VERSION);
                    progress.transmit.extend_from_slice(&self.s1);
                    progress.transmit.extend_from_slice(c1);
                    progress.consumed += 1 + HANDSHAKE_LEN;
                    self.stage = Stage::AwaitC2;
                }
                Stage::AwaitC2 => {
                    if rest.len() < HANDSHAKE_LEN {
                        return Ok(progress);
                    }
                    progress.consumed += HANDSHAKE_LEN;
                    progress.done = true;
                    self.stage = Stage::Done;
                }
                Stage::Done => {
                    progress.done = true;
                    return Ok(progress);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c0c1() -> Vec<u8> {
        let mut bytes = vec![RTMP_VERSION];
        bytes.extend((0..HANDSHAKE_LEN).map(|i| (i * 7) as u8));
        bytes
    }

    #[test]
    fn answers_s0_s1_s2_and_finishes_on_c2() {
        let mut hs = ServerHandshake::new(1234, &[9, 8, 7]);
        let c0c1 = c0c1();
        let progress = hs.feed(&c0c1).unwrap();
        assert_eq!(progress.consumed, 1 + HANDSHAKE_LEN);
        assert!(!progress.done);
        let out = progress.transmit;
        assert_eq!(out.len(), 1 + 2 * HANDSHAKE_LEN);
        assert_eq!(out[0], RTMP_VERSION);
        assert_eq!(&out[1..5], &1234u32.to_be_bytes());
        assert_eq!(
            &out[5..9],
            &[0, 0, 0, 0],
            "S1 carries no version: no digest"
        );
        assert_eq!(&out[9..12], &[9, 8, 7]);
        assert_eq!(&out[1 + HANDSHAKE_LEN..], &c0c1[1..], "S2 echoes C1");

        let mut c2_and_more = vec![0u8; HANDSHAKE_LEN];
        c2_and_more.extend_from_slice(&[0x03, 0xAA]);
        let progress = hs.feed(&c2_and_more).unwrap();
        assert!(progress.done);
        assert_eq!(progress.consumed, HANDSHAKE_LEN);
        assert!(progress.transmit.is_empty());
        assert!(hs.is_done());
    }

    #[test]
    fn byte_by_byte_arrival_gives_the_same_answer() {
        let mut hs = ServerHandshake::new(0, &[]);
        let mut input = c0c1();
        input.extend(std::iter::repeat_n(0u8, HANDSHAKE_LEN));
        let mut buffered = Vec::new();
        let mut transmitted = Vec::new();
        let mut done = false;
        for byte in input {
            buffered.push(byte);
            let progress = hs.feed(&buffered).unwrap();
            buffered.drain(..progress.consumed);
            transmitted.extend(progress.transmit);
            done = progress.done;
        }
        assert!(done);
        assert!(buffered.is_empty());
        assert_eq!(transmitted.len(), 1 + 2 * HANDSHAKE_LEN);
    }

    #[test]
    fn other_versions_are_refused_at_once() {
        let mut hs = ServerHandshake::new(0, &[1]);
        assert_eq!(hs.feed(&[6]), Err(HandshakeError::UnsupportedVersion(6)));
        let mut hs = ServerHandshake::new(0, &[1]);
        assert_eq!(
            hs.feed(b"GET / HTTP/1.1\r\n"),
            Err(HandshakeError::UnsupportedVersion(b'G'))
        );
    }
}
