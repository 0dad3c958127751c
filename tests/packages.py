#!/usr/bin/env python3
"""The packages in target/dist/ (built by scripts/dist), checked as files and then installed
through real registries on loopback, as a new user would (issue 25).

- The artifacts: one version everywhere (Cargo.toml's, in each ecosystem's spelling), the
  wheel's manylinux tag is what auditwheel finds, `twine check --strict`, the README is the
  long description, the sdist holds every file of the crate, no npm install scripts.
- The npm launcher (catalogue L01-L04) with a fake binary (STACKGEN_BINARY) that records its
  arguments and signals, and with the real binary.
- release.yml: GitHub's workflow schema, `zizmor --offline`, actions pinned by commit.
- verdaccio (npm, no uplinks) and pypiserver (--disable-fallback) on free loopback ports;
  everything in target/dist/ is published to them, then a new user (own HOME and npm config,
  empty caches, no git identity, empty directory) runs `npm create stackgen@latest`, `uvx
  stackgen`, `npx stackgen`, `npm install -g stackgen`, `pip install stackgen`, and the wizard
  through `npm create` in a pseudo-terminal.

Usage: tests/packages.py [TEXT...] (from anywhere; needs scripts/tools' target/tools/ and
target/dist/). With TEXT, only the checks whose names contain one of them run (the registry
checks need the one that starts the registries).
Prints one line per check and `N passed, N failed`; exits 1 on any failure.
"""

import fcntl
import json
import os
import re
import select
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tarfile
import tempfile
import termios
import time
import traceback
import urllib.request
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOOLS = os.path.join(ROOT, "target", "tools")
TOOLS_BIN = os.path.join(TOOLS, "py", "bin")
DIST = os.path.join(ROOT, "target", "dist")
LAUNCHER = os.path.join(ROOT, "npm", "stackgen", "bin", "stackgen.js")
# `new` arguments for a project a revision behind, so that `check` on it exits 4.
STALE_PROJECT = ["new", "app", "--stack", "node", "--yes", "--skip-checks", "--no-git",
                 "--template-revision", "1", "-q"]


def cargo_version():
    with open(os.path.join(ROOT, "Cargo.toml"), encoding="utf-8") as f:
        return re.search(r'^version = "([^"]+)"$', f.read(), re.MULTILINE).group(1)


def pep440(version):
    """Cargo's (SemVer) version in PEP 440's spelling, as maturin writes it: 0.2.0-rc.1 is
    0.2.0rc1, 0.2.0-alpha.2 is 0.2.0a2, 0.2.0-beta.3 is 0.2.0b3."""
    match = re.fullmatch(r"(\d+\.\d+\.\d+)(?:-(alpha|beta|rc|a|b)\.?(\d+))?", version)
    assert match, f"{version} has no PEP 440 spelling"
    release, kind, number = match.groups()
    if not kind:
        return release
    return release + {"alpha": "a", "a": "a", "beta": "b", "b": "b", "rc": "rc"}[kind] + number


VERSION = cargo_version()
HOST = subprocess.run(["rustc", "-vV"], capture_output=True, text=True, check=True).stdout
HOST = re.search(r"^host: (.*)$", HOST, re.MULTILINE).group(1)
BINARY = os.path.join(ROOT, "target", HOST, "release", "stackgen")

CHECKS = []
CLEANUP = []


def check(name):
    """Registers a check; main() runs them in the order of this file."""

    def register(function):
        CHECKS.append((name, function))
        return function

    return register


def run(args, timeout=300, **kwargs):
    kwargs.setdefault("capture_output", True)
    return subprocess.run(args, timeout=timeout, text=True, check=False, **kwargs)


def ok(result):
    assert result.returncode == 0, (
        f"{result.args} exited {result.returncode}\n{result.stdout}\n{result.stderr}"
    )
    return result


def scratch(name):
    path = tempfile.mkdtemp(prefix=f"stackgen-{name}-")
    CLEANUP.append(path)
    return path


def dist_files():
    files = sorted(os.listdir(DIST))
    wheels = [f for f in files if f.endswith(".whl")]
    sdists = [f for f in files if f.endswith(".tar.gz")]
    tarballs = [f for f in files if f.endswith(".tgz")]
    return wheels, sdists, tarballs


def npm_manifest(tarball):
    with tarfile.open(os.path.join(DIST, tarball)) as tar:
        return json.load(tar.extractfile("package/package.json"))


# ---------------------------------------------------------------------------------------------
# The artifacts


@check("pep440 spells pre-releases as maturin does")
def _():
    assert pep440("0.1.0") == "0.1.0"
    assert pep440("0.2.0-rc.1") == "0.2.0rc1"
    assert pep440("1.0.0-alpha.2") == "1.0.0a2"
    assert pep440("1.0.0-beta.3") == "1.0.0b3"


