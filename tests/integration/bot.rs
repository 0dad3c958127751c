//! The update bot's script (`.github/stackgen-update.sh` in a project with `--ci github`), run
//! as its workflow runs it, in a repository with a bare `origin` and a stand-in `gh` that
//! records its arguments and the bodies it was given.

use std::fs;

use crate::support::{Sandbox, binary, path_with, transcript};

const SCRIPT: &str = include_str!("../../templates/common/3/stackgen-update.sh");

/// A stand-in for GitHub's CLI: logs each call, remembers the pull request and the issue it
/// opened, and keeps the last body it was given.
const GH: &str = r#"
echo "$*" >> "$GH_STATE/log"
body=
previous=
for argument in "$@"; do
    [ "$previous" = "--body-file" ] && body=$argument
    previous=$argument
done
[ -n "$body" ] && cp "$body" "$GH_STATE/$1-body"
case "$1 $2" in
"pr list") [ -f "$GH_STATE/pr" ] && cat "$GH_STATE/pr" ;;
"pr create") echo 7 > "$GH_STATE/pr" ;;
"issue list") [ -f "$GH_STATE/issue" ] && cat "$GH_STATE/issue" ;;
"issue create") echo 9 > "$GH_STATE/issue" ;;
esac
exit 0
"#;

struct Bot {
    sandbox: Sandbox,
}

impl Bot {
    /// A project made at `revision` with `--ci github`, committed and pushed to a bare
    /// `origin`. Revisions before 3 have no bot: its script is added as the current one is.
    fn new(revision: &str) -> Bot {
        let sandbox = Sandbox::new();
        sandbox
            .new_project(&[
                "app",
                "--stack",
                "node",
                "--yes",
                "--skip-checks",
                "--ci",
                "github",
                "--template-revision",
                revision,
            ])
            .success();
        sandbox.fake("gh", GH);
        fs::create_dir(sandbox.path("gh")).unwrap();
        let bot = Bot { sandbox };
        let script = bot.sandbox.path("app/.github/stackgen-update.sh");
        if !script.exists() {
            fs::write(&script, SCRIPT).unwrap();
            bot.git(&["add", "-A"]);
            bot.git(&["commit", "-qm", "the update bot"]);
        }
        bot.run_in_root(&["git", "init", "-q", "--bare", "-b", "main", "origin.git"]);
        bot.git(&["remote", "add", "origin", "../origin.git"]);
        bot.git(&["push", "-q", "origin", "main"]);
        bot
    }

    fn run_in_root(&self, args: &[&str]) {
        let status = self
            .sandbox
            .command(args[0])
            .args(&args[1..])
            .status()
            .unwrap();
        assert!(status.success(), "{args:?}");
    }

    fn git(&self, args: &[&str]) -> String {
        self.sandbox.git("app", args)
    }

    /// The script as the workflow runs it: `stackgen` and `gh` on PATH, the bot's identity.
    fn run(&self) -> String {
        let bin = self.sandbox.bin();
        std::os::unix::fs::symlink(binary(), bin.join("stackgen")).ok();
        let path = path_with(&bin);
        let output = self
            .sandbox
            .command("bash")
            .arg(".github/stackgen-update.sh")
            .current_dir(self.sandbox.path("app"))
            .env("PATH", path)
            .env("GH_STATE", self.sandbox.path("gh"))
            .env("GIT_AUTHOR_NAME", "github-actions[bot]")
            .env("GIT_AUTHOR_EMAIL", "bot@example.com")
            .env("GIT_COMMITTER_NAME", "github-actions[bot]")
            .env("GIT_COMMITTER_EMAIL", "bot@example.com")
            .output()
            .unwrap();
        let text = transcript(&output);
        assert!(output.status.success(), "the bot failed: {text}");
        text
    }

    fn gh_log(&self) -> String {
        fs::read_to_string(self.sandbox.path("gh/log")).unwrap_or_default()
    }

    fn remote_branches(&self) -> String {
        self.sandbox
            .git("origin.git", &["branch", "--format=%(refname:short)"])
    }
}

