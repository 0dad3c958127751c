#!/usr/bin/env bash
# Makes the golden hashes of template revision 1: builds stackgen 0.1.0 (commit c3037aa) once,
# generates each case with it and records `sha256sum` of every file but `.stackgen.toml` (the
# record, which later versions extend). `src/scaffold/golden.rs` holds revision 1 to these.
# Usage: tests/golden/make.sh   (from the repository root; takes a few minutes)
set -euo pipefail
root=$(pwd)
work=$(mktemp -d)
trap 'git worktree remove --force "$work/src" 2>/dev/null || true; rm -rf "$work"' EXIT
git worktree add -q "$work/src" c3037aa
CARGO_TARGET_DIR="$root/target/golden" cargo build --locked -q --manifest-path "$work/src/Cargo.toml"
old="$root/target/golden/debug/stackgen"
common=(--yes --no-git --skip-checks --description 'A demo service'
    --author 'Jane Doe <jane@example.com>' --year 2026)
for stack in node flask; do
    for case in plain extras apache; do
        case $case in
            plain) extra=() ;;
            extras) extra=(--license MIT --ci github --docker) ;;
            apache) extra=(--license Apache-2.0) ;;
        esac
        rm -rf "$work/demo"
        (cd "$work" && "$old" new demo --stack "$stack" "${common[@]}" "${extra[@]}" >/dev/null 2>&1)
        (cd "$work/demo" && find . -type f ! -name .stackgen.toml | sed 's|^\./||' | LC_ALL=C sort |
            xargs sha256sum) > "tests/golden/$stack-1-$case.sha256"
    done
done
