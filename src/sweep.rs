//! `specgate sweep`: find and delete what earlier runs left behind on a target, by the run
//! prefix only, listing everything first and asking before deleting anything.

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;

use serde_json::{Value, json};

use crate::diag::LoadError;
use crate::exec::{Client, ClientOptions, ExecError, build_request};
use crate::exit;
use crate::pointer::scalar_text;
use crate::redact::{Redactor, escape_controls};
use crate::suite::Suite;
use crate::target::{ServiceTarget, Target, load_target};

/// The arguments of `specgate sweep`.
#[derive(Debug, Clone, clap::Args)]
pub struct SweepArgs {
    /// The target profile to clean up.
    #[arg(long, value_name = "FILE")]
    pub target: PathBuf,
    /// Only resources whose names start with this (every run prefix starts with `sg-`).
    #[arg(long, default_value = "sg-")]
    pub prefix: String,
    /// Delete without asking.
    #[arg(long)]
    pub yes: bool,
    /// The specs directory (the supporting operations used to list and delete).
    #[arg(long, default_value = "specs", value_name = "DIR")]
    pub specs: PathBuf,
    /// Per-request timeout in seconds (0.001 to 86400).
    #[arg(long, default_value_t = 10.0, value_name = "SECS", value_parser = crate::bounds::timeout_secs)]
    pub timeout: f64,
    /// Days until a left-behind Huawei key is deleted (Huawei's bounds: 7 to 1096).
    #[arg(long, default_value_t = 7, value_name = "DAYS",
          value_parser = clap::value_parser!(u16).range(7..=1096))]
    pub pending_days: u16,
}

/// Why `specgate sweep` stopped before deleting anything.
#[derive(Debug, thiserror::Error)]
pub(crate) enum SweepError {
    /// `--prefix` does not start with `sg-`.
    #[error(
        "--prefix must start with `sg-` (the run prefix), so that only specgate's own resources can match"
    )]
    Prefix,
    /// The specs or the target profile are invalid (diagnostics with file:line:col).
    #[error(transparent)]
    Load(#[from] LoadError),
    /// The async runtime could not start.
    #[error("{0}")]
    Runtime(std::io::Error),
    /// The HTTP client could not start.
    #[error(transparent)]
    Client(ExecError),
    /// A call to the target failed: the exchange broke or the target refused. The text is
    /// redacted (it may quote URLs and answers) and its control characters escaped. Ends the
    /// sweep while listing; a failed deletion is named and the sweep goes on.
    #[error("{0}")]
    Call(String),
    /// Not confirmed: no `--yes` and no terminal to ask.
    #[error("not deleting without confirmation: pass --yes, or run in a terminal to be asked")]
    NotConfirmed,
}

/// Why one call of a supporting operation failed (before redaction).
#[derive(Debug, thiserror::Error)]
enum CallError {
    /// The suite has no spec for the operation.
    #[error("no spec for {0}")]
    NoSpec(String),
    /// The request cannot be built.
    #[error(transparent)]
    Build(#[from] ExecError),
    /// The exchange broke (the transport finding's message).
    #[error("{0}")]
    Exchange(String),
    /// The target answered with a status of 300 or above.
    #[error("{op} answered {status}: {body}")]
    Refused {
        /// The operation.
        op: String,
        /// The HTTP status.
        status: u16,
        /// The body, as text.
        body: String,
    },
}

/// Something a run left behind.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Leftover {
    /// An Alibaba alias (deleted with DeleteAlias).
    AlibabaAlias { alias: String },
    /// A Huawei alias of a key (deleted with DeleteAlias).
    HuaweiAlias { key_id: String, alias: String },
    /// A Huawei key whose key_alias has the prefix and that is not yet pending deletion: keys
    /// cannot be deleted at once, so its deletion is scheduled (ScheduleKeyDeletion).
    HuaweiKey { key_id: String, key_alias: String },
}

impl Leftover {
    /// One line about the leftover; names come from the target, so controls are escaped.
    fn describe(&self) -> String {
        escape_controls(&self.describe_raw()).into_owned()
    }

    fn describe_raw(&self) -> String {
        match self {
            Leftover::AlibabaAlias { alias } => format!("alibaba-kms alias {alias}"),
            Leftover::HuaweiAlias { key_id, alias } => {
                format!("huawei-kms alias {alias} (key {key_id})")
            }
            Leftover::HuaweiKey { key_id, key_alias } => {
                format!("huawei-kms key {key_id} ({key_alias})")
            }
        }
    }
}

