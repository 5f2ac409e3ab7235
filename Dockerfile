# syntax=docker/dockerfile:1
# Tributary's image: built from this checkout, run as a non-root user, data under the /data volume.
# docs/deploy.md describes the image and the docker-compose stack around it.

# --- Build: the shaded jar app/target/tributary.jar ---------------------------------------------------
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# The whole reactor is copied: Maven reads every module's pom even when building only `app` and what it
# needs. .dockerignore keeps target folders, data and the Git history out.
COPY . .
# The cache mount keeps downloaded dependencies between builds (BuildKit, the default builder).
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -q -DskipTests -Dassembly.skipAssembly=true package -pl app -am \
    && cp app/target/tributary.jar /tributary.jar

# --- Run --------------------------------------------------------------------------------------------------
# The Ubuntu-based Temurin JRE image ships curl, which the health check uses.
FROM eclipse-temurin:17-jre

RUN groupadd --system --gid 10001 tributary \
    && useradd --system --uid 10001 --gid tributary --home-dir /data --no-create-home --shell /usr/sbin/nologin tributary \
    && mkdir -p /app /data /etc/tributary /auth \
    && chown tributary:tributary /data /auth

COPY --from=build /tributary.jar /app/tributary.jar
# A default configuration (the compose stack's: Kafka at kafka:9092, PostgreSQL at postgres:5432).
# Mount your own over /etc/tributary/tributary.yaml, or give another file with `run --config`.
COPY deploy/tributary.yaml deploy/acl.conf /etc/tributary/
COPY deploy/docker-entrypoint.sh /app/docker-entrypoint.sh

# Created by the image with the right owner, so a new named volume starts writable by the tributary user.
# /auth is where the nodes of deploy/cluster share one password file (a named volume takes this owner too).
VOLUME ["/data"]
WORKDIR /data
USER tributary:tributary

# 1883 MQTT over TCP, 8083 MQTT over WebSocket (/mqtt), 8883 MQTT over TLS (when configured), 8080 the HTTP API.
EXPOSE 1883 8083 8883 8080

# Options for the JVM, split into words: e.g. JAVA_OPTS="-Xmx512m -XX:+ExitOnOutOfMemoryError".
ENV JAVA_OPTS="-XX:MaxRAMPercentage=75.0 -XX:+ExitOnOutOfMemoryError"
# The readiness endpoint of the HTTP API; change it when the configuration serves the API elsewhere.
ENV HEALTHCHECK_URL="http://127.0.0.1:8080/health/ready"

# Healthy while the API answers /health/ready with 200 (503 while Kafka or a database does not answer).
# The health endpoints need no token. /health/live answers as long as the process serves HTTP at all.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
    CMD curl -fsS -o /dev/null --max-time 4 "$HEALTHCHECK_URL" || exit 1

# deploy/docker-entrypoint.sh writes the MQTT user `admin` when TRIBUTARY_MQTT_ADMIN_PASSWORD is set, then runs
# java $JAVA_OPTS -jar /app/tributary.jar with CMD (or the arguments of `docker run IMAGE ...`) appended; `exec`
# makes java process 1, so `docker stop` (SIGTERM) shuts Tributary down cleanly.
ENTRYPOINT ["/bin/sh", "/app/docker-entrypoint.sh"]
CMD ["run", "--config", "/etc/tributary/tributary.yaml"]
