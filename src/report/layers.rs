//! A test that keeps `report/` layered: the modules under `src/report/` name each other in one
//! direction only (data model at the bottom, then judging and collecting, then renderers, then
//! writing), and nothing under `src/baseline/` names `report`.
//!
//! It reads the source files: every `super::<module>` path in a file's non-test code is an edge
//! from that file's module to `<module>`. A file in a folder (`markdown/tables.rs`) belongs to the
//! folder's module; its `super::super::<module>` paths are edges of that module (and its
//! `super::<sibling>` paths stay inside the folder). Paths through
//! `crate::report::` are not allowed inside `report/` (they would hide an edge behind mod.rs's
//! re-exports).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Module name → the modules it names.
type Graph = BTreeMap<String, BTreeSet<String>>;

/// The non-test part of a source file: everything before its `#[cfg(test)]` module.
fn production(text: &str) -> &str {
    match text.find("#[cfg(test)]\nmod tests") {
        Some(i) => &text[..i],
        None => text,
    }
}

/// The module names that follow `prefix` in `text` (`super::text::cap` gives `text`).
fn names_after<'t>(text: &'t str, prefix: &str) -> Vec<&'t str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find(prefix) {
        let before = rest[..i].chars().next_back();
        let tail = &rest[i + prefix.len()..];
        rest = tail;
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
            continue;
        }
        if tail.starts_with('{') {
            // `super::{html, junit}`
            if let Some(end) = tail.find('}') {
                for part in tail[1..end].split(',') {
                    let name = part.trim().split("::").next().unwrap_or("").trim();
                    if !name.is_empty() {
                        out.push(name);
                    }
                }
            }
            continue;
        }
        let end = tail
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(tail.len());
        if end > 0 && tail[end..].starts_with("::") {
            out.push(&tail[..end]);
        } else if end > 0 && !tail[..end].chars().next().is_some_and(char::is_uppercase) {
            // `use super::text;` names the module itself.
            out.push(&tail[..end]);
        }
    }
    out
}

/// Every `.rs` file under `dir`, recursively.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).expect("read the source folder") {
        let p = e.expect("a folder entry").path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The module graph of the folder `root` (`src/report`), and every `crate::report::` path.
fn graph_of(root: &Path) -> (Graph, Vec<String>) {
    let mut files = Vec::new();
    rust_files(root, &mut files);
    files.sort();
    let mut graph = Graph::new();
    let mut through_crate = Vec::new();
    for f in files {
        let rel = f.strip_prefix(root).expect("under the root");
        let parts: Vec<String> = rel
            .iter()
            .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string())
            .collect();
        if parts == ["mod"] || parts == ["layers"] {
            continue; // the facade (declares and re-exports), and this checker
        }
        let module = parts[0].clone();
        // How deep the file's module sits below report's modules: `markdown/mod.rs` is
        // `markdown` itself (0), `markdown/tables.rs` one below it.
        let depth = parts.len() - 1 - usize::from(parts.last().is_some_and(|p| p == "mod"));
        let text = std::fs::read_to_string(&f).expect("read a source file");
        let code = production(&text);
        if code.contains("crate::report::") {
            through_crate.push(rel.display().to_string());
        }
        let prefix = "super::".repeat(depth + 1);
        let edges = graph.entry(module.clone()).or_default();
        for name in names_after(code, &prefix) {
            if name != module && name != "super" && name != "*" {
                edges.insert(name.to_string());
            }
        }
    }
    (graph, through_crate)
}

/// A cycle of `graph` (its modules in order, the first repeated at the end), if it has one.
fn find_cycle(graph: &Graph) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &Graph,
        done: &mut BTreeSet<String>,
        path: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = path.iter().position(|n| n == node) {
            let mut cycle = path[i..].to_vec();
            cycle.push(node.to_string());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(c) = visit(next, graph, done, path) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    for node in graph.keys() {
        if let Some(c) = visit(node, graph, &mut done, &mut Vec::new()) {
            return Some(c);
        }
    }
    None
}

/// The modules bottom-up: each after every module it names (ties by name).
fn layers(graph: &Graph) -> Vec<Vec<String>> {
    let mut placed: BTreeSet<String> = BTreeSet::new();
    let mut out = Vec::new();
    while placed.len() < graph.len() {
        let layer: Vec<String> = graph
            .iter()
            .filter(|(n, deps)| {
                !placed.contains(*n)
                    && deps
                        .iter()
                        .all(|d| placed.contains(d) || !graph.contains_key(d))
            })
            .map(|(n, _)| n.clone())
            .collect();
        assert!(!layer.is_empty(), "a cycle is left");
        placed.extend(layer.iter().cloned());
        out.push(layer);
    }
    out
}

fn src(dir: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join(dir)
}

#[test]
fn report_modules_name_each_other_in_one_direction() {
    let (graph, through_crate) = graph_of(&src("report"));
    assert!(
        through_crate.is_empty(),
        "inside report/, name a sibling as `super::<module>`, not through `crate::report::`: {through_crate:?}"
    );
    if let Some(cycle) = find_cycle(&graph) {
        panic!("report/ has a module cycle: {}", cycle.join(" -> "));
    }
    // The order, bottom-up, for docs/architecture.md: `cargo test layers -- --nocapture`.
    for (i, layer) in layers(&graph).iter().enumerate() {
        println!("layer {i}: {}", layer.join(", "));
    }
}

#[test]
fn baseline_modules_name_each_other_in_one_direction() {
    let (graph, _) = graph_of(&src("baseline"));
    assert!(
        graph.contains_key("entry") && graph.contains_key("judge"),
        "{graph:?}"
    );
    if let Some(cycle) = find_cycle(&graph) {
        panic!("baseline/ has a module cycle: {}", cycle.join(" -> "));
    }
}

#[test]
fn baseline_does_not_name_report() {
    let mut files = Vec::new();
    rust_files(&src("baseline"), &mut files);
    assert!(!files.is_empty(), "src/baseline has source files");
    for f in files {
        let text = std::fs::read_to_string(&f).expect("read a source file");
        assert!(
            !text.contains("crate::report"),
            "{} names crate::report: baseline/ sits below report/",
            f.display()
        );
    }
}

#[test]
fn the_cycle_finder_finds_a_cycle_and_accepts_layers() {
    let edges = |list: &[(&str, &[&str])]| -> Graph {
        list.iter()
            .map(|(n, ds)| (n.to_string(), ds.iter().map(|d| d.to_string()).collect()))
            .collect()
    };
    let layered = edges(&[
        ("model", &[]),
        ("collect", &["model"]),
        ("write", &["collect", "model"]),
    ]);
    assert_eq!(find_cycle(&layered), None);
    assert_eq!(
        layers(&layered),
        [
            vec!["model".to_string()],
            vec!["collect".into()],
            vec!["write".into()]
        ]
    );
    let cyclic = edges(&[
        ("model", &["store"]),
        ("store", &["model"]),
        ("write", &["model"]),
    ]);
    assert_eq!(
        find_cycle(&cyclic),
        Some(vec!["model".into(), "store".into(), "model".into()])
    );
}

#[test]
fn paths_name_modules() {
    let code = "use super::model::{Report, Status};\nuse super::{html, junit};\nlet x = super::text::cap(s);\nuse super::Thing;\nuse super::text;";
    assert_eq!(
        names_after(code, "super::"),
        ["model", "html", "junit", "text", "text"]
    );
    assert_eq!(
        names_after("super::super::write::unique", "super::super::"),
        ["write"]
    );
}
