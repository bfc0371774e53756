//! `shimmer cluster status`: what the registry says about the deployment, for operators.

use std::fmt::Write as _;

use anyhow::Context;
use shimmer_cluster::registry::{NodeRecord, Registry, StreamRecord};

use crate::cli::ClusterCommand;
use crate::config::Config;

pub async fn run(config: Config, command: ClusterCommand) -> anyhow::Result<()> {
    let ClusterCommand::Status { json } = command;
    let url = config
        .nats_url
        .as_deref()
        .context("nats_url is not set: a single node has no cluster registry")?;
    let client = async_nats::connect(url)
        .await
        .with_context(|| format!("could not connect to NATS at {url}"))?;
    let registry = Registry::open(client).await?;
    let nodes = registry.nodes().await?;
    let mut streams: Vec<(i64, StreamRecord)> = registry.streams().await?.into_iter().collect();
    streams.sort_by_key(|(channel_id, _)| *channel_id);
    if json {
        let streams: Vec<serde_json::Value> = streams
            .iter()
            .map(|(channel_id, record)| {
                serde_json::json!({
                    "channel_id": channel_id,
                    "ingest_node": record.node_id,
                    "edges": edges_of(&nodes, *channel_id),
                })
            })
            .collect();
        println!(
            "{}",
            serde_json::json!({ "nodes": nodes, "streams": streams })
        );
    } else {
        print!("{}", tables(&nodes, &streams));
    }
    Ok(())
}

fn edges_of(nodes: &[NodeRecord], channel_id: i64) -> Vec<String> {
    nodes
        .iter()
        .filter(|node| node.relayed.contains(&channel_id))
        .map(|node| node.node_id.clone())
        .collect()
}

fn tables(nodes: &[NodeRecord], streams: &[(i64, StreamRecord)]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<20} {:<16} {:<8} {:>8} {:>9} {:>8}  {:<10} URL",
        "NODE", "ROLES", "STATE", "VIEWERS", "CAPACITY", "STREAMS", "ZONE"
    );
    for node in nodes {
        let _ = writeln!(
            out,
            "{:<20} {:<16} {:<8} {:>8} {:>9} {:>8}  {:<10} {}",
            node.node_id,
            node.roles.to_string(),
            if node.draining { "draining" } else { "up" },
            node.viewers,
            node.capacity,
            node.streams,
            if node.zone.is_empty() {
                "-"
            } else {
                &node.zone
            },
            node.base_url
        );
    }
    let _ = writeln!(out, "\n{:<10} {:<20} EDGES", "CHANNEL", "INGEST NODE");
    for (channel_id, record) in streams {
        let edges = edges_of(nodes, *channel_id);
        let _ = writeln!(
            out,
            "{:<10} {:<20} {}",
            channel_id,
            record.node_id,
            if edges.is_empty() {
                "-".to_owned()
            } else {
                edges.join(", ")
            }
        );
    }
    out
}
