//! Framing of the FTL control stream: lines split on `\n`, `\r` stripped, empty lines ignored.
//!
//! The reference client ends commands with `\r\n\r\n`, other clients with `\r\n` or `\n`; this
//! accepts all of them. A line longer than the limit is an error as soon as the limit is passed,
//! so a peer cannot make us buffer without bound by never sending a newline.

use thiserror::Error;

/// Why the control stream cannot be framed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum LineError {
    /// A line exceeded the configured maximum length.
    #[error("control line longer than {0} bytes")]
    TooLong(usize),
    /// A line is not UTF-8.
    #[error("control line is not UTF-8")]
    NotUtf8,
}

/// Accumulates bytes and yields complete lines.
#[derive(Debug)]
pub struct LineFramer {
    buf: Vec<u8>,
    max_line: usize,
}

impl LineFramer {
    /// A framer that refuses lines longer than `max_line` bytes (terminator excluded).
    pub fn new(max_line: usize) -> Self {
        Self {
            buf: Vec::new(),
            max_line,
        }
    }

    /// Appends received bytes.
    pub fn extend(&mut self, data: &[u8]) {
        self.buf.extend_from_slice(data);
    }

    /// The next complete non-empty line, None if more bytes are needed.
    pub fn next_line(&mut self) -> Result<Option<String>, LineError> {
        loop {
            let Some(nl) = self.buf.iter().position(|&b| b == b'\n') else {
                if self.buf.len() > self.max_line {
                    return Err(LineError::TooLong(self.max_line));
                }
                return Ok(None);
            };
            let mut line: Vec<u8> = self.buf.drain(..=nl).collect();
            line.pop();
            while line.last() == Some(&b'\r') {
                line.pop();
            }
            if line.len() > self.max_line {
                return Err(LineError::TooLong(self.max_line));
            }
            if line.iter().all(|b| *b == b'\r') {
                continue;
            }
            let line: Vec<u8> = line.into_iter().filter(|b| *b != b'\r').collect();
            return String::from_utf8(line)
                .map(Some)
                .map_err(|_| LineError::NotUtf8);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_every_terminator_variant() {
        let mut f = LineFramer::new(100);
        f.extend(b"HMAC\r\n\r\nCONNECT 1 $ab\r\nPING 1\n\n.\r");
        assert_eq!(f.next_line().unwrap().as_deref(), Some("HMAC"));
        assert_eq!(f.next_line().unwrap().as_deref(), Some("CONNECT 1 $ab"));
        assert_eq!(f.next_line().unwrap().as_deref(), Some("PING 1"));
        assert_eq!(f.next_line().unwrap(), None);
        f.extend(b"\n");
        assert_eq!(f.next_line().unwrap().as_deref(), Some("."));
    }

    #[test]
    fn oversized_and_binary_lines_are_errors() {
        let mut f = LineFramer::new(8);
        f.extend(b"123456789");
        assert_eq!(f.next_line(), Err(LineError::TooLong(8)));
        let mut f = LineFramer::new(8);
        f.extend(&[0xff, 0xfe, b'\n']);
        assert_eq!(f.next_line(), Err(LineError::NotUtf8));
    }
}
