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
#
#   bench/run.sh kafka            MQTT QoS 1 -> Kafka (about 3 minutes): Tributary's route (tributary run) against
#                                 Mosquitto plus a plain Camel bridge (camel-paho -> camel-kafka), one real Kafka
#   bench/run.sh kafka --quick    the same with short windows (under 2 minutes): a check, not numbers to quote
#
# Options after `kafka` go to `BenchMain kafka`, e.g. --scenarios kafka-qos1, --rate 5000, --publishers 8;
# --driver raw publishes from raw sockets (MQTT 5, pre-encoded batches) instead of the HiveMQ client, and
# --before-jar PATH --systems tributary-before,tributary,mosquitto-camel measures an earlier build in the same run.
# --systems mosquitto-camel,mosquitto-tributary compares the Camel bridge with Tributary reading the same Mosquitto over
# its MQTT link (issue 15); hivemq-camel, hivemq-tributary, tributary-camel and tributary-tributary do the same with
# HiveMQ CE or a second Tributary as the publishers' broker; --tributary-link 'max-inflight: 1000' adds keys to the
# link's connection. hivemq-extension is HiveMQ CE with Tributary's extension (its zip, built here) running the same
# route as tributary, e.g. --systems tributary,hivemq-extension,hivemq-camel; Kafka is warmed for 30 s (10 s with
# --quick) before the first system, so that the order of --systems matters less.
# Tables go to bench/results/<date>-kafka[-quick].md; logs to bench/target/bench-run/<date>-kafka/.
#
#   bench/run.sh sinks            Tributary's MQTT QoS 1 routes into PostgreSQL (batch sizes 50, 500, 2000; a real
#                                 PostgreSQL started by the driver) and into a webhook served by the driver, plus
#                                 MQTT -> Kafka for context (about 3 minutes); no baseline, absolute numbers
#   bench/run.sh sinks --quick    the same with short windows (about 1 minute): a check, not numbers to quote
#
# Options after `sinks` go to `BenchMain sinks`, e.g. --scenarios sql,webhook, --batch-sizes 100,1000, --publishers 8.
# Tables go to bench/results/<date>-sinks[-quick].md; logs to bench/target/bench-run/<date>-sinks/.
#
#   bench/run.sh offline-sessions          QoS 1 fan-in into offline persistent sessions (about 2 minutes):
#                                          Tributary from its jar with broker.persistence sync against Mosquitto
#                                          with persistence true and autosave_interval 1; then the sessions read
#                                          everything back (lost, duplicates)
#   bench/run.sh offline-sessions --quick  the same with short windows: a check, not numbers to quote
#
# Options after `offline-sessions` go to `BenchMain offline-sessions`, e.g. --sessions 10, --publishers 8,
# --persistence interval. Tables go to bench/results/<date>-offline-sessions[-quick].md; logs and data to
# bench/target/bench-run/<date>-offline-sessions/.
#
#   bench/run.sh raw-load          the raw-socket driver (about 7 minutes): QoS 0 flood and QoS 1 fan-in (4 -> 1),
#                                  paced latency at 10,000 msg/s (QoS 0 and 1), connection rate (1,000 clients) and
#                                  10,000 idle connections, Mosquitto against Tributary's jar (broker only) with
#                                  qos0-when-full pause and drop
#   bench/run.sh raw-load --quick  the same with short windows: a check, not numbers to quote
#
# Options after `raw-load` go to `BenchMain raw-load`, e.g. --scenarios latency-qos0,connect-rate, --brokers
# mosquitto,tributary, --mqtt 3, --rate 20000, --clients 10000, --idle-clients 100000. Tables go to bench/results/<date>-raw-load[-quick].md; broker logs to
# bench/target/bench-run/<date>-raw-load/.
#
#   bench/run.sh link-kills --client paho|paho5|tributary
#                                  10 cycles of kill -9 and restart of Mosquitto (persistence on) while a QoS 1 stream
#                                  flows to the source (about 1-4 minutes): paho = a camel-paho route (manual acks,
#                                  automatic reconnect, maxReconnectDelay 2000, persistent session), paho5 = the Paho v5
#                                  client as camel-paho-mqtt5 drives it, tributary = Tributary's MQTT link route (app
#                                  jar) to a webhook in the driver; per cycle whether a message published after the
#                                  restart reached the sink within 5 s, then lost and duplicated
#
# Options after `link-kills` go to `BenchMain link-kills`, e.g. --cycles 10, --rate 50, --down-ms 1000, --give-up 20.
# Tables go to bench/results/<date>-link-kills-<client>.md; logs to bench/target/bench-run/<date>-link-kills-<client>/.
#
#   bench/run.sh cluster          several Tributary nodes as one broker through one Kafka (issue 17): a single node, a
#                                 one-node cluster and three nodes (`tributary run` with `cluster:`), QoS 1 and 0 paced
#                                 at 2,000 msg/s from 20 publishers on node 1 to 30 subscribers, each with its own share
#                                 of the messages, spread over the nodes (remote) or all on node 1 (local); delivery,
#                                 loss, latency publish -> delivery and -> PUBACK, CPU per delivered message over every
#                                 node and Kafka, RSS per node, Kafka bytes per publish (about 10 minutes)
#   bench/run.sh cluster --quick  the same with short windows (about 2 minutes): a check, not numbers to quote
#
# Options after `cluster` go to `BenchMain cluster`, e.g. --systems three-nodes, --scenarios remote-qos1,local-qos1,
# --rates 2000,10000, --publishers 20, --subscribers 30, --duration 30. Tables go to bench/results/<date>-cluster[-quick].md;
# node and Kafka logs to bench/target/bench-run/<date>-cluster/.
#
# --offline (any command) builds with `mvn -o`.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

