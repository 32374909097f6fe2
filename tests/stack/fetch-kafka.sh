#!/usr/bin/env bash
# Fetches the Apache Kafka broker jars (kafka_2.13 + a log4j 1 backend) from
# Maven Central into ~/.cache/realstack/kafka-<version>/libs and prints that
# dir on stdout. Progress goes to stderr. About 50 MB, under a minute.
set -euo pipefail
KAFKA_VERSION=3.9.1
CACHE_DIR="${REALSTACK_CACHE:-$HOME/.cache/realstack}"
# The pom's hash in the path: a changed dependency list fetches a fresh set.
POM="$(dirname "$0")/kafka/pom.xml"
OUT="$CACHE_DIR/kafka-$KAFKA_VERSION-$(sha256sum "$POM" | cut -c1-8)/libs"
if [[ -f "$OUT/.complete" ]]; then
  echo "$OUT"
  exit 0
fi
command -v mvn >/dev/null || { echo "fetch-kafka: mvn is not installed (apt-get install -y maven)" >&2; exit 1; }
echo "fetch-kafka: Kafka $KAFKA_VERSION jars from Maven Central into $OUT" >&2
rm -rf "$OUT"
mkdir -p "$OUT"
# The plugin is pinned: Maven 3.8's default maven-dependency-plugin is old.
mvn -B -q -f "$POM" \
  org.apache.maven.plugins:maven-dependency-plugin:3.6.1:copy-dependencies \
  -DincludeScope=runtime -DoutputDirectory="$OUT" >&2
touch "$OUT/.complete"
echo "$OUT"
