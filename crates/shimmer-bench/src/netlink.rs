//! Rate-limited links for benchmark viewers (`shimmer-bench whep --link-mbit`): each viewer gets
//! its own network namespace joined to the host by a veth pair, with a `tbf` qdisc on the host's
//! end, so what the server sends a viewer passes one bottleneck of the given rate (and a
//! router-like queue of 50 ms) while the viewer's own traffic goes back unlimited.
//!
//! Addressing is point to point: the host's end of every pair carries the same server address
//! (the one WebRTC candidate the server announces) with the viewer's address as its peer, the
//! viewer's end the reverse. Names and addresses depend on the process id, so two runs on one
//! machine do not collide. Everything made is removed when [`Links`] is dropped, on error too.
//! Needs root (`ip` and `tc` from iproute2).

use std::net::{IpAddr, Ipv4Addr};
use std::process::Command;

use anyhow::Context;

/// Most viewers behind links in one run (one /24 of addresses).
pub const MAX_LINKS: usize = 250;

/// The namespaces and veth pairs of one run.
pub struct Links {
    prefix: String,
    /// Second octet of this run's 10.x.0.0/16.
    net: u8,
    /// Pairs made so far (removed on drop).
    made: usize,
}

impl Links {
    /// Makes `n` links of `mbit` Mbit/s (server to viewer).
    pub fn create(n: usize, mbit: f64) -> anyhow::Result<Self> {
        anyhow::ensure!(
            (1..=MAX_LINKS).contains(&n),
            "--link-mbit supports 1 to {MAX_LINKS} viewers, not {n}"
        );
        anyhow::ensure!(
            mbit.is_finite() && mbit > 0.0,
            "--link-mbit must be a positive number of Mbit/s"
        );
        let pid = std::process::id();
        let mut links = Self {
            prefix: format!("shb{pid}"),
            net: 100 + (pid % 100) as u8,
            made: 0,
        };
        let rate = format!("{}kbit", (mbit * 1000.0).round() as u64);
        let server = links.server_ip().to_string();
        for i in 0..n {
            let (ns, host, peer) = (links.netns(i), links.host_end(i), links.peer_end(i));
            let viewer = links.viewer_ip(i).to_string();
            run(&["ip", "netns", "add", &ns])?;
            links.made = i + 1;
            run(&[
                "ip", "link", "add", &host, "type", "veth", "peer", "name", &peer, "netns", &ns,
            ])?;
            run(&["ip", "addr", "add", &server, "peer", &viewer, "dev", &host])?;
            run(&["ip", "link", "set", &host, "up"])?;
            run(&[
                "tc", "qdisc", "add", "dev", &host, "root", "tbf", "rate", &rate, "burst",
                "32kbit", "latency", "50ms",
            ])?;
            run(&[
                "ip", "-n", &ns, "addr", "add", &viewer, "peer", &server, "dev", &peer,
            ])?;
            run(&["ip", "-n", &ns, "link", "set", &peer, "up"])?;
            run(&["ip", "-n", &ns, "link", "set", "lo", "up"])?;
        }
        Ok(links)
    }

    /// The address the server announces, on the host's end of every link.
    pub fn server_ip(&self) -> IpAddr {
        IpAddr::V4(Ipv4Addr::new(10, self.net, 0, 1))
    }

    /// Viewer `i`'s address, inside its namespace.
    pub fn viewer_ip(&self, i: usize) -> IpAddr {
        IpAddr::V4(Ipv4Addr::new(10, self.net, 1, 2 + i as u8))
    }

    /// Viewer `i`'s namespace.
    pub fn netns(&self, i: usize) -> String {
        format!("{}n{i}", self.prefix)
    }

    fn host_end(&self, i: usize) -> String {
        format!("{}a{i}", self.prefix)
    }

    fn peer_end(&self, i: usize) -> String {
        format!("{}b{i}", self.prefix)
    }
}

impl Drop for Links {
    fn drop(&mut self) {
        for i in 0..self.made {
            // Deleting the host's end removes its peer; the namespace goes last.
            let _ = run(&["ip", "link", "del", &self.host_end(i)]);
            let _ = run(&["ip", "netns", "del", &self.netns(i)]);
        }
    }
}

fn run(cmd: &[&str]) -> anyhow::Result<()> {
    let out = Command::new(cmd[0])
        .args(&cmd[1..])
        .output()
        .with_context(|| format!("running {} (iproute2 is needed)", cmd[0]))?;
    anyhow::ensure!(
        out.status.success(),
        "`{}` failed (root is needed): {}",
        cmd.join(" "),
        String::from_utf8_lossy(&out.stderr).trim()
    );
    Ok(())
}
