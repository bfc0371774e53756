//! Which addresses the answer announces as ICE candidates. All of them share the one UDP port.

use std::net::{IpAddr, SocketAddr};

use crate::config::WebRtcConfig;

/// The candidate addresses for a socket bound to `bound` (its actual port), in announce order:
/// the configured public IP first (NAT), then explicit `candidate_ips`, or else every local
/// interface address of the bound family. Loopback addresses are included only when the socket
/// is bound to loopback (local tests), since a remote browser can never reach them.
pub fn candidate_addrs(config: &WebRtcConfig, bound: SocketAddr) -> Vec<SocketAddr> {
    let port = bound.port();
    let mut ips: Vec<IpAddr> = Vec::new();
    if let Some(ip) = config.public_ip {
        ips.push(ip);
    }
    if !config.candidate_ips.is_empty() {
        ips.extend(config.candidate_ips.iter().copied());
    } else if !bound.ip().is_unspecified() {
        // Bound to one address (loopback in tests): that is the only reachable one.
        ips.push(bound.ip());
    } else {
        ips.extend(interface_ips(bound.ip().is_ipv4()));
    }
    let mut seen = Vec::new();
    for ip in ips {
        if !seen.contains(&ip) {
            seen.push(ip);
        }
    }
    seen.into_iter()
        .map(|ip| SocketAddr::new(ip, port))
        .collect()
}

/// Non-loopback interface addresses of one family (IPv6 link-local excluded: browsers cannot
/// use them without a scope).
fn interface_ips(v4: bool) -> Vec<IpAddr> {
    let Ok(ifaces) = if_addrs::get_if_addrs() else {
        tracing::warn!("could not list network interfaces; no host candidates");
        return Vec::new();
    };
    ifaces
        .into_iter()
        .filter(|i| !i.is_loopback())
        .map(|i| i.ip())
        .filter(|ip| match ip {
            IpAddr::V4(_) => v4,
            IpAddr::V6(v6) => !v4 && (v6.segments()[0] & 0xffc0) != 0xfe80,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_bind_announces_loopback() {
        let c = WebRtcConfig::loopback();
        let addrs = candidate_addrs(&c, "127.0.0.1:5000".parse().unwrap());
        assert_eq!(addrs, vec!["127.0.0.1:5000".parse().unwrap()]);
    }

    #[test]
    fn public_ip_comes_first_and_keeps_the_port() {
        let c = WebRtcConfig {
            public_ip: Some("203.0.113.9".parse().unwrap()),
            candidate_ips: vec!["10.0.0.2".parse().unwrap()],
            ..WebRtcConfig::default()
        };
        let addrs = candidate_addrs(&c, "0.0.0.0:8189".parse().unwrap());
        assert_eq!(
            addrs,
            vec![
                "203.0.113.9:8189".parse().unwrap(),
                "10.0.0.2:8189".parse().unwrap()
            ]
        );
    }

    #[test]
    fn unspecified_bind_lists_no_loopback() {
        let addrs = candidate_addrs(&WebRtcConfig::default(), "0.0.0.0:8189".parse().unwrap());
        assert!(addrs.iter().all(|a| !a.ip().is_loopback()));
    }
}
