#!/usr/bin/env bash
# `make demo-varnish`: the demo (runserver on $PORT) behind Varnish on
# $VARNISH_PORT, with the shipped VCL (deploy/varnish/filmblog.vcl). The app
# purges Varnish by tag when an edit commits. Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
VARNISH_PORT=${VARNISH_PORT:-6081}
VARNISHD=$(command -v varnishd || echo /usr/sbin/varnishd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/filmblog-varnish-XXXXXX")
chmod 755 "$WORK"
cat > "$WORK/backends.vcl" <<VCL
vcl 4.1;
backend app {
    .host = "$HOST";
    .port = "$PORT";
    .first_byte_timeout = 60s;
    .probe = { .url = "/healthz/"; .interval = 1s; .timeout = 2s; .window = 3; .threshold = 2; }
}
acl purgers { "127.0.0.1"; "::1"; }
VCL
"$VARNISHD" -n "$WORK/n" -a "$HOST:$VARNISH_PORT" -f "$PWD/deploy/varnish/filmblog.vcl" \
  -p "vcl_path=$WORK:$PWD/deploy/varnish" -s malloc,128m -T none -P "$WORK/varnishd.pid"
trap 'kill "$(cat "$WORK/varnishd.pid")" 2>/dev/null || true; rm -rf "$WORK"' EXIT
echo ""
echo "  Through Varnish: http://$HOST:$VARNISH_PORT/   (X-Cache: hit, miss, stale or pass)"
echo "  The app itself:  http://$HOST:$PORT/"
echo ""
VARNISH_PURGE_URLS="http://$HOST:$VARNISH_PORT" .venv/bin/python manage.py runserver "$HOST:$PORT"
