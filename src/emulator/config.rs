//! What an emulator instance starts with: its seed state, listen address and credentials.

use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use super::deviation::{DEFAULT_SLOW_DELAY, Deviation};
use super::seed::default_state;
use super::state::State;

/// An access key pair: Alibaba `(AccessKeyId, AccessKeySecret)` or Huawei `(AK, SK)`.
#[derive(Clone, PartialEq, Eq)]
pub struct Credential {
    /// The public half (AccessKeyId / AK).
    pub id: String,
    /// The secret half (AccessKeySecret / SK).
    pub secret: String,
}

impl std::fmt::Debug for Credential {
    /// Shows the id only: secrets never appear in output.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credential")
            .field("id", &self.id)
            .field("secret", &"***")
            .finish()
    }
}

impl Credential {
    /// Builds a credential from its two halves.
    pub fn new(id: impl Into<String>, secret: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            secret: secret.into(),
        }
    }
}

/// Everything an emulator instance needs to start.
#[derive(Debug, Clone)]
pub struct Config {
    /// The state the emulator starts from (keys, versions, aliases of both clouds).
    pub seed: State,
    /// Where to listen; `127.0.0.1:0` (an ephemeral loopback port) by default.
    pub addr: SocketAddr,
    /// When true, every request must be signed (or carry an accepted token); when false,
    /// unsigned requests are served and signatures are not checked.
    pub verify_signatures: bool,
    /// Alibaba AccessKey pairs accepted by the V1 and V3 verifiers.
    pub alibaba_credentials: Vec<Credential>,
    /// Huawei AK/SK pairs accepted by the SDK-HMAC-SHA256 verifier.
    pub huawei_credentials: Vec<Credential>,
    /// Huawei `X-Auth-Token` values accepted as authentication.
    pub huawei_tokens: Vec<String>,
    /// Documented rules the emulator deliberately breaks (none by default: the faithful
    /// emulator). See [`Deviation`] and `docs/detection-matrix.md`.
    pub deviations: Vec<Deviation>,
    /// The reading of each ambiguous page it follows (each note's default unless chosen);
    /// see [`super::reading`]. Not a deviation: every reading conforms.
    pub readings: super::reading::Readings,
    /// How long [`Deviation::SlowResponse`] holds an answer back.
    pub slow_response_delay: Duration,
    /// Throttle on demand: every Nth request gets the cloud's documented throttling answer
    /// (Alibaba 400 `Throttling`, Huawei 429 `APIGW.0308`), to exercise clients' retries.
    pub throttle_every: Option<u32>,
}

impl Config {
    /// True when this instance breaks the rule of `deviation`.
    pub fn deviates(&self, deviation: Deviation) -> bool {
        self.deviations.contains(&deviation)
    }
}

impl Default for Config {
    fn default() -> Self {
        Self {
            seed: default_state(),
            addr: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            verify_signatures: false,
            alibaba_credentials: vec![Credential::new("testid", "testsecret")],
            huawei_credentials: vec![Credential::new("testAK", "testSK")],
            huawei_tokens: Vec::new(),
            deviations: Vec::new(),
            readings: Default::default(),
            slow_response_delay: DEFAULT_SLOW_DELAY,
            throttle_every: None,
        }
    }
}
