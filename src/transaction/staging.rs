//! Staging directories' markers: who made a `.stackgen-staging-*` directory, so that a later
//! run can remove the ones left by a process that is gone (SIGKILL, the OOM killer, a CI job's
//! hard timeout) and never touch any other.

use std::fs;
use std::path::{Path, PathBuf};

/// The marker's name inside a staging directory, and the first line it must hold.
pub const MARKER: &str = ".stackgen-staging";
const MAGIC: &str = "stackgen staging directory v1";
pub const PREFIX: &str = ".stackgen-staging-";

/// The marker's text for this process.
pub fn marker_text() -> String {
    let pid = std::process::id();
    format!(
        "{MAGIC}\npid={pid}\nstart={}\n",
        start_time(pid).unwrap_or_default()
    )
}

/// The start time of process `pid` in clock ticks since boot (`/proc/PID/stat`, field 22),
/// which tells a live process from a later one that reuses its id.
fn start_time(pid: u32) -> Option<String> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name, in parentheses, may hold spaces: count fields after its `)`.
    let after = &stat[stat.rfind(')')? + 2..];
    after.split(' ').nth(19).map(str::to_owned)
}

/// The (pid, start) a marker records, if it is a valid stackgen marker.
fn parse(text: &str) -> Option<(u32, String)> {
    let mut lines = text.lines();
    if lines.next()? != MAGIC {
        return None;
    }
    let pid = lines.next()?.strip_prefix("pid=")?.parse().ok()?;
    let start = lines.next()?.strip_prefix("start=")?.to_owned();
    Some((pid, start))
}

/// Whether the process a marker names is gone: no such process, or another one with its id.
fn owner_is_gone(pid: u32, start: &str) -> bool {
    match start_time(pid) {
        None => !Path::new(&format!("/proc/{pid}")).exists(),
        Some(now) => now != start,
    }
}

/// Removes the staging directories in `parent` whose marker names a process that is gone;
/// returns their names. Directories without a valid marker, or of a live process, stay.
pub fn clean_abandoned(parent: &Path) -> Vec<String> {
    let Ok(entries) = fs::read_dir(parent) else {
        return Vec::new();
    };
    let mut cleaned = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let is_dir = entry.file_type().is_ok_and(|kind| kind.is_dir());
        if !name.starts_with(PREFIX) || !is_dir {
            continue;
        }
        let path: PathBuf = entry.path();
        let Some((pid, start)) = fs::read_to_string(path.join(MARKER))
            .ok()
            .as_deref()
            .and_then(parse)
        else {
            continue;
        };
        if pid != std::process::id()
            && owner_is_gone(pid, &start)
            && fs::remove_dir_all(&path).is_ok()
        {
            cleaned.push(name);
        }
    }
    cleaned.sort();
    cleaned
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_round_trip_and_this_process_is_alive() {
        let (pid, start) = parse(&marker_text()).unwrap();
        assert_eq!(pid, std::process::id());
        assert!(!owner_is_gone(pid, &start));
        assert!(
            owner_is_gone(pid, "1"),
            "another start time is another process"
        );
        assert_eq!(parse("something else\npid=1\nstart=2\n"), None);
    }

    #[test]
    fn only_abandoned_marked_directories_are_removed() {
        let parent = tempfile::tempdir().unwrap();
        let make = |name: &str, marker: Option<&str>| {
            let dir = parent.path().join(name);
            fs::create_dir(&dir).unwrap();
            if let Some(marker) = marker {
                fs::write(dir.join(MARKER), marker).unwrap();
            }
        };
        // 4194304 is above Linux's largest pid_max: no process has it.
        make(
            ".stackgen-staging-gone0000",
            Some(&format!("{MAGIC}\npid=4194304\nstart=1\n")),
        );
        make(".stackgen-staging-nomarker", None);
        make(".stackgen-staging-alive000", Some(&marker_text()));
        make(
            "user-dir",
            Some(&format!("{MAGIC}\npid=4194304\nstart=1\n")),
        );
        assert_eq!(
            clean_abandoned(parent.path()),
            [".stackgen-staging-gone0000"]
        );
        for kept in [
            ".stackgen-staging-nomarker",
            ".stackgen-staging-alive000",
            "user-dir",
        ] {
            assert!(parent.path().join(kept).is_dir(), "{kept}");
        }
    }
}
