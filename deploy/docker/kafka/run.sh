#!/bin/bash
# Writes server.properties from the KAFKA_* variables (as apache/kafka does: KAFKA_FOO_BAR → foo.bar,
# `__` → `_`, `___` → `-`), formats the KRaft storage once, and runs the broker in the foreground.
set -euo pipefail
props=/opt/kafka/config/server.properties
: >"$props"
while IFS='=' read -r name value; do
  case "$name" in KAFKA_HEAP_OPTS | KAFKA_JVM_OPTS | KAFKA_OPTS) continue ;; esac
  key="${name#KAFKA_}"
  key="$(printf '%s' "$key" | tr '[:upper:]' '[:lower:]' | sed -e 's/___/-/g' -e 's/__/@/g' -e 's/_/./g' -e 's/@/_/g')"
  printf '%s=%s\n' "$key" "$value" >>"$props"
done < <(env | grep -E '^KAFKA_[A-Z0-9_]+=' | sort)
grep -q '^log.dirs=' "$props" || echo "log.dirs=/var/lib/kafka/data" >>"$props"
cat >/opt/kafka/config/log4j2.properties <<'LOG'
status = warn
appender.out.type = Console
appender.out.name = STDOUT
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = info
rootLogger.appenderRef.out.ref = STDOUT
logger.request.name = kafka.request.logger
logger.request.level = warn
LOG
cp=(-cp '/opt/kafka/libs/*' -Dlog4j2.configurationFile=/opt/kafka/config/log4j2.properties)
logdir="$(sed -n 's/^log.dirs=//p' "$props" | cut -d, -f1)"
if [ ! -f "$logdir/meta.properties" ]; then
  java -Xmx256m -XX:TieredStopAtLevel=1 "${cp[@]}" kafka.tools.StorageTool format \
    -t "${CLUSTER_ID:-5L6g3nShT-eMCtK--X86sw}" -c "$props" --ignore-formatted
fi
# shellcheck disable=SC2086
exec java ${KAFKA_HEAP_OPTS:--Xms256m -Xmx768m} -server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
  -Djava.awt.headless=true ${KAFKA_JVM_OPTS:-} "${cp[@]}" kafka.Kafka "$props"
