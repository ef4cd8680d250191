#!/usr/bin/env bash
# Installs what the integration and end-to-end tests need, on Debian, as root, with no
# network but the npm registry and Debian's packages (see test/e2e/README.md):
#   - libkrb5-dev (headers for code-server's kerberos module), ripgrep, chromium;
#   - @vscode/ripgrep's download cache, seeded with Debian's rg, because its postinstall
#     would otherwise try to download a binary and fail the whole install;
#   - code-server 4.100.3 in test/e2e/vscode (its own package.json and lockfile).
# Idempotent: every step is skipped when its result is already there.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
vscode_dir="$root/test/e2e/vscode"
want_version="4.100.3"
log() { printf 'e2e-install: %s\n' "$*"; }
# Prints the installed code-server's version, or nothing. An empty --config and throwaway
# XDG folders keep it from writing ~/.config/code-server/config.yaml and logs in ~/.local.
code_server_version() {
  local bin="$vscode_dir/node_modules/.bin/code-server" tmp out
  [ -x "$bin" ] || return 0
  tmp="$(mktemp -d)"
  : > "$tmp/config.yaml"
  out="$(XDG_CONFIG_HOME="$tmp/config" XDG_DATA_HOME="$tmp/data" "$bin" --config "$tmp/config.yaml" --version 2>/dev/null || true)"
  rm -rf "$tmp"
  printf '%s\n' "$out" | sed -n -E 's/^([0-9]+\.[0-9]+\.[0-9]+) [0-9a-f]{40}.*/\1/p' | head -n1
}

# 1. System packages -----------------------------------------------------------------------
need=()
dpkg -s libkrb5-dev >/dev/null 2>&1 || need+=(libkrb5-dev)
command -v rg >/dev/null 2>&1 || need+=(ripgrep)
[ -x /usr/bin/chromium ] || need+=(chromium)
if [ "${#need[@]}" -gt 0 ]; then
  log "apt-get install ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  timeout 900 apt-get update -qq
  timeout 1200 apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
else
  log "system packages present"
fi

# 2. code-server ---------------------------------------------------------------------------
have_version="$(code_server_version)"
if [ "$have_version" = "$want_version" ]; then
  log "code-server $want_version present"
  exit 0
fi

node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" != "20" ]; then
  log "code-server $want_version needs Node 20, this is $(node --version)" >&2
  exit 1
fi

# @vscode/ripgrep 1.15.11 (inside code-server 4.100.3) looks in
# $TMPDIR/vscode-ripgrep-cache-<its version>/ripgrep-<rg tag>-<target>.tar.gz before it
# downloads; the archive holds `rg` at its top level. Debian's rg is the same major version.
rg_cache="${TMPDIR:-/tmp}/vscode-ripgrep-cache-1.15.11"
rg_archive="$rg_cache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
if [ ! -s "$rg_archive" ]; then
  log "seeding $rg_archive"
  stage="$(mktemp -d)"
  cp "$(command -v rg)" "$stage/rg"
  mkdir -p "$rg_cache"
  tar czf "$rg_archive" -C "$stage" rg
  rm -rf "$stage"
fi

log "installing code-server $want_version in test/e2e/vscode (about a minute)"
cd "$vscode_dir"
# unsafe_perm: code-server's postinstall refuses to run as root without it.
# yes: node-pty's postinstall runs `npx node-gyp`, which would otherwise stop without a terminal.
export npm_config_unsafe_perm=true npm_config_yes=true
if [ -f package-lock.json ]; then
  timeout 900 npm ci --no-audit --no-fund --loglevel=error
else
  timeout 900 npm install --no-audit --no-fund --loglevel=error
fi
got="$(code_server_version)"
if [ "$got" != "$want_version" ]; then
  log "expected code-server $want_version, got '$got'" >&2
  exit 1
fi
log "code-server $got installed"