@check("target/dist holds a wheel, an sdist and the three npm packages")
def _():
    wheels, sdists, tarballs = dist_files()
    assert len(wheels) == 1 and len(sdists) == 1, (wheels, sdists)
    names = sorted(npm_manifest(t)["name"] for t in tarballs)
    platform = {
        "x86_64-unknown-linux-gnu": "@stackgen/cli-linux-x64-gnu",
        "aarch64-unknown-linux-gnu": "@stackgen/cli-linux-arm64-gnu",
        "x86_64-unknown-linux-musl": "@stackgen/cli-linux-x64-musl",
        "aarch64-unknown-linux-musl": "@stackgen/cli-linux-arm64-musl",
    }[HOST]
    assert names == sorted([platform, "create-stackgen", "stackgen"]), names


@check("every package has Cargo.toml's version")
def _():
    wheels, sdists, tarballs = dist_files()
    py = pep440(VERSION)
    assert wheels[0].startswith(f"stackgen-{py}-py3-none-"), wheels
    assert sdists == [f"stackgen-{py}.tar.gz"], sdists
    with zipfile.ZipFile(os.path.join(DIST, wheels[0])) as whl:
        metadata = whl.read(f"stackgen-{py}.dist-info/METADATA").decode()
    assert f"\nVersion: {py}\n" in metadata, metadata[:300]
    with tarfile.open(os.path.join(DIST, sdists[0])) as tar:
        pkg_info = tar.extractfile(f"stackgen-{py}/PKG-INFO").read().decode()
    assert f"\nVersion: {py}\n" in pkg_info
    for tarball in tarballs:
        manifest = npm_manifest(tarball)
        assert manifest["version"] == VERSION, (tarball, manifest["version"])
        for field in ("dependencies", "optionalDependencies"):
            for dep, spec in manifest.get(field, {}).items():
                assert spec == VERSION, (tarball, dep, spec)
    crate = os.path.join(ROOT, "target", "package", f"stackgen-{VERSION}.crate")
    if os.path.exists(crate):  # .ci/run packages the crate before this runs
        with tarfile.open(crate) as tar:
            toml = tar.extractfile(f"stackgen-{VERSION}/Cargo.toml").read().decode()
        assert f'\nversion = "{VERSION}"\n' in toml


@check("the wheel's manylinux tag is the one auditwheel finds; it holds the binary, executable")
def _():
    (wheel,), _, _ = dist_files()
    shown = ok(run([os.path.join(TOOLS_BIN, "auditwheel"), "show", os.path.join(DIST, wheel)])).stdout
    found = re.search(r'consistent with the following platform tag:\s*"([^"]+)"', shown).group(1)
    tags = wheel[: -len(".whl")].split("-")[-1].split(".")
    assert found in tags, (found, tags)
    assert found == "manylinux_2_17_x86_64" or not HOST.startswith("x86_64-unknown-linux-gnu"), found
    with zipfile.ZipFile(os.path.join(DIST, wheel)) as whl:
        scripts = [n for n in whl.namelist() if n.endswith(".data/scripts/stackgen")]
        assert len(scripts) == 1, whl.namelist()
        mode = whl.getinfo(scripts[0]).external_attr >> 16
        assert mode & 0o111, oct(mode)


@check("twine check --strict: wheel and sdist; the README is the long description")
def _():
    wheels, sdists, _ = dist_files()
    paths = [os.path.join(DIST, f) for f in wheels + sdists]
    ok(run([os.path.join(TOOLS_BIN, "twine"), "check", "--strict", *paths]))
    with zipfile.ZipFile(paths[0]) as whl:
        metadata = whl.read(f"stackgen-{pep440(VERSION)}.dist-info/METADATA").decode()
    headers, _, body = metadata.partition("\n\n")
    assert "Description-Content-Type: text/markdown" in headers, headers
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as f:
        assert body.strip() == f.read().strip()


@check("the crate (and so the sdist) holds every tracked file of src/, templates/, data/ and rules/")
def _():
    listed = set(ok(run(["cargo", "package", "--list", "--allow-dirty", "--quiet"], cwd=ROOT)).stdout.split())
    tracked = ok(run(["git", "ls-files", "--", "src", "templates", "data", "rules", "build.rs"], cwd=ROOT))
    missing = sorted(set(tracked.stdout.split()) - listed)
    assert not missing, f"Cargo.toml's exclude drops files the binary embeds: {missing}"


