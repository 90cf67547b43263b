//! The recording side of a run: loading `--reference` before anything is sent, and writing a
//! `specgate record` recording after the run (`crate::record`).

use std::path::Path;

use super::config::RunConfig;
use super::plan::Plan;
use crate::diag::render_all;
use crate::exit;
use crate::record::parity::ParityCheck;
use crate::report::Report;
use crate::suite::Suite;

/// The parity check of `--reference`, if given; the exit code when the recording cannot be
/// used (exit 3, file:line), or when `record` cannot write where it was asked (exit 2).
/// `digest` is the suite's (computed once per run: the report names it too).
pub(super) fn load(
    config: &RunConfig,
    suite: &Suite,
    digest: &crate::report::SuiteDigest,
) -> Result<Option<ParityCheck>, u8> {
    if let Some((out, force)) = &config.record {
        if config.targets.len() > 1 {
            eprintln!("error: `specgate record` records one target; give --target once");
            return Err(exit::USAGE);
        }
        if let Err(e) = crate::record::write::check_destination(out, *force) {
            eprintln!("error: {e}");
            return Err(exit::USAGE);
        }
    }
    let Some(p) = &config.parity else {
        return Ok(None);
    };
    let reference = match crate::record::load_reference(&p.reference, &digest.digest) {
        Ok(r) => r,
        Err(diags) => {
            eprint!("{}", render_all(&diags));
            return Err(exit::BAD_INPUT);
        }
    };
    let services = suite
        .services
        .iter()
        .map(|(name, s)| (name.clone(), s.clone()))
        .collect();
    Ok(Some(ParityCheck {
        reference,
        services,
        only: p.only,
        mode: p.mode,
    }))
}

/// Writes the recording of `rep` to `out`; false (after saying why) when it could not.
pub(super) fn write(plan: &Plan, suite: &Suite, rep: &Report, out: &Path, force: bool) -> bool {
    let redactor = crate::redact::Redactor::for_targets(plan.targets());
    let mut vars = Vec::new();
    if let Some(t) = plan.targets().first() {
        for (service, st) in &t.services {
            for (k, v) in &st.vars {
                let v = match v {
                    serde_json::Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                vars.push((format!("{service}.{k}"), redactor.text(&v)));
            }
        }
    }
    let recorded_at = rep.run.started_at.get(..10).unwrap_or_default().to_string();
    let info = crate::record::write::ManifestInfo {
        vars,
        recorded_at: &recorded_at,
    };
    match crate::record::write_recording(rep, suite, out, force, &info) {
        Ok(n) => {
            println!("recording: wrote {n} operation files to {}", out.display());
            true
        }
        Err(e) => {
            eprintln!("error: cannot write the recording: {e}");
            false
        }
    }
}
