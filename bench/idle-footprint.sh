#!/usr/bin/env bash
# Tributary's memory idle and with idle clients, for JVM flag sets: each set runs `tributary.jar run` with a
# broker-only configuration (one loopback listener, every other key at its default), then `BenchMain idle` holds
# the clients and reports VmRSS.
#
#   bench/idle-footprint.sh "FLAGS" ["FLAGS" ...]     e.g. bench/idle-footprint.sh "" "-XX:+UseSerialGC -Xmx256m"
#   IDLE_CLIENTS=5000 bench/idle-footprint.sh ...      fewer clients (default 10000)
#   bench/idle-footprint.sh --launcher-defaults        bin/tributary's default flags (and its MALLOC_ARENA_MAX)
#
# Needs app/target/tributary.jar and bench/target (bench/run.sh builds both). Run it alone on the machine: the
# numbers are RSS, but the connection times are CPU-bound.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
clients="${IDLE_CLIENTS:-10000}"
# Each process (the broker, the clients) holds one descriptor per client.
ulimit -n $((clients + 1000))

flag_sets=()
for arg in "$@"; do
  if [[ "$arg" == --launcher-defaults ]]; then
    flag_sets+=("$(sed -n '/^jvm_defaults="/,/"$/p' bin/tributary | tr -d '\\\n' | sed 's/^jvm_defaults="//; s/"$//')")
  else
    flag_sets+=("$arg")
  fi
done
[[ ${#flag_sets[@]} -gt 0 ]] || { echo "usage: $0 \"FLAGS\" [\"FLAGS\" ...] | --launcher-defaults" >&2; exit 2; }

echo "| JVM flags | RSS idle | RSS with $clients idle clients | per client |"
echo "|---|---|---|---|"
for flags in "${flag_sets[@]}"; do
  work="$(mktemp -d "${TMPDIR:-/tmp}/tributary-footprint.XXXXXX")"
  port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  printf 'broker:\n  listeners: [ { type: tcp, host: 127.0.0.1, port: %s } ]\n' "$port" >"$work/tributary.yaml"
  # shellcheck disable=SC2086
  MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}" java $flags -jar app/target/tributary.jar run \
    --config "$work/tributary.yaml" >"$work/tributary.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 150); do (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.2; done
  sleep 5
  idle_kb="$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")"
  java -Xmx512m -Dlogback.configurationFile=bench-logback.xml -Dbench.log.level=WARN \
    -cp "bench/target/tributary-bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*" io.tributary.bench.BenchMain idle \
    --port "$port" --pid "$pid" --idle-clients "$clients" --name tributary >"$work/idle.txt" 2>&1 || true
  loaded_kb="$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")"
  kill "$pid"; wait "$pid" 2>/dev/null || true
  connected="$(grep -o 'clients connected | [0-9,]* / [0-9,]*' "$work/idle.txt" || echo "clients connected: see $work/idle.txt")"
  printf '| `%s` | %.0f MB | %.0f MB (%s) | %.1f KB |\n' "${flags:-JDK defaults}" "$(echo "$idle_kb / 1024" | bc -l)" \
    "$(echo "$loaded_kb / 1024" | bc -l)" "$connected" "$(echo "($loaded_kb - $idle_kb) / $clients" | bc -l)"
  rm -rf "$work"
done
