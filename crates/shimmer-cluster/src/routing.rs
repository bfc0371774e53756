//! Which edge serves a viewer: the node that received the WHEP offer if it is an edge with room,
//! else the edge closest to the channel's ingest node that has room.

use crate::registry::NodeRecord;

/// Where a viewer's offer goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// Serve it on this node.
    Here,
    /// Send it to this edge (its base URL).
    To(String),
    /// No edge has room (or none is up).
    Full,
}

/// Picks the edge for a viewer of a channel ingested on `ingest_node` (None when the registry
/// does not know it yet). `here_has_room` is this node's own, current answer (its registry
/// entry may be a renewal old).
///
/// Order among edges with room that are not draining: this node; the ingest node itself (no
/// relay hop); an edge in the ingest node's zone; then the least loaded (viewers / capacity),
/// ties broken by node id so the choice is stable.
pub fn choose(
    nodes: &[NodeRecord],
    me: &str,
    here_has_room: bool,
    ingest_node: Option<&str>,
) -> Route {
    if here_has_room {
        return Route::Here;
    }
    let ingest_zone = ingest_node
        .and_then(|id| nodes.iter().find(|node| node.node_id == id))
        .map(|node| node.zone.as_str());
    nodes
        .iter()
        .filter(|node| {
            node.node_id != me && node.roles.edge && !node.draining && node.viewers < node.capacity
        })
        .min_by(|a, b| {
            let rank = |node: &NodeRecord| {
                (
                    Some(node.node_id.as_str()) != ingest_node,
                    Some(node.zone.as_str()) != ingest_zone,
                )
            };
            let load = |node: &NodeRecord| node.viewers as f64 / node.capacity.max(1) as f64;
            rank(a)
                .cmp(&rank(b))
                .then(load(a).total_cmp(&load(b)))
                .then(a.node_id.cmp(&b.node_id))
        })
        .map_or(Route::Full, |node| Route::To(node.base_url.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Roles;

    fn node(id: &str, roles: &str, zone: &str, viewers: usize, capacity: usize) -> NodeRecord {
        NodeRecord {
            node_id: id.into(),
            roles: roles.parse().unwrap(),
            base_url: format!("http://{id}"),
            relay: None,
            viewers,
            capacity,
            streams: 0,
            relayed: Vec::new(),
            draining: false,
            zone: zone.into(),
        }
    }

    #[test]
    fn a_viewer_goes_to_the_closest_edge_with_room() {
        let nodes = vec![
            node("web", "web", "eu", 0, 0),
            node("ingest", "ingest", "eu", 0, 0),
            node("edge-us", "edge", "us", 0, 100),
            node("edge-eu-busy", "edge", "eu", 90, 100),
            node("edge-eu", "edge", "eu", 10, 100),
        ];
        assert_eq!(
            choose(&nodes, "web", false, Some("ingest")),
            Route::To("http://edge-eu".into())
        );
        assert_eq!(choose(&nodes, "edge-us", true, Some("ingest")), Route::Here);
        // Unknown ingest: the least loaded edge.
        assert_eq!(
            choose(&nodes, "web", false, None),
            Route::To("http://edge-us".into())
        );
        // The ingest node is also an edge: no relay hop.
        let mut with_ingest_edge = nodes.clone();
        with_ingest_edge[1].roles = Roles::ALL;
        with_ingest_edge[1].capacity = 100;
        with_ingest_edge[1].viewers = 99;
        assert_eq!(
            choose(&with_ingest_edge, "web", false, Some("ingest")),
            Route::To("http://ingest".into())
        );
    }

    #[test]
    fn full_and_draining_edges_are_skipped() {
        let mut nodes = vec![
            node("a", "edge", "", 100, 100),
            node("b", "edge", "", 0, 100),
        ];
        nodes[1].draining = true;
        assert_eq!(choose(&nodes, "web", false, None), Route::Full);
        nodes[1].draining = false;
        assert_eq!(
            choose(&nodes, "web", false, None),
            Route::To("http://b".into())
        );
    }
}
