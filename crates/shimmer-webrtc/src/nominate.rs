//! Nominating the path a peer's DTLS arrives on, without waiting for its nominating check.
//!
//! The server is ICE-lite: it sends no checks of its own and learns where to send only from
//! the peer's, and str0m sends nothing but STUN replies until the peer nominates a pair (a
//! check carrying USE-CANDIDATE). Chromium starts DTLS as soon as its first check is answered
//! but nominates only on its next check, about 50 ms later, and meanwhile the server's answer
//! to its ClientHello waited: a quarter of a new viewer's time to first frame, and as long
//! again before a WHIP publisher's first packet. Viewer cores and WHIP sessions use it.
//!
//! A DTLS record from the address of an answered check shows that path works both ways (the
//! peer got our reply there, or it would not have started DTLS), so the session nominates it
//! then: it hands str0m a copy of that address's latest check with USE-CANDIDATE added,
//! signed again with the session's own ICE password, the key the peer signed it with. A check
//! that does not verify is never copied, and a session the peer nominated itself is left
//! alone. The peer's own nomination, when it comes, names the same pair.

use std::net::SocketAddr;

use str0m::ice::StunMessage;

use crate::stun::is_stun;

/// The largest check kept: a browser's checks are ~100 bytes.
const MAX_CHECK: usize = 512;

/// Watches a session's datagrams until it is nominated; see the module docs.
pub(crate) struct EarlyNomination {
    /// The session's local ICE password, which signs the checks sent to it.
    password: String,
    /// The latest check without USE-CANDIDATE, and where it came from.
    last_check: Option<(SocketAddr, Vec<u8>)>,
    /// Nominated (by the browser or by a copy): nothing more to watch.
    done: bool,
}

impl EarlyNomination {
    pub(crate) fn new(password: String) -> Self {
        Self {
            password,
            last_check: None,
            done: false,
        }
    }

    /// Looks at a datagram from `source` before str0m does. Returns the nominating check to
    /// hand str0m first when `data` is the first DTLS record from the address of the latest
    /// check.
    pub(crate) fn before(&mut self, source: SocketAddr, data: &[u8]) -> Option<Vec<u8>> {
        if self.done {
            return None;
        }
        if is_stun(data) {
            let message = StunMessage::parse(data).ok()?;
            if !message.is_binding_request() {
                return None;
            }
            if message.use_candidate() {
                self.done = true;
                self.last_check = None;
            } else if data.len() <= MAX_CHECK {
                self.last_check = Some((source, data.to_vec()));
            }
            return None;
        }
        if !is_dtls(data) || self.last_check.as_ref()?.0 != source {
            return None;
        }
        let (_, check) = self.last_check.take()?;
        self.done = true;
        nominating_copy(&check, self.password.as_bytes())
    }
}

/// RFC 7983 demultiplexing: a DTLS record's first byte is 20..=63.
fn is_dtls(data: &[u8]) -> bool {
    data.first().is_some_and(|b| (20..=63).contains(b))
}

/// `check` with USE-CANDIDATE added and signed again with `password`, if it is a binding
/// request from a controlling agent that `password` verifies.
fn nominating_copy(check: &[u8], password: &[u8]) -> Option<Vec<u8>> {
    let provider = str0m::crypto::from_feature_flags();
    let hmac =
        |key: &[u8], payloads: &[&[u8]]| provider.sha1_hmac_provider.sha1_hmac(key, payloads);
    let message = StunMessage::parse(check).ok()?;
    if !message.is_binding_request() || !message.verify(password, hmac) {
        return None;
    }
    let copy = StunMessage::binding_request(
        message.username()?,
        message.trans_id(),
        true,
        message.ice_controlling()?,
        message.prio()?,
        true,
    );
    let mut buf = vec![0; check.len() + 64];
    let len = copy.to_bytes(Some(password), &mut buf, hmac).ok()?;
    buf.truncate(len);
    Some(buf)
}

#[cfg(test)]
mod tests {
    use super::*;
    use str0m::ice::TransId;

    const PASSWORD: &str = "server-password-of-22+";

    fn check(use_candidate: bool, password: &str) -> Vec<u8> {
        let provider = str0m::crypto::from_feature_flags();
        let hmac =
            |key: &[u8], payloads: &[&[u8]]| provider.sha1_hmac_provider.sha1_hmac(key, payloads);
        let message = StunMessage::binding_request(
            "srvfrag:viewerfrag",
            TransId::new(),
            true,
            77,
            1_845_501_695,
            use_candidate,
        );
        let mut buf = vec![0; 256];
        let len = message
            .to_bytes(Some(password.as_bytes()), &mut buf, hmac)
            .unwrap();
        buf.truncate(len);
        buf
    }

    const CLIENT_HELLO: [u8; 4] = [22, 0xfe, 0xfd, 0];

    fn viewer() -> SocketAddr {
        "198.51.100.7:50000".parse().unwrap()
    }

    #[test]
    fn dtls_after_a_check_yields_a_signed_nominating_copy() {
        let mut watch = EarlyNomination::new(PASSWORD.into());
        let original = check(false, PASSWORD);
        assert_eq!(watch.before(viewer(), &original), None);
        let copy = watch.before(viewer(), &CLIENT_HELLO).expect("a copy");
        let parsed = StunMessage::parse(&copy).unwrap();
        let provider = str0m::crypto::from_feature_flags();
        let hmac =
            |key: &[u8], payloads: &[&[u8]]| provider.sha1_hmac_provider.sha1_hmac(key, payloads);
        assert!(parsed.verify(PASSWORD.as_bytes(), hmac));
        assert!(parsed.use_candidate());
        let before = StunMessage::parse(&original).unwrap();
        assert_eq!(parsed.trans_id(), before.trans_id());
        assert_eq!(parsed.prio(), before.prio());
        assert_eq!(parsed.ice_controlling(), Some(77));
        assert_eq!(parsed.username(), Some("srvfrag:viewerfrag"));
        // Once only.
        assert_eq!(watch.before(viewer(), &CLIENT_HELLO), None);
    }

    #[test]
    fn nothing_is_copied_without_a_verified_check_from_that_address() {
        let mut watch = EarlyNomination::new(PASSWORD.into());
        assert_eq!(watch.before(viewer(), &CLIENT_HELLO), None, "no check yet");
        watch.before(viewer(), &check(false, PASSWORD));
        let elsewhere: SocketAddr = "203.0.113.9:4000".parse().unwrap();
        assert_eq!(
            watch.before(elsewhere, &CLIENT_HELLO),
            None,
            "another address"
        );

        let mut forged = EarlyNomination::new(PASSWORD.into());
        forged.before(viewer(), &check(false, "not-the-password-at-all"));
        assert_eq!(
            forged.before(viewer(), &CLIENT_HELLO),
            None,
            "fails integrity"
        );

        for junk in [&[][..], &[0u8; 30][..], &[22][..]] {
            let mut watch = EarlyNomination::new(PASSWORD.into());
            watch.before(viewer(), junk);
            assert_eq!(watch.before(viewer(), &CLIENT_HELLO), None);
        }
    }

    #[test]
    fn a_viewer_that_nominated_itself_is_left_alone() {
        let mut watch = EarlyNomination::new(PASSWORD.into());
        watch.before(viewer(), &check(false, PASSWORD));
        watch.before(viewer(), &check(true, PASSWORD));
        assert_eq!(watch.before(viewer(), &CLIENT_HELLO), None);
    }
}
