//! # shimmer-http: what the HTTP crates share about a request
//!
//! The website (`shimmer-web`), the public API (`shimmer-api`) and WebRTC signalling
//! (`shimmer-webrtc`) serve one router in the binary, and each limits requests per client
//! address. The address is decided once, by the site's session middleware, with the one
//! trusted-proxy rule ([`ClientIp::resolve`]), and handed to every route as a [`ClientIp`]
//! request extension; handlers read it with [`ClientIp::of`] or as an extractor. A crate
//! serving its routes alone (as in its own tests) gets the peer's address instead.
//!
//! It also holds [`WEBSOCKET_READ_BUFFER_BYTES`], the read buffer every WebSocket of the site
//! and the API is given.
//!
//! It sits below those three crates and depends on nothing of Shimmer's.

use std::convert::Infallible;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{Extensions, HeaderMap};

/// The read buffer of a WebSocket (chat, the API's sockets, and the benchmark's clients).
///
/// tungstenite zero-fills its whole read buffer before every read, including the reads that
/// find nothing, and a socket task reads each time it wakes to write. At tungstenite's default
/// (128 KiB) a chat room of 5,000 listeners spent about 40 % of the server's time in `memset`
/// and held 640 MB of buffers. The frames these sockets take are mostly small (a chat frame
/// is at most 8 KiB); a larger one, such as a long GraphQL document, is read over more reads.
pub const WEBSOCKET_READ_BUFFER_BYTES: usize = 4 * 1024;

/// The client's address, as the site decided it (trusted proxies considered).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ClientIp(pub IpAddr);

impl ClientIp {
    /// The trusted-proxy rule: the peer's address, unless the peer is a trusted proxy, in which
    /// case the rightmost `X-Forwarded-For` entry that is not itself a trusted proxy (entries
    /// further left were written by whoever sent the request, and may be forged).
    pub fn resolve(peer: IpAddr, headers: &HeaderMap, trusted_proxies: &[IpAddr]) -> Self {
        if !trusted_proxies.contains(&peer) {
            return Self(peer);
        }
        let forwarded: Vec<IpAddr> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .filter_map(|entry| entry.trim().parse().ok())
            .collect();
        Self(
            forwarded
                .into_iter()
                .rev()
                .find(|ip| !trusted_proxies.contains(ip))
                .unwrap_or(peer),
        )
    }

    /// The address of a request: the one the site's middleware inserted, else the peer's
    /// (axum's `ConnectInfo<SocketAddr>`), else loopback for a request served in-process.
    pub fn of(extensions: &Extensions) -> Self {
        if let Some(ip) = extensions.get::<ClientIp>() {
            return *ip;
        }
        Self(Self::peer(extensions))
    }

    /// The peer's address (axum's `ConnectInfo<SocketAddr>`), else loopback for a request
    /// served in-process.
    pub fn peer(extensions: &Extensions) -> IpAddr {
        extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::V4(Ipv4Addr::LOCALHOST), |info| info.0.ip())
    }
}

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Self::of(&parts.extensions))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", value.parse().unwrap());
        headers
    }

    #[test]
    fn forwarded_for_is_believed_only_from_trusted_proxies() {
        let proxy: IpAddr = "10.0.0.1".parse().unwrap();
        let stranger: IpAddr = "203.0.113.9".parse().unwrap();
        let resolve = |peer, headers: &HeaderMap| ClientIp::resolve(peer, headers, &[proxy]).0;
        assert_eq!(resolve(stranger, &headers("1.2.3.4")), stranger);
        assert_eq!(
            resolve(proxy, &headers("1.2.3.4, 198.51.100.7")),
            "198.51.100.7".parse::<IpAddr>().unwrap()
        );
        assert_eq!(resolve(proxy, &headers("garbage")), proxy);
        assert_eq!(resolve(proxy, &HeaderMap::new()), proxy);
    }

    #[test]
    fn the_sites_decision_wins_over_the_peer() {
        let peer = SocketAddr::from(([192, 0, 2, 1], 4000));
        let mut extensions = Extensions::new();
        assert_eq!(ClientIp::of(&extensions).0, Ipv4Addr::LOCALHOST);
        extensions.insert(ConnectInfo(peer));
        assert_eq!(ClientIp::of(&extensions).0, peer.ip());
        let decided = ClientIp("198.51.100.7".parse().unwrap());
        extensions.insert(decided);
        assert_eq!(ClientIp::of(&extensions), decided);
    }
}