@check("the sdist holds every file of the crate, byte for byte, and pyproject.toml")
def _():
    # `.ci/run` proves the crate builds from its `.crate` (cargo package, then cargo install
    # from it); the sdist builds the same files with maturin. (Not `cargo check` of the
    # unpacked sdist here: a path package's build artifacts are keyed by its path relative to
    # its workspace, so sharing target/ would mix the sdist's build script output, which has
    # no git commit, into this checkout's; a target of its own costs a minute of CI.)
    (sdist,) = dist_files()[1]
    prefix = f"stackgen-{pep440(VERSION)}/"
    listed = ok(run(["cargo", "package", "--list", "--allow-dirty", "--quiet"], cwd=ROOT)).stdout.split()
    generated = {".cargo_vcs_info.json", "Cargo.toml.orig"}
    with tarfile.open(os.path.join(DIST, sdist)) as tar:
        names = {m.name[len(prefix) :] for m in tar.getmembers() if m.isfile()}
        missing = sorted(set(listed) - generated - names)
        assert not missing, missing
        for name in sorted(set(listed) - generated):
            with open(os.path.join(ROOT, name), "rb") as f:
                assert tar.extractfile(prefix + name).read() == f.read(), f"{name} differs"
        with open(os.path.join(ROOT, "pyproject.toml"), "rb") as f:
            assert tar.extractfile(prefix + "pyproject.toml").read() == f.read()
    extra = sorted(names - set(listed) - {"PKG-INFO", "pyproject.toml"})
    assert not extra, f"the sdist has files the crate has not: {extra}"


@check("npm packages: no install scripts; platform package chosen by os, cpu and libc")
def _():
    for tarball in dist_files()[2]:
        manifest = npm_manifest(tarball)
        assert "scripts" not in manifest, (tarball, manifest.get("scripts"))
        if manifest["name"].startswith("@stackgen/cli-"):
            assert manifest["os"] == ["linux"] and manifest["cpu"] == [
                "x64" if HOST.startswith("x86_64") else "arm64"
            ]
            assert manifest["libc"] == ["glibc" if HOST.endswith("gnu") else "musl"]
            with tarfile.open(os.path.join(DIST, tarball)) as tar:
                member = tar.getmember("package/bin/stackgen")
                assert member.mode & 0o111, oct(member.mode)
                with open(BINARY, "rb") as built:
                    assert tar.extractfile(member).read() == built.read(), "not the built binary"
        if manifest["name"] == "stackgen":
            with tarfile.open(os.path.join(DIST, tarball)) as tar:
                packed = tar.extractfile("package/launcher.js").read()
            with open(os.path.join(ROOT, "npm", "stackgen", "launcher.js"), "rb") as f:
                assert packed == f.read()
            listed = ok(
                run(
                    [
                        "node",
                        "-p",
                        "require('./npm/stackgen/launcher.js').PLATFORMS.map(p => p.pkg).sort().join(' ')",
                    ],
                    cwd=ROOT,
                )
            ).stdout.split()
            assert sorted(manifest["optionalDependencies"]) == listed, (
                manifest["optionalDependencies"],
                listed,
            )


# ---------------------------------------------------------------------------------------------
# release.yml


RELEASE = os.path.join(ROOT, ".github", "workflows", "release.yml")