build=1
command=compare
if [[ "${1:-}" == kafka || "${1:-}" == sinks || "${1:-}" == offline-sessions || "${1:-}" == raw-load \
    || "${1:-}" == link-kills || "${1:-}" == cluster ]]; then
  command="$1"
  shift
fi
maven_flags=(-q)
args=()
for arg in "$@"; do
  case "$arg" in
    --no-build) build=0 ;;
    --offline) maven_flags+=(-o) ;;
    *) args+=("$arg") ;;
  esac
done

# Mosquitto 2 from the distribution; the benchmark starts its own instances on free ports with its own config.
# (The sink and cluster benchmarks have no baseline and do not need it.)
mosquitto_bin=/usr/sbin/mosquitto
if [[ ! -x "$mosquitto_bin" && $command != sinks && $command != cluster ]]; then
  if command -v mosquitto >/dev/null 2>&1; then
    mosquitto_bin="$(command -v mosquitto)"
  else
    echo "[bench] installing mosquitto" >&2
    apt-get install -y mosquitto >/dev/null || { apt-get update >/dev/null && apt-get install -y mosquitto >/dev/null; }
  fi
fi

# Idle clients need as many descriptors in the driver and in each broker (children inherit this): 100,000 idle
# connections (raw-load --idle-clients 100000) need more than 100,000, which only a hard limit that high allows.
wanted_files=110000
hard_limit="$(ulimit -Hn)"
if [[ "$hard_limit" == unlimited || "$hard_limit" -ge "$wanted_files" ]]; then
  ulimit -n "$wanted_files"
else
  ulimit -n "$hard_limit"
  echo "[bench] open-file limit is only $hard_limit: idle clients are capped below that" >&2
fi

# The Kafka and sink benchmarks run Tributary as users do, from the application's runnable jar: build that too.
modules=bench
[[ $command == kafka || $command == sinks || $command == offline-sessions || $command == raw-load \
    || $command == link-kills || $command == cluster ]] && modules=bench,app
# The system hivemq-extension runs the extension's zip and HiveMQ CE's class path, both from that module's package.
[[ $command == kafka ]] && modules=bench,app,hivemq-extension
if [[ $build == 1 ]]; then
  echo "[bench] building (mvn ${maven_flags[*]} -DskipTests package -pl $modules -am)" >&2
  mvn "${maven_flags[@]}" -DskipTests package -pl "$modules" -am
fi

