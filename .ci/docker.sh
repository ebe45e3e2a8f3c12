#!/usr/bin/env bash
# Makes a Docker engine answer on this machine, for the container tests and for CI.
#   bash .ci/docker.sh          install docker.io if needed, start dockerd, wait, print the version
#   bash .ci/docker.sh stop     stop the daemon this script started (by its pid file)
# Idempotent: when a daemon already answers, start does nothing.
# No registry is reachable and containers must only use loopback, so the daemon runs without a
# bridge and without touching iptables; containers use host networking (no traffic leaves loopback).
set -euo pipefail

STATE_DIR="${DOCKERD_STATE_DIR:-/tmp/chaincode-launcher-dockerd}"
LOG="$STATE_DIR/dockerd.log"
PIDFILE="$STATE_DIR/dockerd.pid"
WAIT_SECONDS="${DOCKERD_WAIT_SECONDS:-60}"

answers() { docker info >/dev/null 2>&1; }

stop_daemon() {
  if [[ ! -f "$PIDFILE" ]]; then
    echo "docker.sh: no pid file at $PIDFILE; nothing started by this script" >&2
    return 0
  fi
  local pid
  pid="$(cat "$PIDFILE")"
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    # dockerd stops its containers and its containerd before exiting; give it time.
    for _ in $(seq 1 30); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 1
    done
    if kill -0 "$pid" 2>/dev/null; then
      echo "docker.sh: dockerd ($pid) did not stop within 30 s; killing it" >&2
      kill -KILL "$pid" || true
    fi
  fi
  rm -f "$PIDFILE"
  echo "docker.sh: dockerd stopped"
}

install_engine() {
  if command -v dockerd >/dev/null 2>&1; then return 0; fi
  echo "docker.sh: installing docker.io from Debian"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # policy-rc.d-less containers may fail to start the service in postinst; we start it ourselves.
  apt-get install -y -qq --no-install-recommends docker.io >/dev/null
  command -v dockerd >/dev/null 2>&1 || { echo "docker.sh: dockerd still missing after install" >&2; exit 1; }
}

start_daemon() {
  if answers; then
    echo "docker.sh: a Docker engine already answers"
    docker version --format 'docker engine {{.Server.Version}} (API {{.Server.APIVersion}})'
    return 0
  fi
  install_engine
  mkdir -p "$STATE_DIR"
  if [[ -f "$PIDFILE" ]] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
    echo "docker.sh: dockerd ($(cat "$PIDFILE")) is running but not answering yet; waiting"
  else
    # setsid: the daemon must outlive this script (and the shell that ran it).
    setsid dockerd --bridge=none --iptables=false --ip6tables=false >"$LOG" 2>&1 </dev/null &
    echo $! >"$PIDFILE"
  fi
  local start=$SECONDS
  until answers; do
    if ! kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
      echo "docker.sh: dockerd exited; last log lines:" >&2
      tail -n 30 "$LOG" >&2 || true
      exit 1
    fi
    if (( SECONDS - start >= WAIT_SECONDS )); then
      echo "docker.sh: dockerd did not answer within ${WAIT_SECONDS}s; last log lines:" >&2
      tail -n 30 "$LOG" >&2 || true
      exit 1
    fi
    sleep 0.5
  done
  echo "docker.sh: dockerd answered after $(( SECONDS - start ))s (pid $(cat "$PIDFILE"), log $LOG)"
  docker version --format 'docker engine {{.Server.Version}} (API {{.Server.APIVersion}})'
}

case "${1:-start}" in
  start) start_daemon ;;
  stop) stop_daemon ;;
  *) echo "usage: $0 [start|stop]" >&2; exit 2 ;;
esac
