#!/bin/sh
# mremap(MREMAP_MAYMOVE | MREMAP_DONTUNMAP, new_address): the fifth argument is the placement hint
# (mremap(2)); the wrapper must pass it on, and the move lands at the hint as without the shim
# (issue 10 item 12).
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib.sh"
require_shim
tmpdir

plain=$("$PROGS/mremap_hint")
[ "$plain" = unsupported ] && skip_all "MREMAP_DONTUNMAP needs Linux 5.7"
is "$plain" "at hint" "without the shim the move lands at the hint"
mkdir "$T/logs"
is "$(run_shimmed "$T/logs" "$PROGS/mremap_hint")" "at hint" "under the shim it lands at the hint too"
done_testing
