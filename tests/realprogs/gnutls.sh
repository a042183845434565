#!/bin/sh
# GnuTLS (Debian package gnutls-bin): gnutls-serv and gnutls-cli, one TLS handshake and one line of
# data, as a control. libgnutls (with nettle) neither locks nor advises memory (it imports no
# mlock or madvise), so the shim must report no finding at all on either side: an earlier run of
# this pair got false unlock-collateral and realloc-protected errors (issue 9).
#
# gnutls-serv listens on every address and has no option to choose one, so both ends run in a
# network namespace of their own (unshare -n) whose only interface is loopback: 127.0.0.1 only.
# The server is stopped with SIGTERM after the exchange and bounded by timeout(1).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
. "$top_srcdir/tests/realprogs/common.sh"
require_report
need_prog gnutls-serv gnutls-bin
need_prog gnutls-cli gnutls-bin
need_prog certtool gnutls-bin
is_root || skip_all "not root: the private network namespace (unshare -n) needs root"
command -v unshare >/dev/null 2>&1 && command -v ip >/dev/null 2>&1 ||
	skip_all "unshare (util-linux) or ip (iproute2) not found"
unshare -n ip link set lo up 2>/dev/null || skip_all "cannot make a network namespace here (unshare -n)"
tmpdir

certtool --generate-privkey --key-type ecdsa --outfile "$T/key.pem" >/dev/null 2>&1
printf 'cn = localhost\nexpiration_days = 2\ntls_www_server\nsigning_key\n' >"$T/tmpl"
certtool --generate-self-signed --load-privkey "$T/key.pem" --template "$T/tmpl" \
	--outfile "$T/cert.pem" >/dev/null 2>&1
[ -s "$T/cert.pem" ] || skip_all "certtool could not make a self-signed certificate"
mkdir "$T/logs"
export T MEMAUDIT_SHIM
unshare -n sh -c '
	ip link set lo up || exit 99
	LD_PRELOAD=$MEMAUDIT_SHIM MEMAUDIT_LOG_DIR=$T/logs timeout 30 gnutls-serv --echo --port 15443 \
		--x509keyfile "$T/key.pem" --x509certfile "$T/cert.pem" >"$T/serv.out" 2>&1 &
	spid=$!
	st=1 i=0
	while [ $i -lt 20 ]; do
		echo "hello over tls" | LD_PRELOAD=$MEMAUDIT_SHIM MEMAUDIT_LOG_DIR=$T/logs \
			timeout 10 gnutls-cli --port 15443 --x509cafile "$T/cert.pem" localhost >"$T/cli.out" 2>&1 &&
			{ st=0; break; }
		sleep 0.2
		i=$((i + 1))
	done
	kill -TERM $spid
	wait $spid
	exit $st'
is "$?" 0 "gnutls-cli completes a handshake with gnutls-serv on 127.0.0.1 under the shim"
ok "the server echoed the line back" grep -q 'hello over tls' "$T/cli.out"
if make_report "$T/logs" "$T/r.json" "memaudit-report reads the logs"; then
	jq_ok "$T/r.json" '[.processes[] | .exe] | any(endswith("/gnutls-serv")) and any(endswith("/gnutls-cli"))' \
		"both gnutls-serv and gnutls-cli were audited"
	jq_is "$T/r.json" '[.processes[].sites[] | select(.op | test("lock|advise"))] | length' 0 \
		"neither side locks or advises memory"
	jq_is "$T/r.json" '[.processes[].findings[]] | length' 0 "no finding at all"
fi
done_testing
