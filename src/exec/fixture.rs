//! Fixtures at run time: each one is created once per run and target, by the first case that
//! needs it (the others wait for it under `--jobs`), and removed when the run ends. Every
//! repetition of `--repeat` shares it: the fixture is named with the run's own prefix.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use serde_json::Value;
use tokio::sync::OnceCell;

use super::outcome::Exchange;
use super::scenario::{Detached, RunContext, run_steps, set_aside};
use crate::case::Fixture;
use crate::finding::Finding;
use crate::target::Target;
use crate::vars::Vars;

/// What creating a fixture gave: its value, or the findings of the failed `create` step; both
/// when the step deviated without spoiling the resource (the findings set aside: the rule of
/// `set_aside` in `exec::scenario`).
#[derive(Debug, Clone)]
pub struct Created {
    /// The captured id of the resource.
    pub value: Option<Value>,
    /// Why it could not be created, or (with a value) what its creation set aside.
    pub findings: Vec<Finding>,
    /// The creation's exchanges (recorded when the creating case records its own).
    pub exchanges: Vec<Exchange>,
}

/// One fixture on one target, created at most once.
struct Slot {
    fixture: Arc<Fixture>,
    target: String,
    cell: Arc<OnceCell<Created>>,
}

/// The fixtures of one run.
pub struct Fixtures {
    run_prefix: String,
    slots: Mutex<BTreeMap<(String, String), Slot>>,
}

impl Fixtures {
    /// The fixtures of the run whose resources are named with `run_prefix`.
    pub fn new(run_prefix: &str) -> Fixtures {
        Fixtures {
            run_prefix: run_prefix.to_string(),
            slots: Mutex::new(BTreeMap::new()),
        }
    }

    /// The fixture on this target, created now if no case created it yet; true when this call
    /// created it.
    pub async fn get(
        &self,
        fixture: &Arc<Fixture>,
        target: &Target,
        ctx: &RunContext<'_>,
        record: bool,
    ) -> (Created, bool) {
        let cell = {
            let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
            slots
                .entry((fixture.key(), target.name.clone()))
                .or_insert_with(|| Slot {
                    fixture: fixture.clone(),
                    target: target.name.clone(),
                    cell: Arc::new(OnceCell::new()),
                })
                .cell
                .clone()
        };
        let made_here = AtomicBool::new(false);
        let created = cell
            .get_or_init(|| async {
                made_here.store(true, Ordering::Relaxed);
                create(fixture, target, &ctx.with_prefix(&self.run_prefix), record).await
            })
            .await;
        let made_here = made_here.load(Ordering::Relaxed);
        let created = if made_here {
            created.clone()
        } else {
            // Only the creating case shows the exchanges.
            Created {
                value: created.value.clone(),
                findings: created.findings.clone(),
                exchanges: Vec::new(),
            }
        };
        (created, made_here)
    }

    /// Removes every fixture the run created; returns one line per removal that may have left
    /// its resource (a broken exchange, a wrong status or error code), not per finding.
    pub async fn teardown_all(&self, targets: &[Target], ctx: &RunContext<'_>) -> Vec<String> {
        let created: Vec<(Arc<Fixture>, String, Value)> = {
            let slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
            slots
                .values()
                .filter_map(|s| {
                    let value = s.cell.get()?.value.clone()?;
                    Some((s.fixture.clone(), s.target.clone(), value))
                })
                .collect()
        };
        let ctx = ctx.with_prefix(&self.run_prefix);
        let mut problems = Vec::new();
        for (fixture, target_name, value) in created {
            let Some(target) = targets.iter().find(|t| t.name == target_name) else {
                continue;
            };
            let done = remove(&fixture, &value, target, &ctx, false).await;
            // Only what says the resource may still be there is a problem: a broken exchange
            // or a refusal. An answer with the expected status but, say, the wrong Content-Type
            // (moto's `text/html`) removed it; the operation's own cases report the label.
            for f in done.findings.iter().filter(|f| f.may_have_failed()) {
                problems.push(format!(
                    "fixture `{}` ({value}) on {target_name}: {}: {}",
                    fixture.name, f.step, f.message
                ));
            }
        }
        problems
    }
}

/// Creates `fixture` on `target` (its `create` step, resources named with `ctx`'s prefix): its
/// value when the step passed and captured it, else the step's findings.
pub(super) async fn create(
    fixture: &Fixture,
    target: &Target,
    ctx: &RunContext<'_>,
    record: bool,
) -> Created {
    let kind = format!("fixture {}", fixture.name);
    let done = run_steps(
        &kind,
        &[&fixture.create],
        Vars::new(),
        target,
        ctx,
        (true, record),
    )
    .await;
    // A creation that deviated but made the resource (its status and capture sound, its
    // operation checked by cases of its own) still gives the value: the cases go on, with a note.
    let value = if done.findings.is_empty() {
        done.captures.get(&fixture.name).cloned()
    } else if set_aside(
        ctx.suite,
        &fixture.create.operation,
        &done.findings,
        &done.held,
    ) {
        done.held.vars.get(&fixture.name).cloned()
    } else {
        None
    };
    Created {
        value,
        findings: done.findings,
        exchanges: done.exchanges,
    }
}

/// Removes `fixture` (of value `value`) from `target`: every teardown step, whatever fails.
pub(super) async fn remove(
    fixture: &Fixture,
    value: &Value,
    target: &Target,
    ctx: &RunContext<'_>,
    record: bool,
) -> Detached {
    let mut vars = Vars::new();
    vars.insert(fixture.name.clone(), value.clone());
    let steps: Vec<_> = fixture.teardown.iter().collect();
    let kind = format!("fixture {} teardown", fixture.name);
    run_steps(&kind, &steps, vars, target, ctx, (false, record)).await
}
