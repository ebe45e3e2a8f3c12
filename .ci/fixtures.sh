#!/usr/bin/env bash
# Builds the chaincode fixtures that prove the embedded peer against the real Go and Java shims:
#   test/fixtures/go/v2        -> test/fixtures/go/v2/bin/gocc          (fabric-chaincode-go/v2)
#   test/fixtures/go/fabric14  -> test/fixtures/go/fabric14/bin/gocc14  (Fabric 1.4 in-tree shim)
#   test/fixtures/go/certoracle -> test/fixtures/go/certoracle/bin/certoracle (Go's crypto/x509 as a test oracle)
#   test/fixtures/go/gateway   -> test/fixtures/go/gateway/bin/gwclient (fabric-gateway Go client v1.10.0)
#   test/fixtures/java         -> test/fixtures/java/target/javacc.jar  (fabric-chaincode-shim 2.5)
# Downloads dependencies (Go module proxy, Maven Central; default caches ~/go/pkg/mod and ~/.m2).
# Idempotent: an artifact newer than every source of its fixture is not rebuilt (FORCE=1 rebuilds).
# A missing toolchain prints "skipping: no go" / "skipping: no mvn" and is not an error; a failing
# build with the toolchain present exits non-zero. Usage: .ci/fixtures.sh [go|java]...
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FIX="$ROOT/test/fixtures"
WANT="${*:-go java}"
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

for what in $WANT; do
  case "$what" in
    go)
      if command -v go >/dev/null 2>&1; then
        log "using $(go version)"
        build_go v2 gocc
        build_go fabric14 gocc14
        build_go certoracle certoracle
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
    *)
      log "unknown fixture kind '$what' (expected go or java)"
      exit 2
      ;;
  esac
done

if [[ "$failed" != "0" ]]; then
  log "FAILED: at least one fixture did not build (see above)"
  exit 1
fi
log "done"
