//! Just enough STUN to route a datagram to its session: the local ICE ufrag from the USERNAME
//! attribute of a binding request (RFC 8445: `USERNAME = <receiver ufrag>:<sender ufrag>`).
//! Everything else about STUN is str0m's job.

const MAGIC_COOKIE: [u8; 4] = [0x21, 0x12, 0xa4, 0x42];
const ATTR_USERNAME: u16 = 0x0006;
const HEADER_LEN: usize = 20;

/// True if the datagram looks like STUN (RFC 7983 demultiplexing: first byte 0..=3 and the magic
/// cookie in place).
pub fn is_stun(buf: &[u8]) -> bool {
    buf.len() >= HEADER_LEN && buf[0] < 4 && buf[4..8] == MAGIC_COOKIE
}

/// The receiver's (our) ufrag from a STUN message's USERNAME attribute, if present and valid
/// UTF-8. Never panics, whatever the input.
pub fn local_ufrag(buf: &[u8]) -> Option<&str> {
    if !is_stun(buf) {
        return None;
    }
    let declared = usize::from(u16::from_be_bytes([buf[2], buf[3]]));
    let end = (HEADER_LEN + declared).min(buf.len());
    let mut pos = HEADER_LEN;
    while pos + 4 <= end {
        let kind = u16::from_be_bytes([buf[pos], buf[pos + 1]]);
        let len = usize::from(u16::from_be_bytes([buf[pos + 2], buf[pos + 3]]));
        let value = buf.get(pos + 4..pos + 4 + len)?;
        if kind == ATTR_USERNAME {
            let username = std::str::from_utf8(value).ok()?;
            let ufrag = username.split(':').next()?;
            return (!ufrag.is_empty()).then_some(ufrag);
        }
        // Attributes are padded to 4 bytes.
        pos += 4 + len.div_ceil(4) * 4;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn binding_request(username: &[u8]) -> Vec<u8> {
        let mut attrs = Vec::new();
        // A PRIORITY attribute first, so the parser has to skip one.
        attrs.extend_from_slice(&[0x00, 0x24, 0x00, 0x04, 1, 2, 3, 4]);
        attrs.extend_from_slice(&ATTR_USERNAME.to_be_bytes());
        attrs.extend_from_slice(&(username.len() as u16).to_be_bytes());
        attrs.extend_from_slice(username);
        while attrs.len() % 4 != 0 {
            attrs.push(0);
        }
        let mut m = vec![0x00, 0x01];
        m.extend_from_slice(&(attrs.len() as u16).to_be_bytes());
        m.extend_from_slice(&MAGIC_COOKIE);
        m.extend_from_slice(&[7; 12]);
        m.extend_from_slice(&attrs);
        m
    }

    #[test]
    fn finds_local_ufrag() {
        let m = binding_request(b"srvfrag:clientfrag");
        assert!(is_stun(&m));
        assert_eq!(local_ufrag(&m), Some("srvfrag"));
    }

    #[test]
    fn rejects_non_stun_and_truncated() {
        assert_eq!(local_ufrag(&[0x80; 40]), None);
        let m = binding_request(b"abc:def");
        for cut in 0..m.len() {
            // Must not panic; a cut inside the username yields None.
            let _ = local_ufrag(&m[..cut]);
        }
        let mut bad = binding_request(b"abc:def");
        bad[HEADER_LEN + 10] = 0xff; // huge attribute length
        let _ = local_ufrag(&bad);
    }
}
