//! `specgate serve`: the command-line arguments of the emulator and the function that runs it
//! until Ctrl-C.

use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;

use super::config::{Config, Credential};
use super::deviation::{self, Deviation};
use super::limits::Limits;
use super::reading::{self, ReadingChoice};
use super::seed_yaml::{SeedError, load_seed_file};
use super::server::{ServerError, spawn_with_limits};

/// Arguments of `specgate serve`.
#[derive(Debug, Clone, clap::Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    pub host: IpAddr,
    /// Port to listen on (0 picks a free port; the chosen URL is printed).
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// YAML seed file with the starting state (default: the built-in seed).
    #[arg(long, value_name = "FILE")]
    pub seed: Option<PathBuf>,
    /// Require valid signatures (Alibaba V1/V3, Huawei AK/SK) or an accepted X-Auth-Token.
    #[arg(long)]
    pub verify_signatures: bool,
    /// Accepted Alibaba AccessKey pair, `ID:SECRET` (repeatable).
    #[arg(long = "alibaba-key", value_name = "ID:SECRET", value_parser = parse_pair, default_values = ["testid:testsecret"])]
    pub alibaba_keys: Vec<Pair>,
    /// Accepted Huawei AK/SK pair, `AK:SK` (repeatable).
    #[arg(long = "huawei-key", value_name = "AK:SK", value_parser = parse_pair, default_values = ["testAK:testSK"])]
    pub huawei_keys: Vec<Pair>,
    /// Accepted Huawei X-Auth-Token value (repeatable).
    #[arg(long = "huawei-token", value_name = "TOKEN")]
    pub huawei_tokens: Vec<String>,
    /// Break one documented rule on purpose (repeatable); see --list-deviations.
    #[arg(long = "deviate", value_name = "NAME", value_parser = parse_deviation)]
    pub deviations: Vec<Deviation>,
    /// How long the `slow-response` deviation holds an answer back, in seconds.
    #[arg(long, value_name = "SECS", default_value_t = deviation::DEFAULT_SLOW_DELAY.as_secs_f64(), value_parser = parse_secs)]
    pub slow_response_delay: f64,
    /// Throttle on demand: answer every Nth request with the documented throttling error.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub throttle_every: Option<u32>,
    /// Close a connection whose request head is not complete after this many seconds.
    #[arg(long, value_name = "SECS", default_value_t = Limits::default().header_timeout.as_secs_f64(), value_parser = parse_timeout)]
    pub header_timeout: f64,
    /// Close a connection on which nothing moved for this many seconds while the emulator waits
    /// on it (an idle keep-alive connection, a half-sent body).
    #[arg(long, value_name = "SECS", default_value_t = Limits::default().idle_timeout.as_secs_f64(), value_parser = parse_timeout)]
    pub idle_timeout: f64,
    /// The most connections open at once; more wait until one closes.
    #[arg(long, value_name = "N", default_value_t = Limits::default().max_connections as u32, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub max_connections: u32,
    /// Print every deviation (name and description) and exit.
    #[arg(long)]
    pub list_deviations: bool,
    /// Follow reading ID of the ambiguous page's doc note NOTE instead of its default
    /// (repeatable); see --list-readings.
    #[arg(long = "reading", value_name = "NOTE=ID", value_parser = reading::parse_reading_choice)]
    pub readings: Vec<ReadingChoice>,
    /// Print every doc note the emulator knows readings of, and exit.
    #[arg(long)]
    pub list_readings: bool,
    /// Threads serving requests (default: half the cores, leaving the rest to the clients on
    /// the same machine; `TOKIO_WORKER_THREADS` also sets it).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,
}

// The `parse_*` functions below are clap `value_parser`s: they return `Result<_, String>`, the
// message clap prints after the argument's name (clap's convention), not an error enum.

/// Parses a `--deviate` name; an unknown one lists the valid names.
fn parse_deviation(raw: &str) -> Result<Deviation, String> {
    raw.parse::<Deviation>().map_err(|e| e.to_string())
}

/// Parses a non-negative, finite number of seconds.
fn parse_secs(raw: &str) -> Result<f64, String> {
    match raw.parse::<f64>() {
        Ok(s) if (0.0..=86_400.0).contains(&s) => Ok(s),
        _ => Err("expected a number of seconds from 0 to 86400".into()),
    }
}