/// Runs the command; returns the exit code.
pub(crate) fn sweep(args: SweepArgs) -> u8 {
    match sweep_checked(&args) {
        Ok(code) => code,
        Err(e) => exit::fail(&e),
    }
}

/// Loads, lists and deletes; the exit code when it got as far as deleting (or had nothing to).
fn sweep_checked(args: &SweepArgs) -> Result<u8, SweepError> {
    if !args.prefix.starts_with("sg-") {
        return Err(SweepError::Prefix);
    }
    let suite = Suite::load(&args.specs, &[]).map_err(LoadError)?;
    let target = load_target(&args.target, &Default::default()).map_err(LoadError)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(SweepError::Runtime)?;
    runtime.block_on(sweep_async(args, &suite, &target))
}

async fn sweep_async(args: &SweepArgs, suite: &Suite, target: &Target) -> Result<u8, SweepError> {
    let client = Client::new(ClientOptions {
        timeout: crate::bounds::timeout(args.timeout),
        ..ClientOptions::default()
    })
    .map_err(SweepError::Client)?;
    let caller = Caller {
        suite,
        client: &client,
        redactor: Redactor::for_targets(std::slice::from_ref(target)),
    };
    let found = caller.find(target, &args.prefix).await?;
    // Aliases first, then the keys they may point at.
    let mut deletable: Vec<&Leftover> = found.iter().collect();
    deletable.sort_by_key(|l| matches!(l, Leftover::HuaweiKey { .. }));
    let keys = deletable
        .iter()
        .filter(|l| matches!(l, Leftover::HuaweiKey { .. }))
        .count();
    let aliases = deletable.len() - keys;
    println!(
        "found {} resource(s) with prefix `{}` on {}:",
        found.len(),
        args.prefix,
        target.name
    );
    for l in &found {
        println!("  {}", l.describe());
    }
    if deletable.is_empty() {
        println!("nothing to delete");
        return Ok(exit::OK);
    }
    if !args.yes {
        if !std::io::stdin().is_terminal() {
            return Err(SweepError::NotConfirmed);
        }
        print!(
            "delete {aliases} alias(es) and schedule the deletion of {keys} key(s) in {} days? [y/N] ",
            args.pending_days
        );
        let _ = std::io::stdout().flush();
        let mut answer = String::new();
        let _ = std::io::stdin().lock().read_line(&mut answer);
        if !matches!(answer.trim(), "y" | "Y" | "yes") {
            println!("nothing deleted");
            return Ok(exit::OK);
        }
    }
    let mut failed = 0;
    for l in deletable {
        match caller.delete(target, l, args.pending_days).await {
            Ok(()) if matches!(l, Leftover::HuaweiKey { .. }) => println!(
                "scheduled the deletion of {} in {} days",
                l.describe(),
                args.pending_days
            ),
            Ok(()) => println!("deleted {}", l.describe()),
            Err(e) => {
                failed += 1;
                eprintln!("could not delete {}: {e}", l.describe());
            }
        }
    }
    // Deletions that failed are named above; the sweep did not clean up: the gate's code.
    Ok(if failed == 0 {
        exit::OK
    } else {
        exit::GATE_FAILED
    })
}

/// Calls supporting operations by name and returns their JSON answers.
struct Caller<'a> {
    suite: &'a Suite,
    client: &'a Client,
    /// Every error message it returns passes through this (they quote URLs and answers).
    redactor: Redactor,
}

