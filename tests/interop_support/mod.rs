//! Process plumbing shared by the live interop tests that run our example binaries against a
//! node peer (`tests/interop_mcp_sdk.rs`, `tests/interop_openid_client.rs`): where the peers
//! and the binaries are, starting an example and reading its banner, killing it on drop, a
//! free loopback port, and running the peer's script for its JSON report.
//!
//! Environment: `$OAUTH_CORE_CACHE` (default `~/.cache/oauth-core`, where `.ci/interop`
//! installs the peers), `$OAUTH_CORE_INTEROP_NODE_DIR` (default `<cache>/interop/node`),
//! `$OAUTH_CORE_INTEROP_NODE` (default `node`), `$OAUTH_CORE_INTEROP_BIN_DIR` (default
//! `target/debug/examples/`).
#![allow(dead_code)] // each interop test uses a different subset

use std::io::{BufRead as _, BufReader};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// The folder `.ci/interop` installs the peers into.
pub fn cache_dir() -> PathBuf {
    match std::env::var_os("OAUTH_CORE_CACHE") {
        Some(d) => PathBuf::from(d),
        None => PathBuf::from(std::env::var_os("HOME").expect("HOME or OAUTH_CORE_CACHE"))
            .join(".cache/oauth-core"),
    }
}

/// A file of `tests/data/interop/`.
pub fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/interop")
        .join(name)
}

/// The built example `name`; fails with how to build it when it is missing.
pub fn example_binary(name: &str) -> PathBuf {
    let dir = std::env::var_os("OAUTH_CORE_INTEROP_BIN_DIR").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/debug/examples"),
        PathBuf::from,
    );
    let bin = dir.join(name);
    assert!(
        bin.is_file(),
        "{} not found: build it first (cargo build --example {name})",
        bin.display()
    );
    bin
}

/// A child process killed when dropped.
pub struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts the example `name` with `args` and returns it with the first line it printed. The
/// examples bind their socket before printing that banner, so they answer once it is read.
pub fn start(name: &str, args: &[&str]) -> (Running, String) {
    let mut child = Command::new(example_binary(name))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("start {name}: {e}"));
    let stdout = child.stdout.take().expect("stdout");
    let running = Running(child);
    let mut first = String::new();
    let mut lines = BufReader::new(stdout);
    lines.read_line(&mut first).expect("read the banner");
    // Keep reading: the example prints more, and dies on a closed stdout.
    std::thread::spawn(move || std::io::copy(&mut lines, &mut std::io::sink()));
    (running, first)
}

/// The issuer in the authorization server example's banner
/// (`authorization server <issuer> listening on <base>`).
pub fn issuer_from_banner(banner: &str) -> String {
    banner
        .strip_prefix("authorization server ")
        .and_then(|r| r.split(' ').next())
        .unwrap_or_else(|| panic!("unexpected banner {banner:?}"))
        .to_owned()
}

/// A free loopback port (for a server whose URL another must know before it starts).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// Runs the node script `tests/data/interop/<script>` with `args` and returns the JSON report
/// it printed, with the wall time it took; fails when the script fails.
pub fn node_report(script: &str, args: &[&str]) -> (Value, Duration) {
    let node_dir = std::env::var_os("OAUTH_CORE_INTEROP_NODE_DIR")
        .map_or_else(|| cache_dir().join("interop/node"), PathBuf::from);
    let node = std::env::var_os("OAUTH_CORE_INTEROP_NODE").unwrap_or("node".into());
    let started = Instant::now();
    let out = Command::new(node)
        .arg(data(script))
        .args(args)
        .env("OAUTH_CORE_INTEROP_NODE_DIR", node_dir)
        .stdin(Stdio::null())
        .output()
        .expect("run node");
    let wall = started.elapsed();
    assert!(
        out.status.success(),
        "{script} {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("bad report ({e}): {}", String::from_utf8_lossy(&out.stdout)));
    (report, wall)
}
