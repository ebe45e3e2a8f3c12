#!/usr/bin/env bash
# Installs what the editor's end-to-end tests need:
#   - Debian packages: chromium (driven by playwright-core), ripgrep, and the headers code-server's
#     native modules build against;
#   - code-server 4.100.3 from npm (VS Code 1.100.3, the newest that accepts Node 20) in the
#     git-ignored folder .vscode-e2e/tools.
# Idempotent: a second run only checks and returns. Cold, it installs code-server and the apt packages.
#   bash .ci/vscode-e2e.sh          install (or check) the tools
#   bash .ci/vscode-e2e.sh run      install, then `npm run test:e2e`
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROOT="$REPO/.vscode-e2e"
CS_VERSION=4.100.3
# code-server's lib/vscode/npm-shrinkwrap.json pins @vscode/ripgrep 1.15.11, which downloads ripgrep
# v13.0.0-10 from GitHub in its postinstall; we pre-seed its download cache with Debian's rg instead.
RG_PKG=1.15.11
RG_TAG=v13.0.0-10
t0=$SECONDS

apt_packages=(chromium ripgrep libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev pkg-config)
missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if (( ${#missing[@]} )); then
  echo "vscode-e2e: apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
command -v chromium >/dev/null || { echo "vscode-e2e: chromium missing after install" >&2; exit 1; }

installed_version() {
  node -p "require('$ROOT/tools/node_modules/code-server/package.json').version" 2>/dev/null || true
}
if [[ "$(installed_version)" != "$CS_VERSION" || ! -f "$ROOT/tools/.complete" ]]; then
  echo "vscode-e2e: installing code-server $CS_VERSION into $ROOT/tools"
  mkdir -p "$ROOT/tools" "$ROOT/tmp" "$ROOT/npm-cache"
  rm -f "$ROOT/tools/.complete"
  export npm_config_cache="$ROOT/npm-cache" TMPDIR="$ROOT/tmp"
  rgstage="$TMPDIR/rgstage"
  rgcache="$TMPDIR/vscode-ripgrep-cache-$RG_PKG"
  mkdir -p "$rgstage" "$rgcache"
  cp "$(command -v rg)" "$rgstage/rg"
  tar czf "$rgcache/ripgrep-$RG_TAG-x86_64-unknown-linux-musl.tar.gz" -C "$rgstage" rg
  cd "$ROOT/tools"
  [[ -f package.json ]] || echo '{ "private": true }' > package.json
  # npm 11 skips dependencies' install scripts unless allowed. code-server's postinstall runs nested
  # `npm install`s in lib/vscode that build native modules (node-pty, spdlog, @parcel/watcher…);
  # an allowScripts list in this package.json would not reach those nested installs, so allow all
  # scripts through the environment, for this tools folder only.
  # unsafe-perm: code-server's postinstall.sh refuses to run as root under npm without it (npm 11 warns
  # that the option is unknown; the variable is read by the script, not by npm).
  if ! npm_config_dangerously_allow_all_scripts=true npm_config_unsafe_perm=true npm_config_yes=true \
      npm install --no-audit --no-fund --no-save "code-server@$CS_VERSION" >"$ROOT/npm-tools.log" 2>&1; then
    tail -40 "$ROOT/npm-tools.log" >&2
    exit 1
  fi
  # A postinstall that silently skipped leaves code-server without its VS Code node_modules.
  if [[ ! -d "$ROOT/tools/node_modules/code-server/lib/vscode/node_modules" ]]; then
    echo "vscode-e2e: code-server's postinstall did not run (lib/vscode/node_modules missing); see $ROOT/npm-tools.log" >&2
    exit 1
  fi
  touch "$ROOT/tools/.complete"
fi
echo "vscode-e2e: code-server $(installed_version), $(chromium --version 2>/dev/null | head -1); ready in $(( SECONDS - t0 ))s"

if [[ "${1:-}" == run ]]; then
  cd "$REPO"
  npm run test:e2e
fi
