#!/usr/bin/env bash
# Benchmarks stackgen against a floor and against running the toolchains by hand, then writes
# the table to BENCHMARKS.md. Usage: bench/run.sh [--no-write]
# Needs: cargo, rustc, hyperfine and GNU time (Debian packages `hyperfine` and `time`, installed
# here when missing and running as root), node, npm, python3 with pip, git.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

missing=()
command -v hyperfine >/dev/null || missing+=(hyperfine)
[ -x /usr/bin/time ] || missing+=(time)
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        # A fresh machine may have no package lists yet.
        apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 ||
            { apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null; }
    else
        echo "required: apt-get install ${missing[*]}" >&2
        exit 1
    fi
fi

cargo build --release --locked --quiet
stackgen="$repo/target/release/stackgen"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A known identity for the commit, through git's environment rather than a new HOME: rustup and
# version-manager shims such as pyenv's find themselves through HOME.
export GIT_AUTHOR_NAME=Bench GIT_AUTHOR_EMAIL=bench@example.com
export GIT_COMMITTER_NAME=Bench GIT_COMMITTER_EMAIL=bench@example.com
unset CI NO_COLOR

# The floor writes byte-for-byte what stackgen writes, so build it from a generated tree.
"$stackgen" new "$work/reference" --name demo --stack node --yes --no-git --skip-checks -q
REFERENCE_DIR="$work/reference" rustc -O --edition 2021 -o "$work/floor" bench/floor.rs
"$work/floor" "$work/floor-check"
diff -r "$work/reference" "$work/floor-check"

out="$work/out"
aside="$work/aside"
mkdir "$aside"
# hyperfine splits each command into words as a shell would, so every path is quoted for it.
q() { printf '%q' "$1"; }
sg=$(q "$stackgen")
new_args="--name demo --stack node --yes --skip-checks -q"
commands=(
    -n floor "$(q "$work/floor") $(q "$out")"
    -n "new (no git, no checks)" "$sg new $(q "$out") $new_args --no-git"
    -n "new (git init + commit)" "$sg new $(q "$out") $new_args"
)
# Each run needs the target gone. Deleting it right before the next run would time the
# filesystem's state more than the program: ext4 without a journal (this VM's root) skips every
# inode freed in the last 5-10 s when it allocates one, so after thousands of deletions each
# new file or directory costs a scan, and the more inodes a command makes the more it pays per
# inode. The main runs therefore move the previous output aside, as a fresh checkout would
# have it, and the work directory goes at the end; a second set deletes before each run, to
# show the effect.
cat > "$work/set-aside" <<'SH'
#!/bin/sh
# Usage: set-aside OUT ASIDE. Moves OUT, if it exists, into a new directory under ASIDE.
set -eu
if [ -e "$1" ]; then
    kept=$(mktemp -d "$2/run.XXXXXXXX")
    mv "$1" "$kept/"
fi
SH
chmod +x "$work/set-aside"
# Start with nothing waiting to be written back (such as the build's output).
sync
hyperfine --shell=none --warmup 5 --min-runs 50 --export-json "$work/new.json" \
    --prepare "$(q "$work/set-aside") $(q "$out") $(q "$aside")" "${commands[@]}" \
    -n "new (git + toolchain checks)" "$sg new $(q "$out") --name demo --stack node --yes -q" >&2
rm -rf "$out"
hyperfine --shell=none --warmup 5 --min-runs 50 --export-json "$work/deleted.json" \
    --prepare "rm -rf $(q "$out")" "${commands[@]}" >&2

serial='node --version; npm --version; python3 --version; python3 -m pip --version; git --version'
hyperfine --warmup 3 --min-runs 20 --export-json "$work/doctor.json" \
    -n "doctor (all stacks)" "$sg doctor --json > /dev/null || true" \
    -n "toolchain --version, one after another" "$serial > /dev/null" >&2

peak_kib() {
    /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -n 1
}
rm -rf "$out"
peak_new=$(peak_kib "$stackgen" new "$out" --name demo --stack node --yes --skip-checks -q)
# GNU time reports the largest process of the tree: for doctor that is a probed tool. With no
# tools on PATH, doctor starts no process and the figure is its own.
peak_doctor=$(peak_kib "$stackgen" doctor || true)
mkdir "$work/no-tools"
peak_doctor_alone=$(peak_kib env PATH="$work/no-tools" "$stackgen" doctor || true)
size=$(stat -c %s "$stackgen")

