#!/bin/sh
# The image's entry point. With TRIBUTARY_MQTT_ADMIN_PASSWORD set, the user `admin` of the MQTT password file is
# written with that password first (the file is created, owner-only, if missing), so that the stack has a first
# user without a file to mount; without it, the password file must exist already (mounted, or made with
# `tributary passwd`). The password goes through standard input, never the command line.
set -eu
password_file="${TRIBUTARY_PASSWORD_FILE:-/data/passwd}"
if [ -n "${TRIBUTARY_MQTT_ADMIN_PASSWORD:-}" ]; then
  printf '%s\n' "$TRIBUTARY_MQTT_ADMIN_PASSWORD" | java -jar /app/tributary.jar passwd "$password_file" admin
fi
# JAVA_OPTS holds several options: split into words on purpose.
# shellcheck disable=SC2086
exec java ${JAVA_OPTS:-} -jar /app/tributary.jar "$@"
