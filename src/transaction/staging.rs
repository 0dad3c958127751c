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

/// What the system can tell about a process. Behind a trait so the decision below is tested
/// for every platform on any one.
pub trait Processes {
    /// Whether this system has Linux's `/proc`.
    fn has_proc(&self) -> bool;
    /// The start time `/proc/PID/stat` gives for `pid`, if it exists.
    fn start_time(&self, pid: u32) -> Option<String>;
    /// What `kill(pid, 0)` says: `Some(false)` for no such process, `Some(true)` for one that
    /// exists (even if not ours to signal), `None` where it cannot be asked.
    fn exists(&self, pid: u32) -> Option<bool>;
}

/// This system's processes.
pub struct SystemProcesses;

impl Processes for SystemProcesses {
    fn has_proc(&self) -> bool {
        cfg!(target_os = "linux") && Path::new("/proc/self/stat").exists()
    }

    fn start_time(&self, pid: u32) -> Option<String> {
        start_time(pid)
    }

    #[cfg(unix)]
    fn exists(&self, pid: u32) -> Option<bool> {
        let pid = rustix::process::Pid::from_raw(i32::try_from(pid).ok()?)?;
        match rustix::process::test_kill_process(pid) {
            Ok(()) => Some(true),
            Err(rustix::io::Errno::SRCH) => Some(false),
            Err(rustix::io::Errno::PERM) => Some(true),
            Err(_) => None,
        }
    }

    #[cfg(not(unix))]
    fn exists(&self, _pid: u32) -> Option<bool> {
        None
    }
}

/// Whether the process a marker names is *known* to be gone: on Linux, no such process or
/// another one with its id (a different start time); elsewhere, `kill(pid, 0)` says there is
/// no such process. Where nothing answers, it is never taken as gone: a staging directory of a
/// live run must never be removed.
fn owner_is_gone(processes: &dyn Processes, pid: u32, start: &str) -> bool {
    if processes.has_proc() {
        return match processes.start_time(pid) {
            Some(now) => !start.is_empty() && now != start,
            None => processes.exists(pid) == Some(false),
        };
    }
    processes.exists(pid) == Some(false)
}

/// Removes the staging directories in `parent` whose marker names a process that is gone;
/// returns their names. Directories without a valid marker, or of a live process, stay.
pub fn clean_abandoned(parent: &Path) -> Vec<String> {
    clean_abandoned_with(parent, &SystemProcesses)
}

fn clean_abandoned_with(parent: &Path, processes: &dyn Processes) -> Vec<String> {
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
            && owner_is_gone(processes, pid, &start)
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
        assert!(!owner_is_gone(&SystemProcesses, pid, &start));
        assert!(
            owner_is_gone(&SystemProcesses, pid, "1"),
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

    /// A process table as a system would show it.
    struct Table {
        proc: bool,
        /// pid → start time, for the processes `/proc` lists.
        started: Vec<(u32, &'static str)>,
        /// What `kill(pid, 0)` answers for every pid.
        kill: fn(u32) -> Option<bool>,
    }

    impl Processes for Table {
        fn has_proc(&self) -> bool {
            self.proc
        }
        fn start_time(&self, pid: u32) -> Option<String> {
            let found = self.started.iter().find(|(id, _)| *id == pid);
            found.map(|(_, start)| (*start).to_owned())
        }
        fn exists(&self, pid: u32) -> Option<bool> {
            (self.kill)(pid)
        }
    }

    #[test]
    fn linux_judges_by_the_start_time() {
        let linux = Table {
            proc: true,
            started: vec![(42, "1000")],
            kill: |pid| Some(pid == 42),
        };
        assert!(!owner_is_gone(&linux, 42, "1000"), "alive");
        assert!(owner_is_gone(&linux, 42, "999"), "its id reused by another");
        assert!(owner_is_gone(&linux, 43, "1000"), "no such process");
        assert!(!owner_is_gone(&linux, 42, ""), "no start recorded: never");
    }

    #[test]
    fn without_proc_only_kill_saying_no_such_process_counts() {
        // macOS and the BSDs: no `/proc`, so no start time; `kill(pid, 0)` answers.
        let mac = Table {
            proc: false,
            started: Vec::new(),
            kill: |pid| Some(pid != 7),
        };
        assert!(
            !owner_is_gone(&mac, 42, "1000"),
            "alive (or not ours to signal)"
        );
        assert!(owner_is_gone(&mac, 7, ""), "ESRCH");
        // Where nothing answers (Windows), nothing is ever taken as gone.
        let silent = Table {
            proc: false,
            started: Vec::new(),
            kill: |_| None,
        };
        assert!(!owner_is_gone(&silent, 7, ""));
        assert!(!owner_is_gone(&silent, 42, "1000"));
    }

    #[test]
    fn a_live_run_elsewhere_keeps_its_staging_directory() {
        // The bug this guards against: on a system without `/proc` every owner looked gone.
        let parent = tempfile::tempdir().unwrap();
        let dir = parent.path().join(".stackgen-staging-running");
        fs::create_dir(&dir).unwrap();
        fs::write(dir.join(MARKER), format!("{MAGIC}\npid=42\nstart=\n")).unwrap();
        let mac = Table {
            proc: false,
            started: Vec::new(),
            kill: |pid| Some(pid == 42),
        };
        assert!(clean_abandoned_with(parent.path(), &mac).is_empty());
        assert!(dir.is_dir());
        let gone = Table {
            kill: |_| Some(false),
            ..mac
        };
        assert_eq!(
            clean_abandoned_with(parent.path(), &gone),
            [".stackgen-staging-running"]
        );
    }
}