impl Caller<'_> {
    /// [`Caller::call_raw`], with its error redacted and its control characters escaped.
    async fn call(
        &self,
        st: &ServiceTarget,
        op_id: &str,
        params: Vec<(String, Value)>,
    ) -> Result<(u16, Value), SweepError> {
        self.call_raw(st, op_id, params).await.map_err(|e| {
            SweepError::Call(escape_controls(&self.redactor.text(&e.to_string())).into_owned())
        })
    }

    async fn call_raw(
        &self,
        st: &ServiceTarget,
        op_id: &str,
        params: Vec<(String, Value)>,
    ) -> Result<(u16, Value), CallError> {
        let op = self
            .suite
            .operations
            .get(op_id)
            .ok_or_else(|| CallError::NoSpec(op_id.to_string()))?;
        let service = &self.suite.services[&op.service];
        let built = build_request(service, op, st, &st.vars, &params, &[], None)?;
        let resp = self
            .client
            .send(&st.endpoint, &built)
            .await
            .map_err(|f| CallError::Exchange(f.message))?;
        let json = serde_json::from_slice(&resp.body).unwrap_or(Value::Null);
        if resp.status >= 300 {
            return Err(CallError::Refused {
                op: op_id.to_string(),
                status: resp.status,
                body: String::from_utf8_lossy(&resp.body).into_owned(),
            });
        }
        Ok((resp.status, json))
    }

    async fn find(&self, target: &Target, prefix: &str) -> Result<Vec<Leftover>, SweepError> {
        let mut out = Vec::new();
        if let Some(st) = target.services.get("alibaba-kms") {
            let alias_prefix = format!("alias/{prefix}");
            for key_id in self.alibaba_keys(st).await? {
                for page in 1..=100u32 {
                    let (_, doc) = self
                        .call(
                            st,
                            "alibaba-kms/ListAliasesByKeyId",
                            vec![
                                ("KeyId".into(), json!(key_id)),
                                ("PageNumber".into(), json!(page)),
                                ("PageSize".into(), json!(100)),
                            ],
                        )
                        .await?;
                    let items = doc
                        .pointer("/Aliases/Alias")
                        .and_then(Value::as_array)
                        .cloned()
                        .unwrap_or_default();
                    for a in &items {
                        let name = a.get("AliasName").map(scalar_text).unwrap_or_default();
                        if name.starts_with(&alias_prefix) {
                            out.push(Leftover::AlibabaAlias { alias: name });
                        }
                    }
                    if items.len() < 100 {
                        break;
                    }
                }
            }
        }
        if let Some(st) = target.services.get("huawei-kms") {
            let (_, doc) = self
                .call(
                    st,
                    "huawei-kms/ListKeys",
                    vec![
                        ("limit".into(), json!("1000")),
                        ("key_spec".into(), json!("ALL")),
                    ],
                )
                .await?;
            for k in doc
                .get("key_details")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
            {
                let key_id = k.get("key_id").map(scalar_text).unwrap_or_default();
                let key_alias = k.get("key_alias").map(scalar_text).unwrap_or_default();
                // "4": already pending deletion; nothing left to do.
                let pending = k.get("key_state").map(scalar_text).as_deref() == Some("4");
                if key_alias.starts_with(prefix) && !pending {
                    out.push(Leftover::HuaweiKey { key_id, key_alias });
                }
            }
            let (_, doc) = self
                .call(
                    st,
                    "huawei-kms/ListAliases",
                    vec![("limit".into(), json!("1000"))],
                )
                .await?;
            let pages = match doc {
                Value::Array(pages) => pages,
                other => vec![other],
            };
            for page in pages {
                for a in page
                    .get("aliases")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default()
                {
                    let alias = a.get("alias").map(scalar_text).unwrap_or_default();
                    if alias.starts_with(prefix) {
                        let key_id = a.get("key_id").map(scalar_text).unwrap_or_default();
                        out.push(Leftover::HuaweiAlias { key_id, alias });
                    }
                }
            }
        }
        Ok(out)
    }

    async fn alibaba_keys(&self, st: &ServiceTarget) -> Result<Vec<String>, SweepError> {
        let mut keys = Vec::new();
        for page in 1..=1000u32 {
            let (_, doc) = self
                .call(
                    st,
                    "alibaba-kms/ListKeys",
                    vec![
                        ("PageNumber".into(), json!(page)),
                        ("PageSize".into(), json!(100)),
                    ],
                )
                .await?;
            let items = doc
                .pointer("/Keys/Key")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            keys.extend(items.iter().filter_map(|k| k.get("KeyId").map(scalar_text)));
            if items.len() < 100 {
                break;
            }
        }
        Ok(keys)
    }

    async fn delete(
        &self,
        target: &Target,
        l: &Leftover,
        pending_days: u16,
    ) -> Result<(), SweepError> {
        match l {
            Leftover::AlibabaAlias { alias } => {
                let st = &target.services["alibaba-kms"];
                self.call(
                    st,
                    "alibaba-kms/DeleteAlias",
                    vec![("AliasName".into(), json!(alias))],
                )
                .await?;
            }
            Leftover::HuaweiAlias { key_id, alias } => {
                let st = &target.services["huawei-kms"];
                self.call(
                    st,
                    "huawei-kms/DeleteAlias",
                    vec![
                        ("key_id".into(), json!(key_id)),
                        ("aliases".into(), json!([alias])),
                    ],
                )
                .await?;
            }
            Leftover::HuaweiKey { key_id, .. } => {
                let st = &target.services["huawei-kms"];
                self.call(
                    st,
                    "huawei-kms/ScheduleKeyDeletion",
                    vec![
                        ("key_id".into(), json!(key_id)),
                        ("pending_days".into(), json!(pending_days.to_string())),
                    ],
                )
                .await?;
            }
        }
        Ok(())
    }
}
