// The floor for `stackgen new`: a minimal program that writes the same files stackgen writes
// for a Node.js project, with their contents compiled in. Nothing can be faster than this
// while still creating the same tree, so stackgen's budget is a multiple of it.
// Built by bench/run.sh with REFERENCE_DIR pointing at a tree stackgen generated.
use std::fs;
use std::path::Path;

macro_rules! reference {
    ($path:literal) => {
        ($path, include_bytes!(concat!(env!("REFERENCE_DIR"), "/", $path)).as_slice())
    };
}

fn main() {
    let target = std::env::args_os().nth(1).expect("usage: floor TARGET");
    let target = Path::new(&target);
    let files = [
        reference!("package.json"),
        reference!("server.js"),
        reference!("test/server.test.js"),
        reference!("README.md"),
        reference!("AGENTS.md"),
        reference!(".gitignore"),
        reference!(".editorconfig"),
        reference!(".stackgen.toml"),
    ];
    fs::create_dir(target).expect("create target");
    fs::create_dir(target.join("test")).expect("create test dir");
    for (path, contents) in files {
        fs::write(target.join(path), contents).expect("write file");
    }
}
