//! The plan: every trial a run will go through, resolved once before anything is sent. A trial
//! is one case against one target, as one repetition under `--repeat`. `--list` prints the plan,
//! `--dry-run` prints its requests, `--shard` keeps its part of it, the executor runs it, and
//! the report numbers outcomes by their place in it.
//!
//! The plan's order is the order of the cases' ids (as text), then of the targets as given, then
//! of the repetitions: the same for every run of one suite, whatever the file layout.
//!
//! A case of a service a target does not serve (an `aws-kms` case against the embedded emulator,
//! which serves `alibaba-kms` and `huawei-kms`) is left out of the plan for that target, and
//! the plan says so once per service and target ([`LeftOut`]): the console and the reports
//! print that line instead of one skipped case per trial.

use crate::case::{BUILTIN_VARS, Case};
use crate::id::CaseId;
use crate::suite::Suite;
use crate::target::Target;
use crate::vars::Vars;

use super::config::RunConfig;
use super::shard;

/// One trial of the plan. Small on purpose: a plan of a million repetitions costs 24 MB, and
/// names are made when they are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Planned {
    /// Index into the plan's cases ([`Plan::cases`]).
    pub case: usize,
    /// Index into the plan's targets ([`Plan::targets`]).
    pub target_index: usize,
    /// Which repetition this is (1-based) under `--repeat`; 0 when not repeating.
    pub repetition: u32,
}

/// The selected cases of one service that one target does not serve, left out of the plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LeftOut {
    /// The service (the first segment of the cases' operation).
    pub service: String,
    /// The target's name.
    pub target: String,
    /// How many cases of the service FILTER and `--skip` selected (each left out).
    pub cases: usize,
    /// The services the target does serve, sorted.
    pub served: Vec<String>,
}

impl LeftOut {
    /// The line the console and the reports print:
    /// `aws-kms: 0 of 144 cases planned: the target `embedded-emulator` serves alibaba-kms, huawei-kms`.
    pub(crate) fn line(&self) -> String {
        let served = if self.served.is_empty() {
            "no service".to_string()
        } else {
            self.served.join(", ")
        };
        format!(
            "{}: 0 of {} case{} planned: the target `{}` serves {served}",
            self.service,
            self.cases,
            if self.cases == 1 { "" } else { "s" },
            crate::redact::escape_controls(&self.target),
        )
    }
}

/// Why no plan could be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum PlanError {
    /// More trials than one run can hold.
    #[error(
        "{selected} selected cases × --repeat {repeat} is {trials} trials, more than the {max} one run can hold; select fewer cases or lower --repeat"
    )]
    TooManyTrials {
        /// Selected case × target pairs.
        selected: usize,
        /// `--repeat`.
        repeat: u32,
        /// Their product.
        trials: usize,
        /// [`crate::bounds::MAX_PLANNED`].
        max: usize,
    },
}

/// The trials of a run, in order, with what each needs: its case, its target (with the run's
/// `--var` values already in its variables) and its repetition.
#[derive(Debug)]
pub(crate) struct Plan {
    /// Every case of the suite, sorted by id: the cases of the trials and of the sharding.
    cases: Vec<Case>,
    /// The id of each case, in the same order.
    ids: Vec<CaseId>,
    /// The targets; each service's variables hold the `--var` values (merged here, once).
    targets: Vec<Target>,
    /// The `--var` values that name a built-in variable (`run_prefix`): the executor sets
    /// those per trial, and a `--var` of the same name still wins over them.
    late_overrides: Vars,
    /// The trials.
    trials: Vec<Planned>,
    /// How many trials FILTER and `--skip` selected, before `--shard` took its part (the
    /// cases of a service their target does not serve are not counted).
    selected: usize,
    /// The selected cases left out because their target does not serve their service: one
    /// entry per service and target, in the order of the targets, then of the services.
    left_out: Vec<LeftOut>,
}

