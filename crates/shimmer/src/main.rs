//! The `shimmer` binary: parses the command line and hands off to a command. Thin on purpose:
//! everything it runs lives in the library crates.

mod cli;
mod cluster;
mod commands;
mod config;
mod ingest_adapter;
mod node;
mod payments;
mod tasks;
mod telemetry;

use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = cli::Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: could not start the async runtime: {error}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let code = match runtime.block_on(commands::run(cli)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            std::process::ExitCode::FAILURE
        }
    };
    // Tasks still running (a connection dropped at the shutdown deadline, a blocking file
    // write) get a moment, never an unbounded wait.
    runtime.shutdown_timeout(std::time::Duration::from_secs(1));
    code
}