jar="bench/target/tributary-bench-0.1.0-SNAPSHOT.jar"
if [[ ! -f "$jar" || ! -d bench/target/lib ]]; then
  echo "[bench] $jar or bench/target/lib is missing: run without --no-build" >&2
  exit 1
fi

# The driver records the PID of every process it starts (the broker under test; for kafka also Kafka, Tributary,
# Mosquitto and the Camel bridge; for sinks Tributary, PostgreSQL and Kafka) in a file; should the driver die, the
# trap stops those processes.
mkdir -p bench/target/bench-run/pids
pid_file="bench/target/bench-run/broker.pid"
pid_dir="bench/target/bench-run/pids"
rm -f "$pid_file" "$pid_dir"/*.pid
stop_leftover_process() {
  local file="$1" pid
  [[ -f "$file" ]] || return 0
  pid="$(tr -dc '0-9' <"$file")"
  # Only a process this benchmark started: a main class of ours, Kafka, Tributary or PostgreSQL with data or
  # configuration under bench-run, or a mosquitto with our generated config. (PostgreSQL's backends end with it.)
  if [[ -n "$pid" && -r "/proc/$pid/cmdline" ]] \
      && tr '\0' ' ' <"/proc/$pid/cmdline" \
        | grep -Eq 'io\.tributary\.bench\.|EmbeddedKafkaMain --data-dir [^ ]*bench-run/|tributary\.jar run --config [^ ]*bench-run/|bin/postgres -D [^ ]*bench-run/|bench-run/.*mosquitto\.conf'; then
    echo "[bench] stopping leftover process $pid" >&2
    kill "$pid" 2>/dev/null || true
    sleep 2
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$file"
}
stop_leftovers() {
  local file
  for file in "$pid_file" "$pid_dir"/*.pid; do
    stop_leftover_process "$file"
  done
}
trap stop_leftovers EXIT

if [[ $command == link-kills ]]; then
  java -Xmx1g -XX:+UseG1GC -Dlogback.configurationFile=bench-logback.xml -Dbench.log.level=WARN \
    -Dbench.command="bench/run.sh link-kills${args[*]:+ ${args[*]}}" \
    -cp "$jar:bench/target/lib/*" \
    io.tributary.bench.BenchMain link-kills \
    --mosquitto "$mosquitto_bin" --app-jar app/target/tributary.jar \
    --work-dir bench/target/bench-run --results-dir bench/results \
    "${args[@]}"
  exit
fi

if [[ $command == sinks ]]; then
  java -Xmx2g -XX:+UseG1GC -Dlogback.configurationFile=bench-logback.xml -Dbench.log.level=WARN \
    -Dbench.command="bench/run.sh sinks${args[*]:+ ${args[*]}}" \
    -cp "$jar:bench/target/lib/*" \
    io.tributary.bench.BenchMain sinks \
    --mosquitto "$mosquitto_bin" --pid-dir "$pid_dir" --app-jar app/target/tributary.jar \
    --work-dir bench/target/bench-run --results-dir bench/results \
    "${args[@]}"
  exit
fi

if [[ $command == kafka || $command == offline-sessions || $command == raw-load || $command == cluster ]]; then
  java -Xmx2g -XX:+UseG1GC -Dlogback.configurationFile=bench-logback.xml -Dbench.log.level=WARN \
    -Dbench.command="bench/run.sh $command${args[*]:+ ${args[*]}}" \
    -cp "$jar:bench/target/lib/*" \
    io.tributary.bench.BenchMain "$command" \
    --mosquitto "$mosquitto_bin" --pid-dir "$pid_dir" --app-jar app/target/tributary.jar \
    --work-dir bench/target/bench-run --results-dir bench/results \
    "${args[@]}"
  exit
fi

java -Xmx2g -XX:+UseG1GC -Dlogback.configurationFile=bench-logback.xml -Dbench.log.level=WARN \
  -Dbench.command="bench/run.sh${args[*]:+ ${args[*]}}" \
  -cp "$jar:bench/target/lib/*" \
  io.tributary.bench.BenchMain compare \
  --mosquitto "$mosquitto_bin" --pid-file "$pid_file" \
  --work-dir bench/target/bench-run --results-dir bench/results \
  "${args[@]}"
