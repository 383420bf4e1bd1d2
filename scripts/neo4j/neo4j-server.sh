#!/usr/bin/env bash
# Start/stop a local Neo4j 5.26 Community server (embedded, Bolt only) for medkg dev and CI.
#
#   neo4j-server.sh build
#   neo4j-server.sh start  --port P --data DIR --password PW   # prints bolt://127.0.0.1:P
#   neo4j-server.sh stop   --data DIR
#   neo4j-server.sh status --data DIR                          # exit 0 if running
#
# Environment: MAVEN_REPO (local Maven repository, default ~/.m2/repository), JAVA (java binary),
# NEO4J_HEAP (default 2g), NEO4J_PAGECACHE (default 512m), NEO4J_GC_OPTS (default -XX:+UseParallelGC:
# G1 spent ~70 s in young pauses during a full push, ParallelGC ~5 s), NEO4J_START_TIMEOUT (s, default 120),
# NEO4J_STOP_TIMEOUT (s, default 60), NEO4J_PASSWORD (instead of --password), NEO4J_CONF (a neo4j.conf-style
# file of extra server settings, e.g. db.tx_state.memory_allocation=OFF_HEAP: no faster for a push, measured).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TARGET="$HERE/target"
CLASSES="$TARGET/classes"
CP_FILE="$TARGET/classpath.txt"
REPO_FILE="$TARGET/maven-repo.txt"
SRC="$HERE/src/main/java/medkg/neo4j/MedkgNeo4j.java"
MAIN_CLASS="medkg.neo4j.MedkgNeo4j"
STAMP="$CLASSES/medkg/neo4j/MedkgNeo4j.class"
JAVA="${JAVA:-java}"

die() { echo "neo4j-server: $*" >&2; exit 1; }

# The classpath is up to date if newer than pom.xml, made with the same MAVEN_REPO, and all its
# jars exist.
classpath_ok() {
    [[ -f "$CP_FILE" && "$CP_FILE" -nt "$HERE/pom.xml" ]] || return 1
    [[ "$(cat "$REPO_FILE" 2>/dev/null)" == "${MAVEN_REPO:-default}" ]] || return 1
    local jar IFS=:
    for jar in $(cat "$CP_FILE"); do [[ -f "$jar" ]] || return 1; done
}

cmd_build() {
    if ! classpath_ok; then
        command -v mvn >/dev/null || die "mvn not found"
        local mvn_args=(-q -B -Dstyle.color=never -f "$HERE/pom.xml")
        [[ -n "${MAVEN_REPO:-}" ]] && mvn_args+=("-Dmaven.repo.local=$MAVEN_REPO")
        mkdir -p "$TARGET"
        echo "neo4j-server: resolving Neo4j from Maven Central (cached in ${MAVEN_REPO:-~/.m2/repository})" >&2
        # (sed: mvn -q still prints bare colour-reset codes)
        if ! mvn "${mvn_args[@]}" dependency:build-classpath -Dmdep.outputFile="$CP_FILE.tmp" 2>&1 \
                | sed -e 's/\x1b\[[0-9;]*m//g' -e '/^$/d' >&2; then
            die "mvn dependency:build-classpath failed"
        fi
        mv "$CP_FILE.tmp" "$CP_FILE"
        echo "${MAVEN_REPO:-default}" > "$REPO_FILE"
        rm -f "$STAMP"
    fi
    if [[ ! -f "$STAMP" || "$SRC" -nt "$STAMP" ]]; then
        command -v javac >/dev/null || die "javac not found (need a JDK 17+)"
        rm -rf "$CLASSES"
        javac --release 17 -cp "$(cat "$CP_FILE")" -d "$CLASSES" "$SRC" >&2 || die "javac failed"
    fi
}

# Parse --port/--data/--password into PORT/DATA/PASSWORD.
PORT="" DATA="" PASSWORD="${NEO4J_PASSWORD:-}"
parse_args() {
    while [[ $# -gt 0 ]]; do
        case "$1" in
            --port) PORT="${2:?--port needs a value}"; shift 2 ;;
            --data) DATA="${2:?--data needs a value}"; shift 2 ;;
            --password) PASSWORD="${2:?--password needs a value}"; shift 2 ;;
            *) die "unknown argument: $1" ;;
        esac
    done
    [[ -n "$DATA" ]] || die "--data DIR is required"
    mkdir -p "$DATA"
    DATA="$(cd "$DATA" && pwd)"
    PID_FILE="$DATA/neo4j.pid"
    LOG="$DATA/neo4j.log"
}