/// Parses a timeout: a number of seconds above 0, at most a day.
fn parse_timeout(raw: &str) -> Result<f64, String> {
    match raw.parse::<f64>() {
        Ok(s) if s > 0.0 && s <= 86_400.0 => Ok(s),
        _ => Err("expected a number of seconds above 0, at most 86400".into()),
    }
}

/// A credential pair given on the command line as `ID:SECRET`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pair(pub Credential);

impl Pair {
    fn new(id: &str, secret: &str) -> Self {
        Self(Credential::new(id, secret))
    }
}

/// Parses `ID:SECRET` (split at the first `:`; both halves non-empty).
fn parse_pair(raw: &str) -> Result<Pair, String> {
    match raw.split_once(':') {
        Some((id, secret)) if !id.is_empty() && !secret.is_empty() => Ok(Pair::new(id, secret)),
        _ => Err("expected ID:SECRET with both halves non-empty".into()),
    }
}

/// Why `serve` stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The seed file is unreadable or invalid.
    #[error(transparent)]
    Seed(#[from] SeedError),
    /// The address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// The failure.
        source: std::io::Error,
    },
    /// `--list-deviations` or `--list-readings` could not be written (a closed pipe: the
    /// reader had enough).
    #[error("cannot write the listing: {0}")]
    Listing(std::io::Error),
    /// The server stopped with an error.
    #[error("emulator failed: {0}")]
    Server(#[from] ServerError),
    /// The async runtime could not start.
    #[error("cannot start the async runtime: {0}")]
    Runtime(std::io::Error),
    /// The announcement or the Ctrl-C handler failed.
    #[error("emulator failed: {0}")]
    Io(#[from] std::io::Error),
}

impl ServeArgs {
    /// The emulator configuration these arguments describe (reads the seed file).
    pub fn to_config(&self) -> Result<Config, ServeError> {
        let mut config = Config {
            addr: SocketAddr::new(self.host, self.port),
            verify_signatures: self.verify_signatures,
            alibaba_credentials: self.alibaba_keys.iter().map(|p| p.0.clone()).collect(),
            huawei_credentials: self.huawei_keys.iter().map(|p| p.0.clone()).collect(),
            huawei_tokens: self.huawei_tokens.clone(),
            deviations: self.deviations.clone(),
            slow_response_delay: std::time::Duration::from_secs_f64(self.slow_response_delay),
            throttle_every: self.throttle_every,
            ..Config::default()
        };
        for choice in &self.readings {
            config.readings.choose(choice);
        }
        if let Some(path) = &self.seed {
            config.seed = load_seed_file(path)?;
        }
        Ok(config)
    }

    /// The resource bounds these arguments describe.
    pub fn limits(&self) -> Limits {
        Limits {
            header_timeout: std::time::Duration::from_secs_f64(self.header_timeout),
            idle_timeout: std::time::Duration::from_secs_f64(self.idle_timeout),
            max_connections: self.max_connections as usize,
            ..Limits::default()
        }
    }
}

/// Starts the emulator, prints `specgate emulator listening on http://HOST:PORT`, and serves
/// until Ctrl-C. With `--list-deviations` it prints the deviations and returns.
pub async fn serve(args: ServeArgs) -> Result<(), ServeError> {
    if args.list_deviations {
        return write_listing(&deviation::listing());
    }
    if args.list_readings {
        return write_listing(&reading::listing());
    }
    let config = args.to_config()?;
    let addr = config.addr;
    let config_deviations = config.deviations.clone();
    let changed_readings = config.readings.changed();
    let handle = spawn_with_limits(config, args.limits())
        .await
        .map_err(|source| ServeError::Bind { addr, source })?;
    {
        let mut out = std::io::stdout().lock();
        writeln!(out, "specgate emulator listening on {}", handle.base_url())?;
        out.flush()?;
    }
    if !config_deviations.is_empty() {
        let names: Vec<&str> = config_deviations.iter().map(|d| d.name()).collect();
        eprintln!(
            "warning: deviating from the documentation on purpose: {}",
            names.join(", ")
        );
    }
    if !changed_readings.is_empty() {
        eprintln!(
            "following other readings than the defaults: {}",
            changed_readings.join(", ")
        );
    }
    tokio::signal::ctrl_c().await?;
    handle.shutdown().await?;
    Ok(())
}

/// Writes a `--list-…` listing to standard output.
fn write_listing(listing: &str) -> Result<(), ServeError> {
    let mut out = std::io::stdout().lock();
    out.write_all(listing.as_bytes())
        .and_then(|()| out.flush())
        .map_err(ServeError::Listing)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Debug, Parser)]
    struct Cli {
        #[command(flatten)]
        serve: ServeArgs,
    }

    #[test]
    fn defaults_are_loopback_port_0_and_the_test_keys() {
        let cli = Cli::try_parse_from(["serve"]).expect("defaults parse");
        let c = cli.serve.to_config().expect("config");
        assert_eq!(c.addr.to_string(), "127.0.0.1:0");
        assert!(!c.verify_signatures);
        assert_eq!(
            c.alibaba_credentials,
            vec![Credential::new("testid", "testsecret")]
        );
        assert_eq!(
            c.huawei_credentials,
            vec![Credential::new("testAK", "testSK")]
        );
    }

    #[test]
    fn keys_repeat_and_replace_the_defaults() {
        let cli = Cli::try_parse_from([
            "serve",
            "--port",
            "8080",
            "--verify-signatures",
            "--alibaba-key",
            "a:b:c",
            "--alibaba-key",
            "d:e",
            "--huawei-key",
            "AK:SK",
        ])
        .expect("parse");
        let c = cli.serve.to_config().expect("config");
        assert_eq!(c.addr.port(), 8080);
        assert!(c.verify_signatures);
        assert_eq!(
            c.alibaba_credentials,
            vec![Credential::new("a", "b:c"), Credential::new("d", "e")]
        );
        assert!(Cli::try_parse_from(["serve", "--alibaba-key", "nosecret"]).is_err());
        assert!(Cli::try_parse_from(["serve", "--huawei-key", ":x"]).is_err());
    }

    #[test]
    fn deviations_repeat_and_unknown_names_list_the_valid_ones() {
        let cli = Cli::try_parse_from([
            "serve",
            "--deviate",
            "total-count-off-by-one",
            "--deviate",
            "slow-response",
            "--slow-response-delay",
            "0.5",
        ])
        .expect("parse");
        let c = cli.serve.to_config().expect("config");
        assert_eq!(
            c.deviations,
            vec![Deviation::TotalCountOffByOne, Deviation::SlowResponse]
        );
        assert_eq!(c.slow_response_delay, std::time::Duration::from_millis(500));
        assert!(c.deviates(Deviation::SlowResponse));
        assert!(!c.deviates(Deviation::KmsWrapper));
        let defaults = Cli::try_parse_from(["serve"]).expect("parse").serve;
        let d = defaults.to_config().expect("config");
        assert!(d.deviations.is_empty());
        assert_eq!(d.slow_response_delay, deviation::DEFAULT_SLOW_DELAY);
        let e = Cli::try_parse_from(["serve", "--deviate", "no-such"])
            .expect_err("unknown")
            .to_string();
        assert!(e.contains("unknown deviation `no-such`"), "{e}");
        assert!(
            e.contains("page-oversize") && e.contains("slow-response"),
            "{e}"
        );
        assert!(Cli::try_parse_from(["serve", "--slow-response-delay", "-1"]).is_err());
        assert!(Cli::try_parse_from(["serve", "--list-deviations"]).is_ok());
    }

    #[test]
    fn readings_repeat_and_unknown_ones_suggest_the_closest() {
        let cli = Cli::try_parse_from([
            "serve",
            "--reading",
            "page-size-101=accepted",
            "--reading",
            "alias-prefix=required",
        ])
        .expect("parse");
        let c = cli.serve.to_config().expect("config");
        assert!(c.readings.is(reading::PAGE_SIZE_101, "accepted"));
        assert!(c.readings.is(reading::ALIAS_PREFIX, "required"));
        assert!(c.readings.is(reading::FILTERS_UNKNOWN_KEY, "refused"));
        assert!(c.deviations.is_empty(), "a reading is not a deviation");
        let e = Cli::try_parse_from(["serve", "--reading", "page-size-10=accepted"])
            .expect_err("unknown");
        assert_eq!(e.exit_code(), 2);
        assert!(
            e.to_string().contains("did you mean `page-size-101`"),
            "{e}"
        );
        let e =
            Cli::try_parse_from(["serve", "--reading", "page-size-101=z"]).expect_err("unknown");
        assert!(e.to_string().contains("has no reading `z`"), "{e}");
    }

    #[test]
    fn a_missing_seed_file_is_an_error_naming_it() {
        let cli =
            Cli::try_parse_from(["serve", "--seed", "/nonexistent/seed.yaml"]).expect("parse");
        let e = cli.serve.to_config().expect_err("missing file").to_string();
        assert!(e.contains("/nonexistent/seed.yaml"), "{e}");
    }
}