impl Plan {
    /// The plan of `config` for `suite` against `targets`: the trials FILTER, `--skip` and
    /// `--exact` select (by the trial name, or with several targets also by `[target] name`),
    /// each `--repeat` times, then the part `--shard` keeps. Refuses a plan of more than
    /// [`crate::bounds::MAX_PLANNED`] trials before allocating it.
    pub(crate) fn new(
        suite: &Suite,
        targets: Vec<Target>,
        config: &RunConfig,
    ) -> Result<Plan, PlanError> {
        let cases: Vec<Case> = suite.cases().into_iter().cloned().collect();
        let ids: Vec<CaseId> = cases.iter().map(Case::case_id).collect();
        let multi = targets.len() > 1;
        // Each case × target pair is judged by the filters once; a selected pair whose target
        // does not serve the case's service is counted as left out instead.
        let mut pairs: Vec<(usize, usize)> = Vec::new();
        let mut unserved: std::collections::BTreeMap<(usize, &str), usize> = Default::default();
        for (ci, (id, case)) in ids.iter().zip(&cases).enumerate() {
            let name = id.to_string();
            let service = service_of(case);
            for (ti, t) in targets.iter().enumerate() {
                let s = &config.selection;
                if s.selects(&name) || (multi && s.selects(&format!("[{}] {name}", t.name))) {
                    if t.services.contains_key(service) {
                        pairs.push((ci, ti));
                    } else {
                        *unserved.entry((ti, service)).or_default() += 1;
                    }
                }
            }
        }
        let left_out = unserved
            .into_iter()
            .map(|((ti, service), n)| LeftOut {
                service: service.to_string(),
                target: targets[ti].name.clone(),
                cases: n,
                served: targets[ti].services.keys().cloned().collect(),
            })
            .collect();
        let repeat = config.repeat.max(1);
        let selected = pairs.len().saturating_mul(repeat as usize);
        if selected > crate::bounds::MAX_PLANNED {
            return Err(PlanError::TooManyTrials {
                selected: pairs.len(),
                repeat: config.repeat,
                trials: selected,
                max: crate::bounds::MAX_PLANNED,
            });
        }
        if let Some(part) = config.shard {
            let keep = shard::in_shard(&ids, suite, &config.cases, part);
            pairs.retain(|&(ci, _)| keep.get(ci).copied().unwrap_or(false));
        }
        let mut trials = Vec::with_capacity(pairs.len() * repeat as usize);
        for (case, target_index) in pairs {
            for r in 1..=repeat {
                trials.push(Planned {
                    case,
                    target_index,
                    repetition: if repeat > 1 { r } else { 0 },
                });
            }
        }
        let (targets, late_overrides) = with_overrides(targets, &config.overrides);
        Ok(Plan {
            cases,
            ids,
            targets,
            late_overrides,
            trials,
            selected,
            left_out,
        })
    }

    /// The selected cases left out because their target does not serve their service.
    pub(crate) fn left_out(&self) -> &[LeftOut] {
        &self.left_out
    }

    /// The trials, in order.
    pub(crate) fn trials(&self) -> &[Planned] {
        &self.trials
    }

    /// How many trials the plan holds.
    pub(crate) fn len(&self) -> usize {
        self.trials.len()
    }

    /// How many trials the filters selected before `--shard` took its part (a shard may hold
    /// none of them).
    pub(crate) fn selected(&self) -> usize {
        self.selected
    }

    /// Every case of the suite, sorted by id (selected or not).
    pub(crate) fn cases(&self) -> &[Case] {
        &self.cases
    }

    /// The targets, with the `--var` values in their variables.
    pub(crate) fn targets(&self) -> &[Target] {
        &self.targets
    }

    /// The `--var` values of built-in variables, which override what the executor sets.
    pub(crate) fn late_overrides(&self) -> &Vars {
        &self.late_overrides
    }

    /// The case of a trial.
    pub(crate) fn case(&self, p: &Planned) -> Option<&Case> {
        self.cases.get(p.case)
    }

    /// The target of a trial.
    pub(crate) fn target(&self, p: &Planned) -> Option<&Target> {
        self.targets.get(p.target_index)
    }

    /// The id of a trial: its case's, with its repetition.
    pub(crate) fn id(&self, p: &Planned) -> Option<CaseId> {
        Some(self.ids.get(p.case)?.clone().repeated(p.repetition))
    }

    /// The trial name, `<service>/<Operation>::<case>` with `#N` under `--repeat` (the target
    /// is not part of it).
    pub(crate) fn name(&self, p: &Planned) -> String {
        self.id(p).map(|id| id.to_string()).unwrap_or_default()
    }

    /// The variables a trial's steps of `service` start from (the built-ins and captures
    /// aside): the target's, with the `--var` values over them.
    pub(crate) fn vars(&self, p: &Planned, service: &str) -> Option<&Vars> {
        Some(&self.target(p)?.services.get(service)?.vars)
    }
}

/// The service of a case: the first segment of its operation (`aws-kms/ListKeys` → `aws-kms`).
fn service_of(case: &Case) -> &str {
    case.operation.split('/').next().unwrap_or("")
}

