//! Runs the emulator from the command line until `specgate serve` is wired:
//! `cargo run --example serve -- --port 0 --verify-signatures`.

use clap::Parser;
use specgate::emulator::{ServeArgs, serve};

/// The arguments of `specgate serve`.
#[derive(Debug, Parser)]
struct Cli {
    #[command(flatten)]
    serve: ServeArgs,
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    match serve(cli.serve).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
