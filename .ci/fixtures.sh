#!/usr/bin/env bash
# Builds the chaincode fixtures that prove the embedded peer against the real Go and Java shims:
#   test/fixtures/go/v2        -> test/fixtures/go/v2/bin/gocc          (fabric-chaincode-go/v2)
#   test/fixtures/go/fabric14  -> test/fixtures/go/fabric14/bin/gocc14  (Fabric 1.4 in-tree shim)
#   test/fixtures/go/certoracle -> test/fixtures/go/certoracle/bin/certoracle (Go's crypto/x509 as a test oracle)
#   test/fixtures/go/ccaas     -> test/fixtures/go/ccaas/bin/goccaas  (v2 shim, a chaincode server with CHAINCODE_SERVER_ADDRESS)
#   test/fixtures/go/gateway   -> test/fixtures/go/gateway/bin/gwclient (fabric-gateway Go client v1.10.0)
#   test/fixtures/java         -> test/fixtures/java/target/javacc.jar  (fabric-chaincode-shim 2.5)
# and installs Delve, which debugs Go chaincode (F5), from the Go module proxy:
#   delve                      -> .cache/go-tools/dlv                   (go install …/dlv@DELVE_VERSION)
# Downloads dependencies (Go module proxy, Maven Central; default caches ~/go/pkg/mod and ~/.m2).
# Idempotent: an artifact newer than every source of its fixture is not rebuilt, a Delve of the
# pinned version is not reinstalled (FORCE=1 rebuilds both).
# A missing toolchain prints "skipping: no go" / "skipping: no mvn" and is not an error; a failing
# build with the toolchain present exits non-zero. Usage: .ci/fixtures.sh [go|java|delve]...
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FIX="$ROOT/test/fixtures"
WANT="${*:-go java delve}"
# The Delve the editor's "Install Delve" installs too (src/vscode/debug/delve/discovery.ts DELVE_VERSION).
DELVE_VERSION=v1.27.2
DELVE_PACKAGE=github.com/go-delve/delve/cmd/dlv
GO_TOOLS="$ROOT/.cache/go-tools"
FORCE="${FORCE:-0}"
failed=0

log() { printf '[fixtures] %s\n' "$*"; }

# up_to_date ARTIFACT DIR: true when ARTIFACT exists and no file under DIR (outside bin/ and
# target/) is newer than it.
up_to_date() {
  local artifact="$1" dir="$2"
  [[ "$FORCE" != "1" && -s "$artifact" ]] || return 1
  [[ -z "$(find "$dir" \( -path "$dir/bin" -o -path "$dir/target" \) -prune -o -type f -newer "$artifact" -print -quit)" ]]
}

build_go() {
  local name="$1" out="$2"
  local dir="$FIX/go/$name" bin="$FIX/go/$name/bin/$out"
  # The net-mode test vendors the v2 module offline (GOPROXY=off): make every module of its graph
  # local, not only those the build below happens to load.
  if [ "$name" = v2 ] && ! (cd "$dir" && go mod download); then
    log "go/$name: go mod download FAILED"
    failed=1
    return 0
  fi
  if up_to_date "$bin" "$dir"; then
    log "go/$name: up to date ($bin)"
    return 0
  fi
  log "go/$name: building $bin"
  local start=$SECONDS
  # -mod=readonly: go.mod/go.sum are committed and must already be complete; -trimpath keeps
  # the binary independent of where the repo lives.
  if (cd "$dir" && CGO_ENABLED=0 go build -mod=readonly -trimpath -o "bin/$out" .); then
    log "go/$name: built in $((SECONDS - start))s"
  else
    log "go/$name: BUILD FAILED"
    failed=1
  fi
}

build_java() {
  local dir="$FIX/java" jar="$FIX/java/target/javacc.jar"
  if up_to_date "$jar" "$dir"; then
    log "java: up to date ($jar)"
    return 0
  fi
  log "java: building $jar"
  local start=$SECONDS
  # Maven 3.8's console library prints colour resets even in batch mode: strip them (pipefail
  # keeps mvn's exit status).
  if (cd "$dir" && mvn -q -B -Dstyle.color=never package -DskipTests 2>&1 | sed 's/\x1b\[[0-9;]*m//g'); then
    log "java: built in $((SECONDS - start))s"
  else
    log "java: BUILD FAILED"
    failed=1
  fi
}

install_delve() {
  local dlv="$GO_TOOLS/dlv"
  if [[ "$FORCE" != "1" && -x "$dlv" ]] && "$dlv" version 2>/dev/null | grep -qx "Version: ${DELVE_VERSION#v}"; then
    log "delve: up to date ($dlv, $DELVE_VERSION)"
  else
    log "delve: installing $DELVE_PACKAGE@$DELVE_VERSION into $GO_TOOLS"
    local start=$SECONDS
    mkdir -p "$GO_TOOLS"
    if (cd "$GO_TOOLS" && GOBIN="$GO_TOOLS" go install "$DELVE_PACKAGE@$DELVE_VERSION"); then
      log "delve: installed in $((SECONDS - start))s"
    else
      log "delve: INSTALL FAILED"
      failed=1
      return 0
    fi
  fi
  # Delve builds the chaincode it debugs with optimisations off, a build of its own: compile the
  # v2 fixture's packages that way once here (as Delve runs go build), so the editor's Go F5 test
  # measures a debug start rather than a cold compile of gRPC and protobuf.
  local start=$SECONDS
  if (cd "$FIX/go/v2" && go build -o /dev/null -gcflags "all=-N -l" "$FIX/go/v2"); then
    log "delve: debug build of go/v2 cached in $((SECONDS - start))s"
  else
    log "delve: debug build of go/v2 FAILED"
    failed=1
  fi
}

for what in $WANT; do
  case "$what" in
    go)
      if command -v go >/dev/null 2>&1; then
        log "using $(go version)"
        build_go v2 gocc
        build_go fabric14 gocc14
        build_go certoracle certoracle
        build_go ccaas goccaas
        build_go gateway gwclient
      else
        log "skipping: no go (Go fixtures not built; their tests will skip, or fail under CI=true)"
      fi
      ;;
    java)
      if command -v mvn >/dev/null 2>&1 && command -v java >/dev/null 2>&1; then
        log "using $(mvn -v 2>/dev/null | head -1 | sed 's/\x1b\[[0-9;]*m//g'), $(java -version 2>&1 | head -1)"
        build_java
      else
        log "skipping: no mvn (or no java) (Java fixture not built; its tests will skip, or fail under CI=true)"
      fi
      ;;
    delve)
      if command -v go >/dev/null 2>&1; then
        install_delve
      else
        log "skipping: no go (Delve not installed; the Go debugging tests will skip, or fail under CI=true)"
      fi
      ;;
    *)
      log "unknown fixture kind '$what' (expected go, java or delve)"
      exit 2
      ;;
  esac
done

if [[ "$failed" != "0" ]]; then
  log "FAILED: at least one fixture did not build (see above)"
  exit 1
fi
log "done"
