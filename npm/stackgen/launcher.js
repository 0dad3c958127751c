"use strict";
// Runs the stackgen binary from the platform package npm installed beside this one (one
// package per platform under `optionalDependencies`, chosen by their `os`, `cpu` and `libc`
// fields; no install script), or from `STACKGEN_BINARY`. Arguments and stdio go to the binary
// untouched; SIGINT, SIGTERM and SIGHUP are passed on; the exit code is the binary's, or
// 128 + the signal's number when a signal killed it.

const { spawn } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

// Every platform with a package: `scripts/npm-pack` builds them from this table, and the
// `stackgen` package's `optionalDependencies` name each one.
const PLATFORMS = [
  { pkg: "@stackgen/cli-linux-x64-gnu", os: "linux", cpu: "x64", libc: "glibc", target: "x86_64-unknown-linux-gnu" },
  { pkg: "@stackgen/cli-linux-x64-musl", os: "linux", cpu: "x64", libc: "musl", target: "x86_64-unknown-linux-musl" },
  { pkg: "@stackgen/cli-linux-arm64-gnu", os: "linux", cpu: "arm64", libc: "glibc", target: "aarch64-unknown-linux-gnu" },
  { pkg: "@stackgen/cli-linux-arm64-musl", os: "linux", cpu: "arm64", libc: "musl", target: "aarch64-unknown-linux-musl" },
  { pkg: "@stackgen/cli-darwin-x64", os: "darwin", cpu: "x64", target: "x86_64-apple-darwin" },
  { pkg: "@stackgen/cli-darwin-arm64", os: "darwin", cpu: "arm64", target: "aarch64-apple-darwin" },
  { pkg: "@stackgen/cli-win32-x64", os: "win32", cpu: "x64", target: "x86_64-pc-windows-msvc" },
];

const OTHER_WAYS = "install it with `cargo install --locked stackgen` or `pip install stackgen` instead";

function binaryName(os) {
  return os === "win32" ? "stackgen.exe" : "stackgen";
}

function fail(message) {
  process.stderr.write(`error: ${message}\n`);
  process.exit(1);
}

// glibc or musl; only asked when both Linux packages are installed, as it costs a few ms.
function linuxLibc() {
  const header = process.report.getReport().header;
  return header.glibcVersionRuntime ? "glibc" : "musl";
}

function platformName() {
  const name = `${process.platform}-${process.arch}`;
  return process.platform === "linux" ? `${name} (${linuxLibc()})` : name;
}

function findBinary() {
  const fromEnv = process.env.STACKGEN_BINARY;
  if (fromEnv) {
    let stat;
    try {
      stat = fs.statSync(fromEnv);
    } catch {
      fail(`STACKGEN_BINARY is \`${fromEnv}\`, which does not exist; unset it to use the installed package, or ${OTHER_WAYS}`);
    }
    if (!stat.isFile()) {
      fail(`STACKGEN_BINARY is \`${fromEnv}\`, which is not a file; unset it to use the installed package, or ${OTHER_WAYS}`);
    }
    if (process.platform !== "win32") {
      try {
        fs.accessSync(fromEnv, fs.constants.X_OK);
      } catch {
        fail(`STACKGEN_BINARY is \`${fromEnv}\`, which is not executable; unset it to use the installed package, or ${OTHER_WAYS}`);
      }
    }
    return fromEnv;
  }
  const candidates = PLATFORMS.filter((p) => p.os === process.platform && p.cpu === process.arch);
  if (candidates.length === 0) {
    fail(`stackgen has no npm package for ${platformName()}; ${OTHER_WAYS}`);
  }
  const found = [];
  for (const platform of candidates) {
    try {
      const dir = path.dirname(require.resolve(`${platform.pkg}/package.json`));
      found.push({ platform, binary: path.join(dir, "bin", binaryName(platform.os)) });
    } catch {
      // Not installed: npm skipped it (another libc) or optional dependencies were omitted.
    }
  }
  if (found.length === 0) {
    const names = candidates.map((p) => p.pkg).join(" or ");
    fail(`the stackgen package for ${platformName()} (${names}) is not installed (were optional dependencies omitted?); reinstall stackgen, or ${OTHER_WAYS}`);
  }
  if (found.length > 1) {
    const libc = linuxLibc();
    return (found.find((f) => f.platform.libc === libc) || found[0]).binary;
  }
  return found[0].binary;
}

function run(args) {
  const binary = findBinary();
  const child = spawn(binary, args, { stdio: "inherit" });
  const forward = (signal) => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill(signal);
    }
  };
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
    process.on(signal, forward);
  }
  child.on("error", (error) => {
    // Only a failed start ends the launcher here; a signal for a child that has just exited
    // is not an error.
    if (!String(error.syscall).startsWith("spawn")) {
      return;
    }
    const reason = error.code === "EACCES" ? "permission denied" : error.code === "ENOENT" ? "file not found" : error.message;
    fail(`cannot run \`${binary}\` (${reason}) on ${platformName()}; reinstall stackgen, or ${OTHER_WAYS}`);
  });
  child.on("exit", (code, signal) => {
    if (signal) {
      process.exit(128 + (require("node:os").constants.signals[signal] || 0));
    }
    process.exit(code);
  });
}

module.exports = { run, PLATFORMS };
