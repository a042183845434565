# tests/trace/log-lib.sh: what the tests of trace mode's memaudit logs share (sourced after
# tests/lib.sh and tests/trace/lib.sh). They read the logs memaudit-trace writes without --dump,
# through memaudit-report --format json, as a user of the preload library would.
#
#   log_setup [lockable]                        skip unless memaudit-trace, the report tool and jq
#                                               are there (and a page can be locked); $T (tmpdir)
#                                               unless made already, and $T/logs
#   run_logged DIR [VAR=VALUE...] CMD ARGS...   CMD under memaudit-trace, its logs in DIR, the
#                                               variables set for both (bounded)
#   site_frame0 REPORT OP                       "FUNCTION BASENAME:LINE" of the first frame of
#                                               each call site OP of the first process, sorted

run_logged() {
	_dir=$1
	shift
	_n=$# _at=
	for _a in "$@"; do
		case $_a in
		*=*) ;;
		*) [ -n "$_at" ] || { _at=1; set -- "$@" "$MEMAUDIT_TRACE" --; } ;;
		esac
		set -- "$@" "$_a"
	done
	shift "$_n"
	$bound env MEMAUDIT_LOG_DIR="$_dir" "$@"
}

site_frame0() {
	"$JQ" -r --arg op "$2" '.processes[0].sites[] | select(.op == $op) | .frames[0]
		| "\(.function) \(.file // "" | split("/") | last):\(.line)"' "$1" | LC_ALL=C sort -u
}

log_setup() {
	require_trace
	require_report
	[ "${1:-}" != lockable ] || require_lockable
	[ -n "$T" ] || tmpdir
	mkdir -p "$T/logs"
}