@check("release.yml matches GitHub's workflow schema")
def _():
    ok(
        run(
            [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows", RELEASE]
        )
    )


@check("zizmor --offline finds nothing at medium severity or above in release.yml")
def _():
    result = run([os.path.join(TOOLS_BIN, "zizmor"), "--offline", "--min-severity", "medium", RELEASE])
    assert result.returncode == 0, result.stdout + result.stderr


@check("release.yml: actions pinned by 40-hex commit with the version as a comment; no credentials persisted")
def _():
    with open(RELEASE, encoding="utf-8") as f:
        text = f.read()
    uses = re.findall(r"uses: (\S+)(.*)", text)
    assert uses
    for action, comment in uses:
        assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", action), action
        assert re.fullmatch(r"\s+# v\d+(\.\d+)*", comment), (action, comment)
    checkouts = text.count("actions/checkout@")
    assert text.count("persist-credentials: false") == checkouts, (
        "every checkout sets persist-credentials: false"
    )
    assert re.search(r"^permissions: \{\}$", text, re.MULTILINE), "no default permissions"


@check("the release archives are named as Cargo.toml's binstall metadata expects")
def _():
    import tomllib

    with open(os.path.join(ROOT, "Cargo.toml"), "rb") as f:
        meta = tomllib.load(f)["package"]["metadata"]["binstall"]
    with open(RELEASE, encoding="utf-8") as f:
        text = f.read()
    assert 'name="stackgen-$VERSION-$TARGET"' in text
    assert '"dist/$name.tar.gz" "$name"' in text and '"dist/$name.zip" "$name"' in text
    assert "gh release create" in text

    def expand(template, target, ext=""):
        return (
            template.replace("{ repo }", "R")
            .replace("{ version }", VERSION)
            .replace("{ target }", target)
            .replace("{ bin }", "stackgen")
            .replace("{ binary-ext }", ext)
        )

    assert expand(meta["pkg-url"], HOST) == f"R/releases/download/v{VERSION}/stackgen-{VERSION}-{HOST}.tar.gz"
    assert meta["pkg-fmt"] == "tgz"
    assert expand(meta["bin-dir"], HOST) == f"stackgen-{VERSION}-{HOST}/stackgen"
    windows = meta["overrides"]["x86_64-pc-windows-msvc"]
    assert windows["pkg-fmt"] == "zip"
    target = "x86_64-pc-windows-msvc"
    assert (
        expand(windows["pkg-url"], target)
        == f"R/releases/download/v{VERSION}/stackgen-{VERSION}-{target}.zip"
    )


# ---------------------------------------------------------------------------------------------
# The launcher with a fake binary (catalogue L01-L03)

FAKE = f"""#!{sys.executable}
import json, os, signal, sys, time
log = os.environ["FAKE_LOG"]
def note(line):
    with open(log, "a", encoding="utf-8") as f:
        f.write(line + "\\n")
def on_signal(number, frame):
    note(f"signal {{number}}")
    sys.exit(128 + number)
signal.signal(signal.SIGINT, on_signal)
signal.signal(signal.SIGTERM, on_signal)
note("args " + json.dumps(sys.argv[1:]))
mode = os.environ.get("FAKE_MODE", "exit")
if mode == "exit":
    sys.exit(int(os.environ.get("FAKE_CODE", "0")))
if mode == "die":
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    os.kill(os.getpid(), int(os.environ["FAKE_SIGNAL"]))
note("ready")
time.sleep(30)
sys.exit(99)
"""


def fake_binary():
    directory = scratch("fake")
    path = os.path.join(directory, "stackgen")
    with open(path, "w", encoding="utf-8") as f:
        f.write(FAKE)
    os.chmod(path, 0o755)
    return path, os.path.join(directory, "log")


def launcher_env(**extra):
    env = {k: v for k, v in os.environ.items() if k != "STACKGEN_BINARY"}
    env.update(extra)
    return env


def read_log(log):
    with open(log, encoding="utf-8") as f:
        return f.read().splitlines()


L01_ARGS = ["new", "my app", "it's", 'say "hi"', "--", "--stack", "ünï 日本 👩‍💻", "", "$HOME", "*", "a\\b"]


@check("L01 arguments reach the binary exactly (stackgen and create-stackgen launchers)")
def _():
    fake, log = fake_binary()
    env = launcher_env(STACKGEN_BINARY=fake, FAKE_LOG=log)
    ok(run(["node", LAUNCHER, *L01_ARGS], env=env))
    assert read_log(log) == ["args " + json.dumps(L01_ARGS)], read_log(log)
    # create-stackgen prepends `new`; it finds the `stackgen` package as npm lays it out.
    modules = scratch("modules")
    os.makedirs(os.path.join(modules, "node_modules"))
    shutil.copytree(os.path.join(ROOT, "npm", "stackgen"), os.path.join(modules, "node_modules", "stackgen"))
    shutil.copytree(
        os.path.join(ROOT, "npm", "create-stackgen"), os.path.join(modules, "node_modules", "create-stackgen")
    )
    os.remove(log)
    create = os.path.join(modules, "node_modules", "create-stackgen", "bin", "create-stackgen.js")
    ok(run(["node", create, *L01_ARGS[1:]], env=env))
    assert read_log(log) == ["args " + json.dumps(L01_ARGS)], read_log(log)


@check("L02 every exit code comes out unchanged")
def _():
    fake, log = fake_binary()
    for code in (0, 1, 2, 3, 4, 130, 143, 255):
        result = run(
            ["node", LAUNCHER, "x"], env=launcher_env(STACKGEN_BINARY=fake, FAKE_LOG=log, FAKE_CODE=str(code))
        )
        assert result.returncode == code, (code, result.returncode, result.stderr)
        assert result.stderr == "", result.stderr


def start_and_signal(args, env, sig, ready):
    """Starts the launcher in its own session, waits until `ready()`, sends `sig` to the
    launcher's pid only, and returns (exit code, stderr)."""
    process = subprocess.Popen(
        ["node", LAUNCHER, *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 20
        while not ready():
            assert time.monotonic() < deadline, "never ready"
            assert process.poll() is None, process.communicate()
            time.sleep(0.05)
        os.kill(process.pid, sig)
        _, stderr = process.communicate(timeout=20)
        return process.returncode, stderr
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@check("L02 SIGINT and SIGTERM sent to the launcher reach the binary; its code comes out")
def _():
    for sig in (signal.SIGTERM, signal.SIGINT):
        fake, log = fake_binary()
        env = launcher_env(STACKGEN_BINARY=fake, FAKE_LOG=log, FAKE_MODE="wait")
        code, stderr = start_and_signal(
            ["x"], env, sig, lambda log=log: os.path.exists(log) and "ready" in read_log(log)
        )
        assert f"signal {int(sig)}" in read_log(log), read_log(log)
        assert code == 128 + sig, (sig, code, stderr)


@check("L02 a binary killed by a signal gives 128+N")
def _():
    fake, log = fake_binary()
    for sig in (signal.SIGKILL, signal.SIGTERM, signal.SIGSEGV):
        env = launcher_env(STACKGEN_BINARY=fake, FAKE_LOG=log, FAKE_MODE="die", FAKE_SIGNAL=str(int(sig)))
        result = run(["node", LAUNCHER], env=env)
        assert result.returncode == 128 + sig, (sig, result.returncode, result.stderr)


@check("L02 the real binary: SIGTERM to the launcher mid-write rolls back (143); --bogus is 2")
def _():
    work = scratch("sigterm")
    target = os.path.join(work, "app")
    env = launcher_env(STACKGEN_BINARY=BINARY, STACKGEN_TEST_WRITE_DELAY_MS="300")
    args = ["new", target, "--stack", "node", "--yes", "--no-git", "--skip-checks", "-q"]
    # Anything in `work` (the staging directory or the target) means writing has begun.
    code, stderr = start_and_signal(args, env, signal.SIGTERM, lambda: os.listdir(work) != [])
    assert code == 143, (code, stderr)
    assert os.listdir(work) == [], os.listdir(work)
    result = run(["node", LAUNCHER, "--bogus"], env=launcher_env(STACKGEN_BINARY=BINARY))
    assert result.returncode == 2, result


@check("L03 STACKGEN_BINARY missing, a directory, or not executable: exit 1, one line naming it")
def _():
    work = scratch("l03")
    plain = os.path.join(work, "plain")
    with open(plain, "w", encoding="utf-8") as f:
        f.write("#!/bin/sh\n")
    os.chmod(plain, 0o644)
    for path in (os.path.join(work, "missing"), work, plain):
        result = run(["node", LAUNCHER, "--version"], env=launcher_env(STACKGEN_BINARY=path))
        assert result.returncode == 1, (path, result)
        lines = result.stderr.splitlines()
        assert len(lines) == 1 and f"`{path}`" in lines[0], result.stderr
        assert "cargo install" in lines[0] and "pip install" in lines[0], lines
        assert result.stdout == ""


@check("L03 no package for this platform, or not installed: exit 1, one line naming it, no stack trace")
def _():
    work = scratch("l03p")
    preload = os.path.join(work, "riscv.js")
    with open(preload, "w", encoding="utf-8") as f:
        f.write('Object.defineProperty(process, "arch", { value: "riscv64" });\n')
    env = launcher_env()
    result = run(["node", "--require", preload, LAUNCHER, "--version"], env=env)
    lines = result.stderr.splitlines()
    assert result.returncode == 1 and len(lines) == 1, result
    assert f"{sys.platform}-riscv64" in lines[0], lines
    assert "cargo install --locked stackgen" in lines[0] and "pip install stackgen" in lines[0], lines
    # This checkout's launcher has no platform package beside it.
    result = run(["node", LAUNCHER, "--version"], env=env)
    lines = result.stderr.splitlines()
    assert result.returncode == 1 and len(lines) == 1, result
    assert "@stackgen/cli-linux-" in lines[0] and "linux-" in lines[0] and "cargo install" in lines[0], lines
    assert "    at " not in result.stderr


@check("L03 a platform package whose binary cannot run: exit 1, one line naming it")
def _():
    modules = os.path.join(scratch("layout"), "node_modules")
    shutil.copytree(os.path.join(ROOT, "npm", "stackgen"), os.path.join(modules, "stackgen"))
    platform = ok(
        run(
            [
                "node",
                "-p",
                f"require('./npm/stackgen/launcher.js').PLATFORMS.find(p => p.target === '{HOST}').pkg",
            ],
            cwd=ROOT,
        )
    ).stdout.strip()
    binary = os.path.join(modules, platform, "bin", "stackgen")
    os.makedirs(os.path.dirname(binary))
    with open(os.path.join(modules, platform, "package.json"), "w", encoding="utf-8") as f:
        json.dump({"name": platform, "version": VERSION}, f)
    shutil.copy(BINARY, binary)
    launcher = os.path.join(modules, "stackgen", "bin", "stackgen.js")
    os.chmod(binary, 0o755)
    assert ok(run(["node", launcher, "--version"], env=launcher_env())).stdout.startswith(
        f"stackgen {VERSION}"
    )
    os.chmod(binary, 0o644)
    result = run(["node", launcher, "--version"], env=launcher_env())
    lines = result.stderr.splitlines()
    assert result.returncode == 1 and len(lines) == 1, result
    assert f"`{binary}`" in lines[0] and "permission denied" in lines[0] and "pip install" in lines[0], lines


@check("L04 closed stdin, pipes and /dev/full behave as with the binary")
def _():
    env = launcher_env(STACKGEN_BINARY=BINARY)
    env.pop("CI", None)
    cases = [
        (["new"], {"stdin": subprocess.DEVNULL}),  # no TTY, no PATH: usage error, no prompt
        (["--help"], {"stdin": subprocess.DEVNULL}),
        (["new", "--stack", "node"], {"pass_fds": (), "stdin": None, "preexec_fn": lambda: os.close(0)}),
    ]
    for args, kwargs in cases:
        direct = run([BINARY, *args], env=env, **kwargs)
        launched = run(["node", LAUNCHER, *args], env=env, **kwargs)
        assert (launched.returncode, launched.stdout, launched.stderr) == (
            direct.returncode,
            direct.stdout,
            direct.stderr,
        ), (args, direct, launched)
    assert run([BINARY, "new"], env=env, stdin=subprocess.DEVNULL).returncode == 2
    with open("/dev/full", "w", encoding="utf-8") as full:
        direct = run(
            [BINARY, "--version"], env=env, stdout=full, stderr=subprocess.PIPE, capture_output=False
        )
        launched = run(
            ["node", LAUNCHER, "--version"],
            env=env,
            stdout=full,
            stderr=subprocess.PIPE,
            capture_output=False,
        )
    assert direct.returncode == 1 and launched.returncode == 1, (direct, launched)


@check("the real binary through the launcher: `check` on a stale project exits 4")
def _():
    work = scratch("stale")
    env = launcher_env(STACKGEN_BINARY=BINARY)
    ok(
        run(
            ["node", LAUNCHER, *STALE_PROJECT],
            cwd=work,
            env=env,
        )
    )
    result = run(["node", LAUNCHER, "check", "app"], cwd=work, env=env)
    assert result.returncode == 4, result
    direct = run([BINARY, "check", "app"], cwd=work, env=env)
    assert (direct.returncode, direct.stdout, direct.stderr) == (4, result.stdout, result.stderr)


# ---------------------------------------------------------------------------------------------
# Through the registries


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url, process, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, f"{url}: the server exited {process.returncode}"
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer within {seconds}s")


SERVERS = []


def start_server(args, log_path, **kwargs):
    log = open(log_path, "wb")  # noqa: SIM115 - closed with the process
    process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, **kwargs)
    SERVERS.append((process, log))
    return process


def stop_servers():
    for process, log in SERVERS:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        log.close()


REGISTRY = {}


def start_registries():
    work = scratch("registries")
    REGISTRY["work"] = work
    npm_port, pypi_port = free_port(), free_port()
    storage = os.path.join(work, "verdaccio")
    os.makedirs(storage)
    config = os.path.join(storage, "config.yaml")
    with open(config, "w", encoding="utf-8") as f:
        f.write(f"""storage: {storage}/storage
auth:
  htpasswd:
    file: {storage}/htpasswd
    max_users: 10
uplinks: {{}}
packages:
  "@*/*":
    access: $all
    publish: $authenticated
  "**":
    access: $all
    publish: $authenticated
max_body_size: 100mb
log: {{ type: stdout, format: pretty, level: warn }}
""")
    verdaccio = os.path.join(TOOLS, "verdaccio", "node_modules", "verdaccio", "bin", "verdaccio")
    npm_url = f"http://127.0.0.1:{npm_port}/"
    server = start_server(
        ["node", verdaccio, "--config", config, "--listen", f"127.0.0.1:{npm_port}"],
        os.path.join(work, "verdaccio.log"),
    )
    pypi_dir = os.path.join(work, "pypi")
    os.makedirs(pypi_dir)
    pypi = start_server(
        [
            os.path.join(TOOLS_BIN, "pypi-server"),
            "run",
            "--interface",
            "127.0.0.1",
            "--port",
            str(pypi_port),
            "--disable-fallback",
            "--authenticate",
            ".",
            "--passwords",
            ".",
            pypi_dir,
        ],
        os.path.join(work, "pypiserver.log"),
    )
    wait_for(npm_url + "-/ping", server)
    wait_for(f"http://127.0.0.1:{pypi_port}/simple/", pypi)
    REGISTRY.update(npm=npm_url, pypi=f"http://127.0.0.1:{pypi_port}/", pypi_dir=pypi_dir)


def new_user():
    """The environment of someone who has never used npm, uv or git here: own HOME and npm
    config, empty caches, no git identity, and the npm registry's address as their only setting."""
    work = scratch("user")
    home = os.path.join(work, "home")
    os.makedirs(home)
    npmrc = os.path.join(home, ".npmrc")
    with open(npmrc, "w", encoding="utf-8") as f:
        f.write(f"registry={REGISTRY['npm']}\nupdate-notifier=false\n")
    keep = ("PATH", "LANG", "LC_ALL", "TERM", "TMPDIR", "CI")
    env = {k: v for k, v in os.environ.items() if k in keep}
    env.update(
        HOME=home,
        NPM_CONFIG_USERCONFIG=npmrc,
        NPM_CONFIG_CACHE=os.path.join(work, "npm-cache"),
        NPM_CONFIG_PREFIX=os.path.join(work, "npm-global"),
        UV_CACHE_DIR=os.path.join(work, "uv-cache"),
        UV_TOOL_DIR=os.path.join(work, "uv-tools"),
        UV_PYTHON_DOWNLOADS="never",
        UV_NO_CONFIG="1",
        PIP_CONFIG_FILE=os.devnull,
        GIT_CONFIG_NOSYSTEM="1",
        XDG_CONFIG_HOME=os.path.join(home, ".config"),
    )
    empty = os.path.join(work, "empty")
    os.makedirs(empty)
    return env, empty, work


@check("verdaccio and pypiserver start on loopback; every package publishes")
def _():
    start_registries()
    publisher = scratch("publisher")
    npmrc = os.path.join(publisher, ".npmrc")
    request = urllib.request.Request(
        REGISTRY["npm"] + "-/user/org.couchdb.user:publisher",
        method="PUT",
        data=json.dumps({"name": "publisher", "password": "loopback-only", "type": "user"}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        token = json.load(response)["token"]
    host = REGISTRY["npm"][len("http:") :]
    with open(npmrc, "w", encoding="utf-8") as f:
        f.write(f"registry={REGISTRY['npm']}\n{host}:_authToken={token}\n")
    env = dict(os.environ, NPM_CONFIG_USERCONFIG=npmrc, NPM_CONFIG_CACHE=os.path.join(publisher, "cache"))
    _, _, tarballs = dist_files()
    # Platform packages first, as the release workflow does.
    for tarball in sorted(tarballs, key=lambda t: not t.startswith("stackgen-cli-")):
        ok(run(["npm", "publish", os.path.join(DIST, tarball), "--access", "public"], env=env, cwd=publisher))
    wheels, sdists, _ = dist_files()
    ok(
        run(
            [
                os.path.join(TOOLS_BIN, "twine"),
                "upload",
                "--non-interactive",
                "--disable-progress-bar",
                "--repository-url",
                REGISTRY["pypi"],
                "-u",
                "loopback",
                "-p",
                "loopback",
                *[os.path.join(DIST, f) for f in wheels + sdists],
            ],
            env=dict(os.environ, TWINE_CONFIG_FILE=os.devnull),
        )
    )
    assert sorted(os.listdir(REGISTRY["pypi_dir"])) == sorted(wheels + sdists)
    with urllib.request.urlopen(REGISTRY["npm"] + "create-stackgen", timeout=10) as response:
        assert json.load(response)["dist-tags"]["latest"] == VERSION


@check("new user: npm create stackgen@latest app -- --stack node --yes; the project's tests pass")
def _():
    env, empty, _ = new_user()
    result = ok(
        run(["npm", "create", "stackgen@latest", "app", "--", "--stack", "node", "--yes"], cwd=empty, env=env)
    )
    assert os.listdir(empty) == ["app"], os.listdir(empty)
    project = os.path.join(empty, "app")
    # No git identity: `new` documents a repository without a commit and says why.
    assert os.path.isdir(os.path.join(project, ".git"))
    assert "user.name" in result.stderr or "user.email" in result.stderr, result.stderr
    ok(run(["node", "--test"], cwd=project, env=env))


@check("new user: uvx --index-url … stackgen new app2 --stack flask --yes; the project's tests pass")
def _():
    env, empty, _ = new_user()
    ok(
        run(
            [
                os.path.join(TOOLS_BIN, "uvx"),
                "--index-url",
                REGISTRY["pypi"] + "simple/",
                "stackgen",
                "new",
                "app2",
                "--stack",
                "flask",
                "--yes",
                "--no-git",
            ],
            cwd=empty,
            env=env,
        )
    )
    assert os.listdir(empty) == ["app2"], os.listdir(empty)
    # The project is a package under src/ (template revision 3); the loopback index holds only
    # stackgen, so its tests run with the machine's Flask and pytest on the package's path.
    ok(
        run(
            ["python3", "-m", "pytest", "-q", "-p", "no:cacheprovider"],
            cwd=os.path.join(empty, "app2"),
            env={**env, "PYTHONPATH": "src"},
        )
    )


@check("new user: npx stackgen --bogus exits 2; npx stackgen doctor runs")
def _():
    env, empty, _ = new_user()
    result = run(["npx", "stackgen", "--bogus"], cwd=empty, env=env)
    assert result.returncode == 2, result
    assert "--bogus" in result.stderr, result.stderr
    result = run(["npx", "stackgen", "doctor"], cwd=empty, env=env)
    assert result.returncode == 0 and "node" in result.stdout, result
    assert os.listdir(empty) == []


@check("new user: npm install -g --ignore-scripts stackgen puts the launcher on PATH; exit 4 comes out")
def _():
    env, empty, work = new_user()
    ok(run(["npm", "install", "-g", "--ignore-scripts", "stackgen"], cwd=empty, env=env))
    env["PATH"] = os.path.join(work, "npm-global", "bin") + os.pathsep + env["PATH"]
    version = ok(run(["stackgen", "--version"], cwd=empty, env=env)).stdout
    assert re.fullmatch(rf"stackgen {re.escape(VERSION)}( \(\w+\))?\n", version), version
    ok(
        run(
            ["stackgen", *STALE_PROJECT],
            cwd=empty,
            env=env,
        )
    )
    result = run(["stackgen", "check", "app"], cwd=empty, env=env)
    assert result.returncode == 4, result


@check("new user: pip install stackgen into a fresh venv puts stackgen on PATH")
def _():
    env, empty, work = new_user()
    venv = os.path.join(work, "venv")
    ok(run([sys.executable, "-m", "venv", venv], env=env))
    ok(
        run(
            [
                os.path.join(venv, "bin", "pip"),
                "install",
                "--no-cache-dir",
                "--disable-pip-version-check",
                "--index-url",
                REGISTRY["pypi"] + "simple/",
                "stackgen",
            ],
            cwd=empty,
            env=env,
        )
    )
    assert os.access(os.path.join(venv, "bin", "stackgen"), os.X_OK)
    env["PATH"] = os.path.join(venv, "bin") + os.pathsep + env["PATH"]
    version = ok(run(["stackgen", "--version"], cwd=empty, env=env)).stdout
    assert re.fullmatch(rf"stackgen {re.escape(VERSION)}( \(\w+\))?\n", version), version
    assert shutil.which("stackgen", path=env["PATH"]) == os.path.join(venv, "bin", "stackgen")


@check("new user: pipx run --index-url … stackgen --version")
def _():
    env, empty, work = new_user()
    env.update(PIPX_HOME=os.path.join(work, "pipx"), PIPX_BIN_DIR=os.path.join(work, "pipx-bin"))
    result = ok(
        run(
            [
                os.path.join(TOOLS_BIN, "pipx"),
                "run",
                "--index-url",
                REGISTRY["pypi"] + "simple/",
                "stackgen",
                "--version",
            ],
            cwd=empty,
            env=env,
        )
    )
    assert re.fullmatch(rf"stackgen {re.escape(VERSION)}( \(\w+\))?\n", result.stdout), result
    assert os.listdir(empty) == []


class Pty:
    """A child on a new pseudo-terminal (80x24) as its controlling terminal."""

    def __init__(self, args, cwd, env):
        self.master, slave = os.openpty()
        fcntl.ioctl(self.master, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))

        def controlling_terminal():
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)

        self.process = subprocess.Popen(
            args,
            cwd=cwd,
            env=env,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            start_new_session=True,
            preexec_fn=controlling_terminal,  # noqa: PLW1509 - no threads here
        )
        os.close(slave)
        self.output = b""

    def expect(self, text, seconds=60):
        deadline = time.monotonic() + seconds
        while text.encode() not in self.output:
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"no {text!r} within {seconds}s in:\n{self.text()}"
            ready, _, _ = select.select([self.master], [], [], remaining)
            if ready:
                try:
                    chunk = os.read(self.master, 65536)
                except OSError:
                    chunk = b""
                assert chunk, f"the terminal closed before {text!r}:\n{self.text()}"
                self.output += chunk

    def send(self, text):
        os.write(self.master, text.encode())

    def finish(self, seconds=30):
        deadline = time.monotonic() + seconds
        while self.process.poll() is None and time.monotonic() < deadline:
            ready, _, _ = select.select([self.master], [], [], 0.1)
            if ready:
                try:
                    self.output += os.read(self.master, 65536)
                except OSError:
                    pass
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
            raise AssertionError(f"still running after {seconds}s:\n{self.text()}")
        os.close(self.master)
        return self.process.returncode

    def text(self):
        return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", self.output.decode(errors="replace"))


@check(
    "new user at a terminal: npm create stackgen@latest asks to proceed, shows the wizard, Ctrl-C exits 130"
)
def _():
    env, empty, _ = new_user()
    env.pop("CI", None)
    env["TERM"] = "xterm-256color"
    pty = Pty(["npm", "create", "stackgen@latest"], cwd=empty, env=env)
    try:
        pty.expect("Ok to proceed?")
        pty.send("y\r")
        pty.expect("Project directory")
        pty.send("\x03")
        code = pty.finish()
    finally:
        if pty.process.poll() is None:
            os.killpg(pty.process.pid, signal.SIGKILL)
            pty.process.wait()
    assert code == 130, (code, pty.text())
    assert "cancelled, nothing written" in pty.text(), pty.text()
    assert os.listdir(empty) == [], os.listdir(empty)


def main(patterns):
    passed = failed = 0
    try:
        for name, function in CHECKS:
            if patterns and not any(p in name for p in patterns):
                continue
            started = time.monotonic()
            try:
                function()
            except Exception:  # noqa: BLE001 - every failure is reported, then counted
                failed += 1
                print(f"FAIL {name}\n{traceback.format_exc()}", flush=True)
            else:
                passed += 1
                print(f"ok   {name} ({time.monotonic() - started:.1f}s)", flush=True)
    finally:
        stop_servers()
        for path in CLEANUP:
            shutil.rmtree(path, ignore_errors=True)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
