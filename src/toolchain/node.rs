//! Node.js: `node` and `npm`.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use super::manager::{self, Manager};
use super::{
    Context, Finding, Shim, Status, Tool, ToolReport, describe_run, missing, version,
    version_report,
};
use crate::text::escape;

/// Checks `node`. A shim (asdf, nodenv, volta) is asked for its real `process.execPath` in
/// the same run that reports the version; a plain binary just prints `--version`, which
/// skips starting the JavaScript engine.
pub fn check_node(context: &Context<'_>) -> ToolReport {
    let Some(path) = context.probe.locate("node") else {
        return missing(context, Tool::Node, "node");
    };
    if !manager::is_shim_path(&path) {
        let shim = followed_link(&path);
        let mut report = version_report(context, Tool::Node, "node", path, &["--version"]);
        report.shim = shim;
        return report;
    }
    let args = ["-p", "process.version + '\\n' + process.execPath"];
    let mut finding = Finding::located("node", path.clone());
    finding.probe = Some(describe_run(&path, &args));
    let result = context.probe.run(&path, &args);
    let target = result.as_ref().ok().and_then(|captured| {
        let line = captured.stdout.lines().nth(1)?.trim();
        (!line.is_empty()).then(|| PathBuf::from(line))
    });
    finding.shim = Some(Shim {
        manager: finding.manager.map(Manager::name),
        target,
    });
    finding.read_version(result);
    finding.into_report(Tool::Node, context)
}

/// A version manager's symlink (fnm's per-shell links, nvm-windows) is reported as a shim of
/// what it points at; ordinary symlinks such as `/usr/bin/node` are not.
fn followed_link(path: &Path) -> Option<Shim> {
    let manager = Manager::of(path)?;
    let target = path.canonicalize().ok()?;
    (target != path).then(|| Shim {
        manager: Some(manager.name()),
        target: Some(target),
    })
}

/// Checks `npm` by reading the `package.json` of the npm it resolves to: running npm starts a
/// Node.js program of its own, which costs more than the rest of the check together.
pub fn check_npm(context: &Context<'_>) -> ToolReport {
    let Some(path) = context.probe.locate("npm") else {
        return missing(context, Tool::Npm, "npm");
    };
    let Some((manifest, version)) = package_version(&path) else {
        return version_report(context, Tool::Npm, "npm", path, &["--version"]);
    };
    let mut finding = Finding::located("npm", path);
    finding.probe = Some(format!("{READ}`{}`", manifest.to_string_lossy()));
    finding.version = version::find(&version);
    if finding.version.is_none() {
        finding.broken = Some(format!("its `package.json` holds no version (`{version}`)"));
    }
    finding.into_report(Tool::Npm, context)
}

/// How a probe that read npm's manifest, rather than running npm, begins.
const READ: &str = "read ";

/// npm is a Node.js program: one whose version was read from its manifest, never run, cannot
/// run without a working `node` either, whatever the manifest says. It takes node's fix.
pub fn npm_needs_node(tools: &mut [ToolReport]) {
    let Some(node) = tools.iter().find(|tool| tool.name == Tool::Node.name()) else {
        return;
    };
    if !matches!(node.status, Status::Missing | Status::Broken) {
        return;
    }
    let hint = node.hint.clone();
    let Some(npm) = tools.iter_mut().find(|tool| {
        tool.name == Tool::Npm.name()
            && tool.status == Status::Ok
            && tool
                .probe
                .as_deref()
                .is_some_and(|probe| probe.starts_with(READ))
    }) else {
        return;
    };
    npm.status = Status::Broken;
    npm.problem = Some(format!(
        "`npm` was found at `{}` but cannot run without a working `node`",
        escape(
            &npm.path
                .as_deref()
                .unwrap_or(Path::new(""))
                .to_string_lossy()
        )
    ));
    npm.hint = hint;
}

/// The `package.json` of npm next to its launcher. On Unix `npm` is a symlink into
/// `lib/node_modules/npm/bin/`; on Windows `npm.cmd` sits beside `node_modules/npm/`.
fn package_version(npm: &Path) -> Option<(PathBuf, String)> {
    let real = npm.canonicalize().ok()?;
    let beside = npm.parent()?;
    let candidates = real
        .ancestors()
        .skip(1)
        .take(3)
        .map(|dir| dir.join("package.json"))
        .chain([
            beside.join("node_modules/npm/package.json"),
            beside.join("../lib/node_modules/npm/package.json"),
        ]);
    candidates
        .filter_map(|manifest| read_npm_manifest(&manifest).map(|version| (manifest, version)))
        .next()
}

fn read_npm_manifest(path: &Path) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Manifest {
        name: String,
        version: String,
    }
    // A real npm manifest is a few KiB; the cap keeps a stray huge file from costing memory.
    let mut text = String::new();
    File::open(path)
        .ok()?
        .take(64 * 1024)
        .read_to_string(&mut text)
        .ok()?;
    let manifest: Manifest = serde_json::from_str(&text).ok()?;
    (manifest.name == "npm").then_some(manifest.version)
}

/// An npm 10.8.2 installed under `prefix` as Node.js installs it: `lib/node_modules/npm` with
/// its manifest and `bin/npm-cli.js`, which is returned.
#[cfg(test)]
pub(super) fn install_fake_npm(prefix: &Path) -> PathBuf {
    let npm_dir = prefix.join("lib/node_modules/npm");
    std::fs::create_dir_all(npm_dir.join("bin")).unwrap();
    std::fs::write(
        npm_dir.join("package.json"),
        r#"{"name": "npm", "version": "10.8.2", "bin": {}}"#,
    )
    .unwrap();
    let cli = npm_dir.join("bin/npm-cli.js");
    std::fs::write(&cli, "").unwrap();
    cli
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn npm_version_is_read_through_the_launcher_symlink() {
        let dir = tempfile::tempdir().unwrap();
        install_fake_npm(dir.path());
        std::fs::create_dir(dir.path().join("bin")).unwrap();
        let launcher = dir.path().join("bin/npm");
        #[cfg(unix)]
        std::os::unix::fs::symlink("../lib/node_modules/npm/bin/npm-cli.js", &launcher).unwrap();
        #[cfg(not(unix))]
        std::fs::write(&launcher, "").unwrap();
        let (manifest, version) = package_version(&launcher).unwrap();
        assert_eq!(version, "10.8.2");
        assert!(manifest.ends_with("package.json"));
    }

    #[test]
    fn a_manifest_of_another_package_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("package.json"),
            r#"{"name": "my-app", "version": "1.0.0"}"#,
        )
        .unwrap();
        std::fs::create_dir(dir.path().join("bin")).unwrap();
        let launcher = dir.path().join("bin/npm");
        std::fs::write(&launcher, "").unwrap();
        assert_eq!(package_version(&launcher), None);
    }
}
