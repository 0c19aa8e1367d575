#!/bin/bash
# Stands in for Kafka's tool of that name in health checks (the tools jar is not among the broker's
# jars): `--bootstrap-server host:port` answers an ApiVersions v0 request with error code 0, else exit 1.
set -euo pipefail
server=localhost:9092
while [ $# -gt 0 ]; do
  case "$1" in --bootstrap-server) server="$2"; shift 2 ;; *) shift ;; esac
done
exec 3<>"/dev/tcp/${server%:*}/${server##*:}"
# size=18 | api_key=18 | api_version=0 | correlation_id="KAFK" | client_id="kafka.sh"
printf '\x00\x00\x00\x12\x00\x12\x00\x00\x4b\x41\x46\x4b\x00\x08kafka.sh' >&3
hdr="$(timeout 5 head -c 10 <&3 | od -An -tx1 | tr -d ' \n')"
[ "${hdr:8:8}" = 4b41464b ] && [ "${hdr:16:4}" = 0000 ] && echo "$server answers ApiVersions"
