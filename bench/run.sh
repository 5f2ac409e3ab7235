#!/usr/bin/env bash
# End-to-end comparison of Tributary with Mosquitto and HiveMQ CE on this machine, in one run.
#
#   bench/run.sh            full run (about 6 minutes): every scenario, then idle-client memory
#   bench/run.sh --quick    short windows (about 2 minutes): to check that everything works, not to quote
#   bench/run.sh --no-build ...   skip the Maven build (use what bench/target holds)
#
# Any other option goes to `BenchMain compare` (see docs/benchmarks.md), e.g. --brokers tributary,mosquitto,
# --scenarios fan-in-qos1, --mqtt 5, --duration 20, --idle-clients 5000.
# Tables go to the terminal and to bench/results/<date>[-quick].md; broker logs stay in bench/target/bench-run/.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

build=1
args=()
for arg in "$@"; do
  case "$arg" in
    --no-build) build=0 ;;
    *) args+=("$arg") ;;
  esac
done

# Mosquitto 2 from the distribution; the benchmark starts its own instances on free ports with its own config.
mosquitto_bin=/usr/sbin/mosquitto
if [[ ! -x "$mosquitto_bin" ]]; then
  if command -v mosquitto >/dev/null 2>&1; then
    mosquitto_bin="$(command -v mosquitto)"
  else
    echo "[bench] installing mosquitto" >&2
    apt-get install -y mosquitto >/dev/null || { apt-get update >/dev/null && apt-get install -y mosquitto >/dev/null; }
  fi
fi

# 10,000 idle clients need 10,000 descriptors in the driver and as many in each broker (children inherit this).
hard_limit="$(ulimit -Hn)"
if [[ "$hard_limit" == unlimited || "$hard_limit" -ge 20000 ]]; then
  ulimit -n 20000
else
  ulimit -n "$hard_limit"
  echo "[bench] open-file limit is only $hard_limit: pass --idle-clients below that" >&2
fi

if [[ $build == 1 ]]; then
  echo "[bench] building (mvn -q -DskipTests package -pl bench -am)" >&2
  mvn -q -DskipTests package -pl bench -am
fi

jar="bench/target/tributary-bench-0.1.0-SNAPSHOT.jar"
if [[ ! -f "$jar" || ! -d bench/target/lib ]]; then
  echo "[bench] $jar or bench/target/lib is missing: run without --no-build" >&2
  exit 1
fi

# The driver records the PID of the broker under test here; should the driver die, the trap stops that broker.
mkdir -p bench/target/bench-run
pid_file="bench/target/bench-run/broker.pid"
rm -f "$pid_file"
stop_leftover_broker() {
  [[ -f "$pid_file" ]] || return 0
  local pid
  pid="$(tr -dc '0-9' <"$pid_file")"
  # Only a process this benchmark started: a broker main class of ours, or a mosquitto with our generated config.
  if [[ -n "$pid" && -r "/proc/$pid/cmdline" ]] \
      && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -Eq 'io\.tributary\.bench\.server\.|bench-run/.*mosquitto\.conf'; then
    echo "[bench] stopping leftover broker process $pid" >&2
    kill "$pid" 2>/dev/null || true
    sleep 2
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$pid_file"
}
trap stop_leftover_broker EXIT

java -Xmx2g -XX:+UseG1GC -Dlogback.configurationFile=bench-logback.xml -Dbench.log.level=WARN \
  -Dbench.command="bench/run.sh${args[*]:+ ${args[*]}}" \
  -cp "$jar:bench/target/lib/*" \
  io.tributary.bench.BenchMain compare \
  --mosquitto "$mosquitto_bin" --pid-file "$pid_file" \
  --work-dir bench/target/bench-run --results-dir bench/results \
  "${args[@]}"