#[test]
fn a_stale_project_gets_one_pull_request_updated_on_the_next_run() {
    let bot = Bot::new("1");
    bot.run();
    assert_eq!(bot.remote_branches(), "main\nstackgen/revision-3\n");
    let ahead = bot.sandbox.git(
        "origin.git",
        &["rev-list", "--count", "main..stackgen/revision-3"],
    );
    assert_eq!(ahead.trim(), "1", "one commit on the branch");
    let subject = bot.sandbox.git(
        "origin.git",
        &["log", "-1", "--format=%s", "stackgen/revision-3"],
    );
    assert_eq!(subject.trim(), "Update to stackgen node revision 3");
    let log = bot.gh_log();
    assert!(
        log.contains("pr create --base main --head stackgen/revision-3"),
        "{log}"
    );
    let body = fs::read_to_string(bot.sandbox.path("gh/pr-body")).unwrap();
    for file in [
        "package.json",
        "README.md",
        ".github/workflows/ci.yml",
        ".stackgen.toml",
    ] {
        assert!(
            body.contains(&format!("| `{file}` |")),
            "{file} not in:\n{body}"
        );
    }
    // The base branch is left as it was.
    assert_eq!(
        bot.git(&["rev-parse", "--abbrev-ref", "HEAD"]).trim(),
        "main"
    );
    assert!(bot.git(&["status", "--porcelain"]).is_empty());
    // Nothing new: the same pull request is updated, not a second one opened.
    bot.run();
    let log = bot.gh_log();
    assert_eq!(log.matches("pr create").count(), 1, "{log}");
    assert!(log.contains("pr edit 7"), "{log}");
    let ahead = bot.sandbox.git(
        "origin.git",
        &["rev-list", "--count", "main..stackgen/revision-3"],
    );
    assert_eq!(ahead.trim(), "1");
}

#[test]
fn a_conflict_opens_an_issue_and_commits_nothing() {
    let bot = Bot::new("1");
    let package = bot.sandbox.path("app/package.json");
    let text = fs::read_to_string(&package).unwrap();
    fs::write(&package, text.replace("\">=18\"", "\">=16\"")).unwrap();
    bot.git(&["commit", "-qam", "our engines"]);
    let head = bot.git(&["rev-parse", "HEAD"]);
    bot.run();
    assert_eq!(bot.git(&["rev-parse", "HEAD"]), head, "no commit");
    assert!(
        bot.git(&["status", "--porcelain"]).is_empty(),
        "nothing written"
    );
    assert_eq!(bot.git(&["branch", "--format=%(refname:short)"]), "main\n");
    assert_eq!(bot.remote_branches(), "main\n", "nothing pushed");
    let log = bot.gh_log();
    assert!(!log.contains("pr create"), "{log}");
    assert!(
        log.contains("issue create --title stackgen: template revision 3 needs a person"),
        "{log}"
    );
    let body = fs::read_to_string(bot.sandbox.path("gh/issue-body")).unwrap();
    assert!(body.contains("Needs a person: `package.json`"), "{body}");
    assert!(body.contains("stackgen update"), "{body}");
    // The next run updates that issue instead of opening another.
    bot.run();
    let log = bot.gh_log();
    assert_eq!(log.matches("issue create").count(), 1, "{log}");
    assert!(log.contains("issue edit 9"), "{log}");
}

#[test]
fn an_up_to_date_project_pushes_and_opens_nothing() {
    let bot = Bot::new("3");
    // Revision 3 generates the bot: its script, executable, and the workflow that runs it.
    use std::os::unix::fs::PermissionsExt;
    let script = bot.sandbox.path("app/.github/stackgen-update.sh");
    assert_eq!(fs::read_to_string(&script).unwrap(), SCRIPT);
    assert_eq!(
        fs::metadata(&script).unwrap().permissions().mode() & 0o111,
        0o111
    );
    let workflow = bot
        .sandbox
        .read("app/.github/workflows/stackgen-update.yml");
    assert!(
        workflow.contains(".github/stackgen-update.sh"),
        "{workflow}"
    );
    assert!(workflow.contains("npx --yes stackgen@^0"), "{workflow}");
    let said = bot.run();
    assert!(said.contains("up to date"), "{said}");
    assert_eq!(bot.remote_branches(), "main\n");
    assert!(bot.gh_log().is_empty(), "{}", bot.gh_log());
}