running_pid() {  # prints the pid and returns 0 if the server of $DATA is alive
    [[ -f "$PID_FILE" ]] || return 1
    local pid
    pid="$(cat "$PID_FILE" 2>/dev/null)"
    [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
    # Guard against a reused pid: it must be our main class.
    tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q "$MAIN_CLASS" || return 1
    echo "$pid"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

cmd_start() {
    parse_args "$@"
    [[ "$PORT" =~ ^[0-9]+$ ]] || die "--port P is required"
    [[ -n "$PASSWORD" ]] || die "--password PW (or NEO4J_PASSWORD) is required"
    [[ ${#PASSWORD} -ge 8 ]] || die "the password must have at least 8 characters (Neo4j default rule)"
    if pid="$(running_pid)"; then die "already running (pid $pid) for $DATA"; fi
    port_open "$PORT" && die "port $PORT is already in use"
    command -v "$JAVA" >/dev/null || die "java not found"
    cmd_build

    local jvm=(
        "-Xms${NEO4J_HEAP_INITIAL:-256m}" "-Xmx${NEO4J_HEAP:-2g}"
        ${NEO4J_GC_OPTS:--XX:+UseParallelGC} -XX:-OmitStackTraceInFastThrow
        --add-opens=java.base/java.nio=ALL-UNNAMED
        --add-opens=java.base/java.io=ALL-UNNAMED
        --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
        -Dio.netty.tryReflectionSetAccessible=true
        -Djdk.nio.maxCachedBufferSize=1024
        -Dlog4j2.disable.jmx=true
    )
    : > "$LOG"
    # setsid: own session, so the caller's Ctrl-C / process group kill does not hit it.
    NEO4J_PASSWORD="$PASSWORD" NEO4J_PAGECACHE="${NEO4J_PAGECACHE:-512m}" setsid "$JAVA" "${jvm[@]}" \
        -cp "$CLASSES:$(cat "$CP_FILE")" "$MAIN_CLASS" --port "$PORT" --data "$DATA" \
        >> "$LOG" 2>&1 < /dev/null &
    local pid=$!
    echo "$pid" > "$PID_FILE"

    local timeout="${NEO4J_START_TIMEOUT:-120}" start=$SECONDS
    while (( SECONDS - start < timeout )); do
        if ! kill -0 "$pid" 2>/dev/null; then
            echo "neo4j-server: server exited during start-up; log tail ($LOG):" >&2
            tail -n 40 "$LOG" >&2
            rm -f "$PID_FILE"
            exit 1
        fi
        if grep -q '^NEO4J_READY' "$LOG" && port_open "$PORT"; then
            echo "bolt://127.0.0.1:$PORT"
            return 0
        fi
        sleep 0.5
    done
    echo "neo4j-server: not ready after ${timeout}s; log tail ($LOG):" >&2
    tail -n 40 "$LOG" >&2
    kill -KILL "$pid" 2>/dev/null || true
    rm -f "$PID_FILE"
    exit 1
}

cmd_stop() {
    parse_args "$@"
    local pid
    if ! pid="$(running_pid)"; then rm -f "$PID_FILE"; echo "not running" >&2; return 0; fi
    kill -TERM "$pid" 2>/dev/null || true
    local timeout="${NEO4J_STOP_TIMEOUT:-60}" start=$SECONDS
    while kill -0 "$pid" 2>/dev/null && (( SECONDS - start < timeout )); do sleep 0.2; done
    if kill -0 "$pid" 2>/dev/null; then
        echo "neo4j-server: pid $pid did not stop in ${timeout}s, sending SIGKILL" >&2
        kill -KILL "$pid" 2>/dev/null || true
        while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
    fi
    rm -f "$PID_FILE"
    echo "stopped" >&2
}

cmd_status() {
    parse_args "$@"
    local pid
    if pid="$(running_pid)"; then
        echo "running pid $pid $(grep -m1 -o 'bolt://[0-9.:]*' "$LOG" 2>/dev/null || true)"
    else
        echo "not running"
        return 3
    fi
}

case "${1:-}" in
    build) shift; cmd_build ;;
    start) shift; cmd_start "$@" ;;
    stop) shift; cmd_stop "$@" ;;
    status) shift; cmd_status "$@" ;;
    *) echo "usage: $0 {build|start --port P --data DIR --password PW|stop --data DIR|status --data DIR}" >&2; exit 64 ;;
esac
