//! Sets `STACKGEN_VERSION` for `--version`: the package version, followed by the commit it was
//! built from when it is built from its own git checkout (`0.1.0 (abc123def)`).
//!
//! There is no `-dirty` mark: knowing about edits would mean re-running on every change to
//! any file, and a mark that goes stale is worse than none.

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let manifest_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap());
    let package_version = std::env::var("CARGO_PKG_VERSION").unwrap();
    let version = match commit(&manifest_dir) {
        Some(hash) => format!("{package_version} ({hash})"),
        None => package_version,
    };
    println!("cargo:rustc-env=STACKGEN_VERSION={version}");
}

/// The short hash of HEAD, when the package is the top of a git work tree. Also tells cargo
/// which files to watch, so a commit or checkout re-runs this script and nothing else does.
fn commit(manifest_dir: &Path) -> Option<String> {
    // An unpacked crate inside some other repository (a vendor directory) must not take
    // that repository's hash.
    let top = git(manifest_dir, &["rev-parse", "--show-toplevel"])?;
    if Path::new(&top).canonicalize().ok()? != manifest_dir.canonicalize().ok()? {
        return None;
    }
    // Watched before asking for the hash, so that the first commit of a new repository
    // re-runs the script too.
    for watched in watched_files(manifest_dir) {
        println!("cargo:rerun-if-changed={}", watched.display());
    }
    git(manifest_dir, &["rev-parse", "--short=9", "HEAD"])
}

/// HEAD and the ref it points to, wherever git keeps them (a linked work tree keeps HEAD
/// apart from the refs). Only existing files are listed: cargo re-runs the script on every
/// build for a missing one.
fn watched_files(manifest_dir: &Path) -> Vec<PathBuf> {
    let git_path = |name: &str| {
        git(manifest_dir, &["rev-parse", "--git-path", name]).map(|path| manifest_dir.join(path))
    };
    let mut watched: Vec<PathBuf> = git_path("HEAD").into_iter().collect();
    // A detached HEAD names no ref; HEAD itself changes on every checkout then.
    if let Some(reference) = git(manifest_dir, &["symbolic-ref", "-q", "HEAD"]) {
        if let Some(loose) = git_path(&reference) {
            if loose.is_file() {
                watched.push(loose);
            } else if let Some(dir) = loose.ancestors().skip(1).find(|dir| dir.is_dir()) {
                // The ref is only in packed-refs, or not yet born: the next commit writes it
                // below this directory.
                watched.push(dir.to_path_buf());
            }
        }
        watched.extend(git_path("packed-refs"));
    }
    watched.retain(|path| path.exists());
    watched
}

/// Runs git in `dir` and returns its trimmed stdout, or `None` when git is missing or fails.
fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .ok()?;
    if !output.status.success() {
        return None;
    }
    let text = String::from_utf8(output.stdout).ok()?;
    Some(text.trim().to_owned()).filter(|text| !text.is_empty())
}
