//! The boundaries ARCHITECTURE.md promises, checked: the engine crates under `crates/` build without Tauri
//! or WebKit, and dependencies point one way (pec-core depends on no other engine crate).

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

use serde_json::Value;

/// Crates that mean "a desktop shell or a web view" when they appear in an engine crate's graph.
const SHELL_CRATES: &[&str] = &[
    "tauri",
    "wry",
    "tao",
    "webkit2gtk",
    "webkit2gtk-sys",
    "gtk",
    "javascriptcore-rs",
];

/// The platform this test runs on, so `cargo metadata` needs only what this machine builds.
fn host_tuple() -> String {
    let out = Command::new("rustc")
        .args(["--print", "host-tuple"])
        .output()
        .expect("rustc --print host-tuple");
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

fn metadata() -> Value {
    // NOTE: without --filter-platform cargo wants every platform's crates (Windows console crates
    // included) in the local cache, which a fresh machine that only built for Linux does not have.
    let out = Command::new(env!("CARGO"))
        .args(["metadata", "--format-version", "1", "--offline"])
        .args(["--filter-platform", &host_tuple()])
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .output()
        .expect("cargo metadata");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Package name -> the names of its normal (non-dev) dependencies, as resolved.
fn graph(meta: &Value) -> (BTreeMap<String, String>, BTreeMap<String, Vec<String>>) {
    let mut names = BTreeMap::new();
    for p in meta["packages"].as_array().unwrap() {
        names.insert(
            p["id"].as_str().unwrap().to_owned(),
            p["name"].as_str().unwrap().to_owned(),
        );
    }
    let mut deps = BTreeMap::new();
    for node in meta["resolve"]["nodes"].as_array().unwrap() {
        let id = node["id"].as_str().unwrap().to_owned();
        let normal: Vec<String> = node["deps"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| {
                d["dep_kinds"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|k| k["kind"].is_null() || k["kind"] == "build")
            })
            .map(|d| d["pkg"].as_str().unwrap().to_owned())
            .collect();
        deps.insert(id, normal);
    }
    (names, deps)
}

fn reachable(start: &str, deps: &BTreeMap<String, Vec<String>>) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut stack = vec![start.to_owned()];
    while let Some(id) = stack.pop() {
        if seen.insert(id.clone()) {
            stack.extend(deps.get(&id).into_iter().flatten().cloned());
        }
    }
    seen
}

fn engine_crates(meta: &Value) -> Vec<(String, String)> {
    meta["packages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["manifest_path"].as_str().unwrap().contains("/crates/"))
        .map(|p| {
            (
                p["id"].as_str().unwrap().to_owned(),
                p["name"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn no_engine_crate_depends_on_tauri_or_webkit() {
    let meta = metadata();
    let (names, deps) = graph(&meta);
    let engine = engine_crates(&meta);
    assert!(
        engine.iter().any(|(_, n)| n == "pec-core"),
        "engine crates found under crates/"
    );
    for (id, name) in engine {
        let shell: Vec<&String> = reachable(&id, &deps)
            .iter()
            .filter_map(|d| names.get(d))
            .filter(|n| SHELL_CRATES.contains(&n.as_str()))
            .collect();
        assert!(
            shell.is_empty(),
            "{name} depends on {shell:?}: engine crates must build without Tauri/WebKit"
        );
    }
}

#[test]
fn pec_core_depends_on_no_other_engine_crate() {
    let meta = metadata();
    let (names, deps) = graph(&meta);
    let engine: BTreeSet<String> = engine_crates(&meta).into_iter().map(|(_, n)| n).collect();
    let core = engine_crates(&meta)
        .into_iter()
        .find(|(_, n)| n == "pec-core")
        .unwrap()
        .0;
    let inner: Vec<&String> = reachable(&core, &deps)
        .iter()
        .filter(|d| **d != core)
        .filter_map(|d| names.get(d))
        .filter(|n| engine.contains(*n))
        // The one crate below it: the `closed_set!` macro, shared with pec-invoice.
        .filter(|n| *n != "pec-closed-set")
        .collect();
    assert!(
        inner.is_empty(),
        "pec-core must stay at the bottom of the graph (above pec-closed-set), but depends on {inner:?}"
    );
}

#[test]
fn the_lab_servers_are_linked_only_by_the_lab_the_cli_and_the_desktop_demo() {
    // Issue 16 §3: the engine reads a lab's description (`pec-lab-info`) and the test kit composes
    // with `pec-compose`; the lab's SMTP server and Dovecot control (`pec-lab`) stay out of both.
    let meta = metadata();
    let (names, deps) = graph(&meta);
    let id_of = |name: &str| {
        names
            .iter()
            .find(|(_, n)| n.as_str() == name)
            .map(|(id, _)| id.clone())
            .unwrap_or_else(|| panic!("no package {name}"))
    };
    for name in ["pec-engine", "pec-testkit", "pec-compose", "pec-lab-info"] {
        let reached: Vec<&String> = reachable(&id_of(name), &deps)
            .iter()
            .filter_map(|d| names.get(d))
            .filter(|n| n.as_str() == "pec-lab")
            .collect();
        assert!(
            reached.is_empty(),
            "{name} links the lab's servers (pec-lab)"
        );
    }
}

/// A workspace crate's dependencies on the other workspace crates: (normal or build, dev only).
type Edges = BTreeMap<String, (BTreeSet<String>, BTreeSet<String>)>;

/// The crate graph as the `Cargo.toml` files make it.
fn workspace_edges(meta: &Value) -> Edges {
    let members: BTreeSet<&str> = meta["workspace_members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap())
        .collect();
    let name_of = |id: &str| {
        meta["packages"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["id"] == id)
            .map(|p| p["name"].as_str().unwrap().to_owned())
            .unwrap()
    };
    let mut edges = Edges::new();
    for node in meta["resolve"]["nodes"].as_array().unwrap() {
        let id = node["id"].as_str().unwrap();
        if !members.contains(id) {
            continue;
        }
        let (mut normal, mut dev) = (BTreeSet::new(), BTreeSet::new());
        for dep in node["deps"].as_array().unwrap() {
            let pkg = dep["pkg"].as_str().unwrap();
            if !members.contains(pkg) {
                continue;
            }
            let kinds = dep["dep_kinds"].as_array().unwrap();
            if kinds
                .iter()
                .any(|k| k["kind"].is_null() || k["kind"] == "build")
            {
                normal.insert(name_of(pkg));
            } else {
                dev.insert(name_of(pkg));
            }
        }
        edges.insert(name_of(id), (normal, dev));
    }
    edges
}

/// The crate graph as ARCHITECTURE.md states it: the `text` block after the "crate graph" marker, one
/// line per crate, `name → a, b   [dev: c, d]` (or `→ nothing`).
fn documented_edges() -> Edges {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../ARCHITECTURE.md"))
        .expect("ARCHITECTURE.md");
    let after = text
        .split_once("<!-- crate graph")
        .expect("ARCHITECTURE.md has the crate graph marker")
        .1;
    let block = after
        .split_once("```text\n")
        .and_then(|(_, rest)| rest.split_once("```"))
        .expect("a text block after the marker")
        .0;
    let names = |list: &str| -> BTreeSet<String> {
        list.split(',')
            .map(str::trim)
            .filter(|n| !n.is_empty() && *n != "nothing")
            .map(str::to_owned)
            .collect()
    };
    let mut edges = Edges::new();
    for line in block.lines().filter(|l| !l.trim().is_empty()) {
        let (name, rest) = line.split_once('→').expect("`name → deps` lines");
        let (normal, dev) = match rest.split_once("[dev:") {
            Some((normal, dev)) => (normal, dev.trim_end().trim_end_matches(']')),
            None => (rest, ""),
        };
        let previous = edges.insert(name.trim().to_owned(), (names(normal), names(dev)));
        assert!(previous.is_none(), "{} is listed twice", name.trim());
    }
    edges
}

#[test]
fn architecture_md_names_every_crate_and_every_dependency_edge() {
    let actual = workspace_edges(&metadata());
    let documented = documented_edges();
    assert!(actual.contains_key("pec-core") && actual.contains_key("attesta-app"));
    for (name, (normal, dev)) in &actual {
        let Some((doc_normal, doc_dev)) = documented.get(name) else {
            panic!("ARCHITECTURE.md does not name the crate {name}");
        };
        assert_eq!(
            doc_normal, normal,
            "ARCHITECTURE.md: the dependencies of {name}"
        );
        assert_eq!(
            doc_dev, dev,
            "ARCHITECTURE.md: the dev-dependencies of {name}"
        );
    }
    for name in documented.keys() {
        assert!(
            actual.contains_key(name),
            "ARCHITECTURE.md names {name}, which is not a workspace crate"
        );
    }
}