/// The targets with every `--var` value that is not a built-in variable set in each service's
/// variables, and the values of built-ins apart.
fn with_overrides(mut targets: Vec<Target>, overrides: &Vars) -> (Vec<Target>, Vars) {
    let (late, merged): (Vars, Vars) = overrides
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .partition(|(k, _)| BUILTIN_VARS.contains(&k.as_str()));
    for t in &mut targets {
        for st in t.services.values_mut() {
            st.vars
                .extend(merged.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
    }
    (targets, late)
}

#[cfg(test)]
mod tests {
    use super::super::config::tests::config;
    use super::*;
    use std::path::Path;

    fn suite() -> Suite {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        Suite::load(&root.join("specs"), &[root.join("cases")]).expect("the shipped suite")
    }

    fn target(name: &str) -> Target {
        let mut t = crate::target::embedded_target(
            "http://127.0.0.1:1",
            crate::target::vars_of(&[("region", "r0")]),
            crate::target::vars_of(&[("project_id", "p0")]),
        );
        t.name = name.to_string();
        t
    }

    /// How many cases of the suite the test targets serve (not the `aws-kms` ones).
    fn served(suite: &Suite) -> usize {
        suite
            .cases()
            .iter()
            .filter(|c| !c.operation.starts_with("aws-kms/"))
            .count()
    }

    fn names(plan: &Plan) -> Vec<String> {
        plan.trials().iter().map(|p| plan.name(p)).collect()
    }

    #[test]
    fn trials_are_in_case_id_order_then_target_then_repetition() {
        let suite = suite();
        let plan = Plan::new(&suite, vec![target("a"), target("b")], &config(&[])).unwrap();
        let mut sorted: Vec<String> = suite
            .case_files
            .iter()
            .flat_map(|f| &f.cases)
            .filter(|c| !c.operation.starts_with("aws-kms/"))
            .map(Case::id)
            .collect();
        sorted.sort();
        assert_eq!(plan.len(), sorted.len() * 2);
        assert_eq!(plan.selected(), plan.len());
        let got = names(&plan);
        for (i, id) in sorted.iter().enumerate() {
            assert_eq!(&got[2 * i], id);
            assert_eq!(&got[2 * i + 1], id);
            assert_eq!(plan.trials()[2 * i].target_index, 0);
            assert_eq!(plan.trials()[2 * i + 1].target_index, 1);
        }
        assert!(names(&plan).windows(2).all(|w| w[0] <= w[1]));
    }

    #[test]
    fn repetitions_follow_their_case_and_are_numbered_from_one() {
        let suite = suite();
        let c = config(&["alibaba-kms/ListKeys::", "--repeat", "3"]);
        let plan = Plan::new(&suite, vec![target("local")], &c).unwrap();
        let n = suite
            .cases()
            .iter()
            .filter(|c| c.id().starts_with("alibaba-kms/ListKeys::"))
            .count();
        assert!(n > 1);
        assert_eq!(plan.len(), 3 * n);
        for (i, p) in plan.trials().iter().enumerate() {
            assert_eq!(p.repetition as usize, i % 3 + 1);
            let id = plan.id(p).unwrap();
            assert_eq!(id.repetition, p.repetition);
            assert!(plan.name(p).ends_with(&format!("#{}", p.repetition)));
            assert_eq!(plan.trials()[i - i % 3].case, p.case);
        }
        // Without --repeat a trial is no repetition, and its name has no `#`.
        let plan = Plan::new(&suite, vec![target("local")], &config(&["ListKeys::"])).unwrap();
        assert!(plan.trials().iter().all(|p| p.repetition == 0));
        assert!(names(&plan).iter().all(|n| !n.contains('#')));
    }

    #[test]
    fn filters_select_by_name_or_by_target_when_there_are_several() {
        let suite = suite();
        let two = || vec![target("a"), target("b")];
        let plan = Plan::new(&suite, two(), &config(&["[b] alibaba-kms/ListKeys::"])).unwrap();
        assert!(plan.len() > 0);
        assert!(plan.trials().iter().all(|p| p.target_index == 1));
        let plan = Plan::new(&suite, two(), &config(&["--skip", "::"])).unwrap();
        assert_eq!(plan.len(), 0);
        assert_eq!(plan.selected(), 0);
        assert_eq!(plan.cases().len(), suite.cases().len());
        // With one target, `[local]` is not part of any name.
        let one = Plan::new(&suite, vec![target("local")], &config(&["[local] a"])).unwrap();
        assert_eq!(one.len(), 0);
    }

    #[test]
    fn shards_split_the_selection_without_overlap_and_keep_repetitions_together() {
        let suite = suite();
        let whole = Plan::new(&suite, vec![target("local")], &config(&["--repeat", "2"])).unwrap();
        let mut seen = Vec::new();
        for k in 1..=3 {
            let part = format!("{k}/3");
            let plan = Plan::new(
                &suite,
                vec![target("local")],
                &config(&["--repeat", "2", "--shard", &part]),
            )
            .unwrap();
            assert_eq!(
                plan.selected(),
                whole.len(),
                "the selection is counted before sharding"
            );
            assert!(plan.len() < whole.len(), "{part} holds {}", plan.len());
            assert!(plan.trials().chunks(2).all(|c| c[0].case == c[1].case));
            seen.extend(names(&plan));
        }
        seen.sort();
        let mut all = names(&whole);
        all.sort();
        assert_eq!(seen, all);
    }

    #[test]
    fn cases_of_a_service_a_target_does_not_serve_are_left_out_once_per_service_and_target() {
        let suite = suite();
        let mut ali_only = target("ali");
        ali_only.services.retain(|name, _| name == "alibaba-kms");
        let huawei = suite
            .cases()
            .iter()
            .filter(|c| c.operation.starts_with("huawei-kms/"))
            .count();
        assert!(huawei > 0);
        let plan = Plan::new(&suite, vec![ali_only, target("both")], &config(&[])).unwrap();
        assert_eq!(plan.len(), 2 * served(&suite) - huawei);
        assert_eq!(plan.selected(), plan.len());
        assert!(
            plan.trials()
                .iter()
                .filter(|p| p.target_index == 0)
                .all(|p| plan.name(p).starts_with("alibaba-kms/"))
        );
        let lines: Vec<String> = plan
            .left_out()
            .iter()
            .filter(|l| l.service != "aws-kms")
            .map(LeftOut::line)
            .collect();
        assert_eq!(
            lines,
            [format!(
                "huawei-kms: 0 of {huawei} cases planned: the target `ali` serves alibaba-kms"
            )]
        );
        // The shipped AWS KMS cases are left out for both targets, once each.
        let aws = suite.cases().len() - served(&suite);
        let aws_lines: Vec<(String, usize)> = plan
            .left_out()
            .iter()
            .filter(|l| l.service == "aws-kms")
            .map(|l| (l.target.clone(), l.cases))
            .collect();
        assert_eq!(
            aws_lines,
            [("ali".to_string(), aws), ("both".to_string(), aws)]
        );
        // Only the selected cases count; none selected, no line.
        let c = config(&["UpdateKeyAlias::"]);
        let mut ali_only = target("ali");
        ali_only.services.retain(|name, _| name == "alibaba-kms");
        let plan = Plan::new(&suite, vec![ali_only.clone()], &c).unwrap();
        assert_eq!((plan.len(), plan.selected()), (0, 0));
        let n = suite
            .cases()
            .iter()
            .filter(|c| c.id().contains("UpdateKeyAlias::"))
            .count();
        assert_eq!(plan.left_out().len(), 1);
        assert_eq!(plan.left_out()[0].cases, n);
        // A selection of served cases only leaves nothing out.
        let plan = Plan::new(&suite, vec![ali_only], &config(&["alibaba-kms/"])).unwrap();
        assert!(plan.len() > 0);
        assert!(plan.left_out().is_empty(), "{:?}", plan.left_out());
    }

    #[test]
    fn too_many_trials_are_refused_before_they_are_made() {
        let suite = suite();
        let c = config(&["--repeat", "1000000"]);
        let e = Plan::new(&suite, vec![target("local")], &c).unwrap_err();
        let PlanError::TooManyTrials {
            selected, repeat, ..
        } = e;
        assert_eq!(selected, served(&suite));
        assert_eq!(repeat, 1_000_000);
        assert!(
            e.to_string()
                .contains("select fewer cases or lower --repeat"),
            "{e}"
        );
    }

    #[test]
    fn var_values_are_merged_into_the_targets_once_and_builtins_kept_apart() {
        let suite = suite();
        let c = config(&[
            "--var",
            "region=r9",
            "--var",
            "run_prefix=mine",
            "--var",
            "extra=x",
        ]);
        let plan = Plan::new(&suite, vec![target("local")], &c).unwrap();
        let p = plan.trials()[0];
        for service in ["alibaba-kms", "huawei-kms"] {
            let vars = plan.vars(&p, service).expect(service);
            assert_eq!(
                vars.get("extra"),
                Some(&serde_json::json!("x")),
                "{service}"
            );
            assert!(!vars.contains_key("run_prefix"), "{service}");
        }
        let ali = plan.vars(&p, "alibaba-kms").unwrap();
        assert_eq!(ali.get("region"), Some(&serde_json::json!("r9")));
        let hw = plan.vars(&p, "huawei-kms").unwrap();
        assert_eq!(hw.get("project_id"), Some(&serde_json::json!("p0")));
        assert_eq!(
            plan.late_overrides().get("run_prefix"),
            Some(&serde_json::json!("mine"))
        );
        assert_eq!(plan.late_overrides().len(), 1);
    }
}