python3 - "$work/new.json" "$work/deleted.json" "$work/doctor.json" \
    "$peak_new" "$peak_doctor" "$peak_doctor_alone" "$size" > "$work/table.md" <<'PY'
import json, sys
new, deleted, doctor = (json.load(open(path))["results"] for path in sys.argv[1:4])
peak_new, peak_doctor, peak_doctor_alone, size = (int(value) for value in sys.argv[4:8])
ms = lambda result: result["mean"] * 1000
floor, plain, with_git, with_checks = (ms(result) for result in new)
deleted_floor, deleted_plain, deleted_git = (ms(result) for result in deleted)
doctor_ms, serial_ms = (ms(result) for result in doctor)
rows = [
    ("floor (same files, compiled in)", f"{floor:.2f} ms", "", ""),
    ("`new --stack node --no-git --skip-checks`", f"{plain:.2f} ms", f"{plain / floor:.2f}× floor", "< 2× floor"),
    ("`new --stack node --skip-checks` (git init + commit)", f"{with_git:.2f} ms", f"{with_git / floor:.2f}× floor", "< 4× floor"),
    ("`new --stack node` (git + toolchain checks, the default)", f"{with_checks:.2f} ms", f"{with_checks / floor:.2f}× floor", ""),
    ("floor, previous output deleted just before each run", f"{deleted_floor:.2f} ms", "", ""),
    ("`new --no-git --skip-checks`, the same way", f"{deleted_plain:.2f} ms", f"{deleted_plain / deleted_floor:.2f}× floor", ""),
    ("`new --skip-checks` (git), the same way", f"{deleted_git:.2f} ms", f"{deleted_git / deleted_floor:.2f}× floor", ""),
    ("`doctor` (all stacks)", f"{doctor_ms:.2f} ms", f"{doctor_ms / serial_ms:.2f}× serial", "< 0.3× serial"),
    ("node/npm/python3/pip/git `--version`, serially", f"{serial_ms:.2f} ms", "", ""),
    ("peak RSS, `new` with git", f"{peak_new / 1024:.1f} MiB", "", "< 15 MiB"),
    ("peak RSS, `doctor` itself (no tools on PATH, so no child process)", f"{peak_doctor_alone / 1024:.1f} MiB", "", "< 15 MiB"),
    ("peak RSS, `doctor` (largest process: a probed tool)", f"{peak_doctor / 1024:.1f} MiB", "", ""),
    ("release binary", f"{size / 1048576:.2f} MiB", "", "< 8 MiB"),
]
print("| measure | mean | ratio | budget |")
print("|---|---|---|---|")
for row in rows:
    print("| " + " | ".join(row) + " |")
PY

cat "$work/table.md"
if [ "${1:-}" != "--no-write" ]; then
    # The hand-written notes below the table survive a rerun.
    notes=$(sed -n '/^## Notes/,$p' BENCHMARKS.md 2>/dev/null || true)
    {
        echo "# Benchmarks"
        echo
        echo "Produced by \`bench/run.sh\` on $(date -u +%Y-%m-%d): $(nproc) cores,"
        echo "$(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo),"
        echo "$(. /etc/os-release && echo "$PRETTY_NAME"), $(rustc --version), node $(node --version), $(python3 --version)."
        echo "Times are hyperfine means over at least 50 runs (20 for doctor), process start included."
        echo "Each run of \`new\` and of the floor writes to a new path: the previous output is moved"
        echo "aside, and deleted after all runs, except in the rows that say otherwise (see Notes)."
        echo
        cat "$work/table.md"
        echo
        echo "For reference, measured on this kind of machine for the same five-file Node.js project:"
        echo "cargo-generate 15 ms, create-vite 91 ms, cookiecutter 261 ms, copier 484 ms."
        if [ -n "$notes" ]; then
            echo
            echo "$notes"
        fi
    } > BENCHMARKS.md
    echo "wrote BENCHMARKS.md" >&2
fi
