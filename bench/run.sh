#!/usr/bin/env bash
# Benchmarks stackgen against a floor and against running the toolchains by hand, then writes
# the table to BENCHMARKS.md. Usage: bench/run.sh [--no-write | --launcher | --fleet]
# --launcher times only the npm launcher against the binary and `node -e 0`, prints its rows
# and writes nothing; --fleet likewise times `check --all` over 100 projects against 100
# `check` runs one after another.
# KEEP_WORK=1 keeps the work directory (the hyperfine JSON of every round) for inspection.
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
trap '[ -n "${KEEP_WORK:-}" ] || rm -rf "$work"' EXIT
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

# hyperfine splits each command into words as a shell would, so every path is quoted for it.
q() { printf '%q' "$1"; }
sg=$(q "$stackgen")
new_args="--name demo --stack node --yes --skip-checks -q"
# The commands' names, which the table below reads back from hyperfine's JSON.
names=(floor "new (no git, no checks)" "new (git init + commit)" "new (git + toolchain checks)")
# The commands, writing to `$1`.
set_commands() {
    local out
    out=$(q "$1")
    commands=(
        -n "${names[0]}" "$(q "$work/floor") $out"
        -n "${names[1]}" "$sg new $out $new_args --no-git"
        -n "${names[2]}" "$sg new $out $new_args"
        -n "${names[3]}" "$sg new $out --name demo --stack node --yes -q"
    )
}
# The VM's speed drifts within seconds, and hyperfine runs all runs of one command before the
# next, so batches of runs of different commands are timed at different speeds (see Notes).
# Instead every hyperfine call times one run of each command, back to back, in an order that
# rotates from call to call, and a ratio is taken within a call: the commands of one call run
# within a few milliseconds of each other. Each run deletes the previous output first (outside
# the timing). Every block of calls starts from a quiet filesystem: everything written back, and
# a wait longer than the window in which ext4 without a journal avoids reusing freed inodes.
blocks=8
calls=25
time_interleaved() { # NAME DIRECTORY
    local block call shift out="$2/out"
    set_commands "$out"
    local count=$((${#commands[@]} / 3))
    for block in $(seq "$blocks"); do
        rm -rf "$out"
        sync
        sleep 11
        # Warm-up call, not kept: the first run after the wait pays for cold caches.
        hyperfine --style none --shell=none --runs 1 --prepare "rm -rf $(q "$out")" \
            "${commands[@]}"
        for call in $(seq "$calls"); do
            # Each command is three words: -n, its name, the command line.
            shift=$(((block * calls + call) % count * 3))
            hyperfine --style none --shell=none --runs 1 --export-json "$work/$1-$block-$call.json" \
                --prepare "rm -rf $(q "$out")" "${commands[@]:shift}" "${commands[@]:0:shift}"
        done
    done
    rm -rf "$out"
}
# The npm launcher (issue 25): `stackgen --version` through the `stackgen` package's launcher,
# laid out as npm installs it (the platform package beside it in node_modules), against the
# binary alone and a bare `node -e 0`, one run of each per hyperfine call as above. Budget: the
# launcher costs at most one Node.js start on top of the binary.
launcher_calls=60
time_launcher() {
    local modules="$work/npm/node_modules" platform call shift
    rm -rf "$work/npm"
    mkdir -p "$modules"
    cp -r npm/stackgen "$modules/stackgen"
    platform=$(node -p "require('./npm/stackgen/launcher.js').PLATFORMS.find(p => p.target === '$(rustc -vV | sed -n 's/^host: //p')').pkg")
    mkdir -p "$modules/$platform/bin"
    echo "{\"name\": \"$platform\", \"version\": \"0.0.0\"}" > "$modules/$platform/package.json"
    cp "$stackgen" "$modules/$platform/bin/stackgen"
    local launcher
    launcher=$(q "$modules/stackgen/bin/stackgen.js")
    local commands=(
        -n "node -e 0" "node -e 0"
        -n "binary --version" "$sg --version"
        -n "launcher --version" "node $launcher --version"
    )
    [ "$(node "$modules/stackgen/bin/stackgen.js" --version)" = "$("$stackgen" --version)" ]
    hyperfine --style none --shell=none --warmup 5 --runs 1 "${commands[@]}"
    for call in $(seq "$launcher_calls"); do
        shift=$((call % 3 * 3))
        hyperfine --style none --shell=none --runs 1 --export-json "$work/launcher-$call.json" \
            "${commands[@]:shift}" "${commands[@]:0:shift}"
    done
}
launcher_rows() {
    python3 - "$work" "$launcher_calls" <<'PY'
import json, statistics, sys
work, calls = sys.argv[1], int(sys.argv[2])
per_call = []
for call in range(1, calls + 1):
    results = json.load(open(f"{work}/launcher-{call}.json"))["results"]
    per_call.append({r["command"]: r["times"][0] * 1000 for r in results})
median = lambda key: statistics.median(c[key] for c in per_call)  # noqa: E731
node, binary, launcher = median("node -e 0"), median("binary --version"), median("launcher --version")
# The launcher's cost over the binary, in Node.js starts, within each call.
low, ratio, high = statistics.quantiles(
    [(c["launcher --version"] - c["binary --version"]) / c["node -e 0"] for c in per_call], n=4)
print(f"| `node -e 0` | {node:.2f} ms |  |  |")
print(f"| `stackgen --version`, the binary | {binary:.2f} ms |  |  |")
print(f"| `stackgen --version` through the npm launcher | {launcher:.2f} ms | "
      f"binary + {ratio:.2f}× `node -e 0` ({low:.2f}–{high:.2f}) | ≤ binary + 1.2× `node -e 0` |")
PY
}
# Many projects (issue "Keep a fleet current"): `check --all` over 100 generated projects (Node.js
# and Flask, half of them a revision behind) against 100 `check` runs one after another, one run
# of each per hyperfine call, the ratio within a call. Budget: at most 0.5x.
fleet_calls=30
time_fleet() {
    local fleet="$work/fleet" index stack revision
    mkdir "$fleet"
    for index in $(seq -w 1 100); do
        stack=$([ $((10#$index % 2)) = 0 ] && echo node || echo flask)
        revision=$([ $((10#$index % 4)) -lt 2 ] && echo 1 || echo 2)
        "$stackgen" new "$fleet/p$index" --stack "$stack" --yes --no-git --skip-checks -q \
            --template-revision "$revision"
    done
    printf 'for project in %s/p*; do %s check "$project" -q || true; done\n' \
        "$(q "$fleet")" "$sg" >"$work/sequential.sh"
    local commands=(
        -n "check --all (100 projects)" "$sg check --all $(q "$fleet") -q"
        -n "100 x check" "bash $(q "$work/sequential.sh")"
    )
    hyperfine --style none --shell=none --warmup 2 --runs 1 -i "${commands[@]}"
    for call in $(seq "$fleet_calls"); do
        hyperfine --style none --shell=none --runs 1 -i --export-json "$work/fleet-$call.json" \
            "${commands[@]}"
    done
}
fleet_rows() {
    python3 - "$work" "$fleet_calls" <<'PY'
import json, statistics, sys
work, calls = sys.argv[1], int(sys.argv[2])
per_call = []
for call in range(1, calls + 1):
    results = json.load(open(f"{work}/fleet-{call}.json"))["results"]
    per_call.append({result["command"]: result["times"][0] * 1000 for result in results})
median = lambda name: statistics.median(call[name] for call in per_call)
ratios = [call["check --all (100 projects)"] / call["100 x check"] for call in per_call]
q = statistics.quantiles(ratios, n=4)
print(f"| `check --all` over 100 projects | {median('check --all (100 projects)'):.2f} ms | "
      f"{statistics.median(ratios):.2f}x 100 sequential `check` ({q[0]:.2f}-{q[2]:.2f}) | <= 0.5x |")
print(f"| 100 `check` runs, one after another | {median('100 x check'):.2f} ms |  |  |")
PY
}
if [ "${1:-}" = "--fleet" ]; then
    time_fleet >&2
    echo "| measure | median | ratio (interquartile range) | budget |"
    echo "|---|---|---|---|"
    fleet_rows
    exit 0
fi

if [ "${1:-}" = "--launcher" ]; then
    time_launcher >&2
    echo "| measure | median | ratio (interquartile range) | budget |"
    echo "|---|---|---|---|"
    launcher_rows
    exit 0
fi

time_interleaved disk "$work"
# The same on tmpfs, where no disk filesystem's allocator takes part.
memory=$(mktemp -d -p /dev/shm 2> /dev/null || true)
if [ -n "$memory" ]; then
    trap '[ -n "${KEEP_WORK:-}" ] || rm -rf "$work" "$memory"' EXIT
    time_interleaved memory "$memory"
fi

serial='node --version; npm --version; python3 --version; python3 -m pip --version; git --version'
hyperfine --warmup 3 --min-runs 20 --export-json "$work/doctor.json" \
    -n "doctor (all stacks)" "$sg doctor --json > /dev/null || true" \
    -n "toolchain --version, one after another" "$serial > /dev/null" >&2

# update and check read a project and re-render two revisions; the yardstick is the `new`
# that wrote it. An unchanged project: update touches nothing, as it must.
"$stackgen" new "$work/current" --name demo --stack node --yes --no-git --skip-checks -q
fresh=$(q "$work/fresh")
current=$(q "$work/current")
hyperfine --warmup 5 --min-runs 50 --export-json "$work/update.json" \
    --prepare "rm -rf $fresh" -n "new" "$sg new $fresh $new_args --no-git" \
    --prepare "true" -n "update" "$sg update $current -q" \
    --prepare "true" -n "check" "$sg check $current -q" >&2

peak_kib() {
    /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -n 1
}
peak_new=$(peak_kib "$stackgen" new "$work/peak" --name demo --stack node --yes --skip-checks -q)
# GNU time reports the largest process of the tree: for doctor that is a probed tool. With no
# tools on PATH, doctor starts no process and the figure is its own.
peak_doctor=$(peak_kib "$stackgen" doctor || true)
mkdir "$work/no-tools"
peak_doctor_alone=$(peak_kib env PATH="$work/no-tools" "$stackgen" doctor || true)
size=$(stat -c %s "$stackgen")

python3 - "$work" "$blocks" "$calls" "$peak_new" "$peak_doctor" "$peak_doctor_alone" "$size" "${names[@]}" \
    > "$work/table.md" <<'PY'
import json, os, statistics, sys
work, blocks, calls = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
peak_new, peak_doctor, peak_doctor_alone, size = (int(value) for value in sys.argv[4:8])
# The commands' names in bench order, as `set_commands` gives them to hyperfine.
names = sys.argv[8:]


def samples(kind):
    """Per hyperfine call, each command's time in ms, in `names` order whatever order the
    call ran them in; None when the set was not run."""
    if not os.path.exists(f"{work}/{kind}-1-1.json"):
        return None
    per_call = []
    for block in range(1, blocks + 1):
        for call in range(1, calls + 1):
            results = json.load(open(f"{work}/{kind}-{block}-{call}.json"))["results"]
            by_name = {result["command"]: result["times"][0] * 1000 for result in results}
            per_call.append([by_name[name] for name in names])
    return per_call

def quartiles(values):
    low, median, high = statistics.quantiles(values, n=4)
    return low, median, high

def rows_for(per_call, place, budgets):
    """One row per command: the median of its times, and the median and interquartile range
    of its ratios to the floor timed in the same call."""
    labels = [
        f"floor (same files, compiled in), {place}",
        "`new --stack node --no-git --skip-checks`",
        "`new --stack node --skip-checks` (git init + commit)",
        "`new --stack node` (git + toolchain checks, the default)",
    ]
    rows = []
    for index, label in enumerate(labels):
        times = [call[index] for call in per_call]
        low, ratio, high = quartiles([call[index] / call[0] for call in per_call])
        shown = "" if index == 0 else f"{ratio:.2f}× floor ({low:.2f}–{high:.2f})"
        rows.append((label, f"{statistics.median(times):.2f} ms", shown, budgets[index]))
    return rows

doctor_ms, serial_ms = (
    result["median"] * 1000 for result in json.load(open(f"{work}/doctor.json"))["results"]
)
rows = rows_for(samples("disk"), "on this VM's disk (ext4)", ["", "< 2× floor", "< 4× floor", ""])
memory = samples("memory")
if memory:
    rows += rows_for(memory, "on tmpfs", ["", "", "", ""])
new_ms, update_ms, check_ms = (
    result["median"] * 1000 for result in json.load(open(f"{work}/update.json"))["results"]
)
rows += [
    ("`update` of an unchanged project", f"{update_ms:.2f} ms", f"{update_ms / new_ms:.2f}× `new --no-git --skip-checks`", "< 2× new"),
    ("`check` of an unchanged project", f"{check_ms:.2f} ms", f"{check_ms / new_ms:.2f}× `new --no-git --skip-checks`", "< 1.5× new"),
]
rows += [
    ("`doctor` (all stacks)", f"{doctor_ms:.2f} ms", f"{doctor_ms / serial_ms:.2f}× serial", "< 0.3× serial"),
    ("node/npm/python3/pip/git `--version`, serially", f"{serial_ms:.2f} ms", "", ""),
    ("peak RSS, `new` with git", f"{peak_new / 1024:.1f} MiB", "", "< 15 MiB"),
    ("peak RSS, `doctor` itself (no tools on PATH, so no child process)", f"{peak_doctor_alone / 1024:.1f} MiB", "", "< 15 MiB"),
    ("peak RSS, `doctor` (largest process: a probed tool)", f"{peak_doctor / 1024:.1f} MiB", "", ""),
    ("release binary", f"{size / 1048576:.2f} MiB", "", "< 8 MiB"),
]
print("| measure | median | ratio (interquartile range) | budget |")
print("|---|---|---|---|")
for row in rows:
    print("| " + " | ".join(row) + " |")
PY

time_launcher >&2
launcher_rows >> "$work/table.md"

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
        echo "Times include process start. The floor and each \`new\` row come from $((blocks * calls))"
        echo "hyperfine calls in $blocks blocks, each call timing one run of every command back to back (in"
        echo "rotating order, each run after deleting the previous output): a time is the median over"
        echo "calls, a ratio the median of the ratios within a call, with their interquartile range."
        echo "\`doctor\` is the median of at least 20 runs."
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
