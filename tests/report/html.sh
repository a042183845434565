#!/bin/sh
# memaudit-report --format html: one self-contained page (no script, nothing fetched from outside)
# with, per process, the header, the locked-memory chart (an inline SVG step line against the
# 32 KiB, 64 KiB, 8 MiB and configured limits), the call site, what-if and findings tables and the
# totals; everything from the log escaped. The page is checked as text, then rendered by headless
# Chromium (Debian package chromium): the DOM it builds, its console (a control page shows that
# console messages are seen), a screenshot (decoded by png-colours.py: the chart's colours are
# on screen), and where it laid out the characters of each table cell (html-breaks.js: no word
# broken across lines). Without Chromium the browser checks are skipped with the reason.
. "$top_srcdir/tests/report/report-lib.sh"

plan 54

here=$top_srcdir/tests/report
html=$tmp/report.html

# strip FILE: the text of an HTML file without its tags, one line per line.
strip() {
	sed -e 's/<[^>]*>//g' "$1"
}

# The elements the report is made of; anything else in a page came from a log.
elements='a b body circle code dd details div dl dt figcaption figure g h1 h2 h3 h4 head html
li line meta ol p path polyline section span style summary svg table tbody td text th thead title
tr ul wbr'

# markup_ok FILE NAME: a test that FILE (a page or a serialized DOM, where text never holds a raw
# '<') has only the report's own elements and no event handler attribute.
markup_ok() {
	_foreign=$(grep -o '<[a-zA-Z][a-zA-Z0-9]*' "$1" | tr -d '<' | tr 'A-Z' 'a-z' | sort -u |
		while read -r _e; do
			case " $(echo $elements) " in *" $_e "*) ;; *) printf '%s ' "$_e" ;; esac
		done)
	_handlers=$(grep -o '<[a-zA-Z][^>]*>' "$1" | grep -E -i ' on[a-z]+=["'"'"']' | head -3)
	if [ -z "$_foreign$_handlers" ]; then
		ok 0 "$2"
	else
		ok 1 "$2"
		echo "#   elements not the report's own: $_foreign"
		echo "$_handlers" | sed 's/^/#   handler: /'
	fi
}

# absent FILE PATTERN NAME: a test that no line of FILE matches the extended regexp PATTERN
# (case-insensitive).
absent() {
	if grep -E -i -q -- "$2" "$1"; then
		ok 1 "$3"
		grep -E -i -n -- "$2" "$1" | head -5 | sed 's/^/#   | /'
	else
		ok 0 "$3"
	fi
}

# ---------------------------------------------------------------------------------------------
# The page as text

run_report --format html -o "$html" "$(fixture whatif.jsonl)"
is "$rc" 1 "whatif.jsonl: exit status 1 (error findings), as for text"
is "$(head -n 1 "$html")" "<!DOCTYPE html>" "an HTML5 document"
absent "$html" '<script|<link|<iframe|<img|<object|<embed|@import|url\(' \
	"no script, link, frame, image, @import or url(): nothing outside the file"
absent "$html" ' (src|srcset|action|data)=' "no src, srcset, action or data attribute"
is "$(grep -E -o 'href="[^"]*"' "$html" | grep -v '^href="#' | head -n 3)" "" \
	"every href is an anchor in the page"

# the chart
grep_ok "$html" '<svg class="chart" viewBox="0 0 [0-9]+ [0-9]+"' "an inline SVG chart"
limits=$(grep -E -o 'class="limit[^"]*" data-limit="[0-9]+"' "$html" | sed 's/class=//')
is "$(echo $limits)" \
	'"limit" data-limit="32768" "limit configured" data-limit="65536" "limit" data-limit="8388608"' \
	"limit lines at 32 KiB, 64 KiB (the configured limit, not drawn twice) and 8 MiB"
for label in '32 KiB' '64 KiB = configured limit' '8 MiB'; do
	grep_ok "$html" "<text class=\"limit-label\"[^>]*>$label</text>" "limit line labelled $label"
done
# points FILE: the number of points of the step line in the HTML file FILE.
points() {
	sed -n 's/.*<polyline class="locked"[^>]* points="\([^"]*\)".*/\1/p' "$1" | wc -w
}
is "$(points "$html")" 36 \
	"the step line: the start, two corners for each of the 17 changes, the end (36 points)"
grep_ok "$html" 'locked bytes \(log scale\)' "vertical axis labelled, log scale"
grep_ok "$html" 'time since the program started \(&#181;s\)' "horizontal axis: time, in µs here"
grep_ok "$html" 'Vertical scale: logarithmic \(base 2\) from 1 KiB.*22 points, all drawn' \
	"the caption says which scale and how many points"
grep_ok "$html" '<text class="peak-label"[^>]*>peak 64 KiB</text>' "the peak is marked"

# the header, tables and totals
grep_ok "$html" '<dt>policy</dt><dd>enforce</dd>' "header: policy"
grep_ok "$html" '<dt>memlock limit</dt><dd>64 KiB</dd>' "header: limit"
grep_ok "$html" '<dt>status</dt><dd><span class="complete">complete</span> \(exit\)</dd>' \
	"header: complete, how it ended"
num='<td class="num">'
grep_ok "$html" "<tr><td class=\"op\">mlock</td>${num}18</td>${num}73728</td>${num}15</td>\
${num}64 KiB</td><td class=\"failures\">ENOMEM 3 \\(2 injected\\)</td>" \
	"site row: op, calls, bytes, pages, peak (in KiB, as in the text report), failures by errno"
grep_ok "$html" "<tr><td>32 KiB</td><td class=\"fails\">fails</td>${num}9</td><td>ENOMEM</td>" \
	"what-if row: the limit, the lock call that fails and its errno"
grep_ok "$html" \
	'<code class="rule-id">lock-limit</code> <span class="sev">error</span> 3 times at 2 call sites' \
	"findings grouped by rule"
grep_ok "$html" '<p class="fix"><b>Fix:</b> Lock one pool' "each rule's fix (policy/rules.c)"
is "$(grep -c '<tr class="finding">' "$html")" 4 "one row per (rule, stack)"
"$report" "$(fixture whatif.jsonl)" >"$tmp/text" 2>/dev/null
want=$(sed -n 's/^   totals: //p' "$tmp/text")
grep_ok "$html" "<b>Totals:</b> $want</p>" "totals as in the text report ($want)"
want=$(sed -n 's/^   locked:  //p' "$tmp/text")
grep_ok "$html" "<dt>locked</dt><dd>$want</dd>" "locked bytes as in the text report ($want)"
is "$(grep -o 'class="num">[^<]*</td>' "$html" |
	grep -c -v -E '>[0-9]+</td>$|>[0-9.]+ (B|KiB|MiB|GiB)</td>$')" \
	0 "every number cell is a count or a size with its unit"

# frames symbolized: the symprog program of symbolize.sh
if symprog_log "$tmp/sym.log"; then
	run_report --format html "$tmp/sym.log"
	fn='<td><code class="fn">lock_secret</code></td>'
	seg='<span class="seg">'
	name="${seg}symprog\\.c</span>:[0-9]+" # the file name after its directories
	file="<td class=\"file\">$seg/</span><wbr>($seg[^<]+/</span><wbr>)+$name</td>"
	module='<td><span class="module" title="[^"]*symprog">symprog\+0x'
	grep_ok "$tmp/out" "<td class=\"op\">mlock</td>.*$fn$file$module" \
		"site row: function, file:line (a <wbr> after each /) and module"
	grep_ok "$tmp/out" \
		"<li><code class=\"fn\">keep_secret</code> at <span class=\"file\">.*$name</span>" \
		"finding stacks are symbolized"
	cp "$tmp/out" "$tmp/sym.html"
else
	skip "symprog or nm missing"
	skip "symprog or nm missing"
fi

# hostile strings everywhere a log puts text
run_report --format html -o "$tmp/inject.html" "$(fixture html-inject.jsonl)"
is "$rc" 0 "html-inject.jsonl: exit status 0"
markup_ok "$tmp/inject.html" "markup from the log stays text: only the report's own elements"
grep_ok "$tmp/inject.html" \
	'&lt;script&gt;console\.error\(&#39;memaudit-injected-1&#39;\)&lt;/script&gt;' \
	"...escaped, and shown"
grep_ok "$tmp/inject.html" '&quot;&gt;&lt;img src=x onerror=&quot;' "...quotes escaped too"
grep_ok "$tmp/inject.html" '&lt;!-- \]\]&gt; &amp;amp; &#xfffd;&#xfffd;&#xfffd;</code>' \
	"control characters and bidi overrides shown as U+FFFD; & escaped"

# many events: the chart stays bounded and keeps the peak
awk 'BEGIN {
	print "{\"type\":\"header\",\"format\":\"memaudit-log\",\"version\":1,\"pid\":5,\"ppid\":1," \
	      "\"exe\":\"/bin/many\",\"argv\":[\"many\"],\"page_size\":4096," \
	      "\"memlock\":{\"simulated\":16777216},\"policy\":\"audit\"}"
	for (i = 1; i <= 30000; i++) {
		b = (i == 17000) ? 9437184 : 4096 * (i % 7)
		printf "{\"type\":\"event\",\"seq\":%d,\"t\":%d,\"op\":\"mlock\",\"len\":4096,", i, i * 1000
		printf "\"ok\":true,\"errno\":0,\"stack\":1,\"locked_bytes\":%d}\n", b
	}
	print "{\"type\":\"exit\",\"t\":30001000,\"how\":\"exit\",\"status\":0,\"locked_bytes\":0}"
}' >"$tmp/many.log"
run_report --format html "$tmp/many.log"
npoints=$(points "$tmp/out")
[ "$npoints" -gt 1000 ] && [ "$npoints" -le 8200 ]
ok $? "30000 events: at most 4 points per bucket of 2048 drawn ($npoints)"
grep_ok "$tmp/out" '<text class="peak-label"[^>]*>peak 9 MiB</text>' "...and the peak survives"
grep_ok "$tmp/out" '30001 points, downsampled to [0-9]+ of up to [0-9]+ points each' \
	"...the caption says it was downsampled"
grep_ok "$tmp/out" 'class="limit configured" data-limit="16777216"' \
	"a configured limit that is no standard one gets its own line"

run_report --format html "$(fixture hostile.jsonl)"
grep_ok "$tmp/out" 'event number \(the log.s seq\)' \
	"events without a time: the horizontal axis is the event number"
grep_ok "$tmp/out" '<dt>status</dt><dd><span class="incomplete">incomplete</span>: log cut short' \
	"an incomplete log says why"

# ---------------------------------------------------------------------------------------------
# The page in a browser

browser=${CHROMIUM:-$(command -v chromium || command -v chromium-browser)}

# browse OUT ERR ARGS...: headless Chromium with a private profile and no network (every request
# goes to a closed port on loopback, no name resolves), console messages logged on ERR.
browse() {
	_out=$1 _err=$2
	shift 2
	mkdir -p "$tmp/home"
	HOME=$tmp/home timeout 60 "$browser" --headless --no-sandbox --disable-gpu \
		--user-data-dir="$tmp/profile" --no-first-run --disable-background-networking \
		--disable-component-update --disable-sync --disable-extensions \
		--proxy-server=127.0.0.1:9 --proxy-bypass-list='<-loopback>' \
		--host-resolver-rules='MAP * ~NOTFOUND' \
		--enable-logging=stderr --v=0 "$@" >"$_out" 2>"$_err"
}

# console_clean ERR NAME: a test that the browser logged no console message.
console_clean() {
	if grep -q ':CONSOLE' "$1"; then
		ok 1 "$2"
		grep ':CONSOLE' "$1" | head -5 | sed 's/^/#   | /'
	else
		ok 0 "$2"
	fi
}

if [ -z "$browser" ] || ! [ -x "$browser" ]; then
	for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15; do # the tests below
		skip "chromium is not installed (Debian package chromium)"
	done
	done_testing
fi

printf '%s\n' '<!DOCTYPE html><html><body><p>control</p>' \
	'<script>console.error("memaudit-control")</script></body></html>' >"$tmp/control.html"
browse "$tmp/control.dom" "$tmp/control.err" --dump-dom "file://$tmp/control.html"
grep_ok "$tmp/control.err" ':CONSOLE.*memaudit-control' \
	"the browser's console messages are seen (a control page that logs one)"

# the report: its DOM and a screenshot, in one run
browse "$tmp/report.dom" "$tmp/report.err" --hide-scrollbars --window-size=1000,900 \
	--screenshot="$tmp/shot.png" --dump-dom "file://$html"
console_clean "$tmp/report.err" "the report: no console message (no error, nothing refused)"
grep_ok "$tmp/report.dom" '<svg class="chart"' "the DOM has the chart"
is "$(grep -E -o '<line class="limit[^"]*" data-limit="[0-9]+"' "$tmp/report.dom" | wc -l)" 3 \
	"...with its three limit lines"
grep_ok "$tmp/report.dom" '<polyline class="locked"[^>]* points="[0-9]' "...and the step line"
grep_ok "$tmp/report.dom" '<td class="failures">ENOMEM 3 \(2 injected\)</td>' \
	"the DOM has the site table"
is "$(grep -c '<tr class="finding">' "$tmp/report.dom")" 4 "...and the finding rows"
if [ -s "$tmp/shot.png" ] && [ "$(head -c 4 "$tmp/shot.png" | tail -c 3)" = PNG ]; then
	ok 0 "a screenshot (PNG, $(wc -c <"$tmp/shot.png") bytes)"
else
	ok 1 "a screenshot"
	sed 's/^/#   | /' "$tmp/report.err" | tail -5
fi
if command -v python3 >/dev/null 2>&1; then
	python3 "$here/png-colours.py" "$tmp/shot.png" 1864ab c92a2a >"$tmp/shot.txt" 2>&1
	read -r width height colours <"$tmp/shot.txt"
	line=$(awk '$1 == "1864ab" { print $2 }' "$tmp/shot.txt")
	limit=$(awk '$1 == "c92a2a" { print $2 }' "$tmp/shot.txt")
	[ "$width" = 1000 ] && [ "$height" = 900 ] && [ "${colours:-0}" -gt 50 ]
	ok $? "the screenshot is 1000x900 and not one colour (${colours:-?} colours)"
	[ "${line:-0}" -gt 200 ] && [ "${limit:-0}" -gt 200 ]
	ok $? "the step line and the configured limit line are on screen ($line, $limit pixels)"
else
	skip "python3 missing: the screenshot is not decoded"
	skip "python3 missing: the screenshot is not decoded"
fi

# No word broken across lines in a table cell: html-breaks.js, added to a copy of the page,
# measures where each character of each cell was laid out and lists the breaks inside a word
# ("ENOME|M", "secret_allo|c"), and in file names any break but after a '/'. The window is narrow
# (600 pixels), so that a cell that could break a word would. A control page whose cell must
# break a word shows that the check sees one.
# breaks PAGE: "breaks: N" and the first of them, for PAGE as laid out by the browser.
breaks() {
	sed 's|</body>|<script src="html-breaks.js"></script></body>|' "$1" >"$tmp/breaks.html"
	cp "$here/html-breaks.js" "$tmp/html-breaks.js"
	browse "$tmp/breaks.dom" "$tmp/breaks.err" --window-size=600,900 --dump-dom \
		"file://$tmp/breaks.html"
	sed -n '/<pre id="memaudit-breaks">/,/<\/pre>/p' "$tmp/breaks.dom" |
		sed -e 's/.*<pre id="memaudit-breaks">//' -e 's|</pre>.*||' | head -4 | tr '\n' ' ' |
		sed 's/ *$//'
}
printf '%s\n' '<!DOCTYPE html><html><body><table><tr>' \
	'<td style="width:40px;overflow-wrap:anywhere">new_secret_value</td></tr></table>' \
	'</body></html>' >"$tmp/control-breaks.html"
got=$(breaks "$tmp/control-breaks.html")
case $got in
"breaks: "[1-9]*) ok 0 "the check sees a word broken in a cell (a control page: $got)" ;;
*) ok 1 "the check sees a word broken in a cell (a control page: $got)" ;;
esac
got=$(breaks "$html")
is "$got" "breaks: 0" "no word broken in a cell of the report, 600 pixels wide"
if [ -r "$tmp/sym.html" ]; then
	got=$(breaks "$tmp/sym.html")
	is "$got" "breaks: 0" "...nor in a report with functions and long file names"
else
	skip "symprog or nm missing: the report with file names"
fi

browse "$tmp/inject.dom" "$tmp/inject.err" --dump-dom "file://$tmp/inject.html"
console_clean "$tmp/inject.err" "hostile log: nothing from it ran (no console message)"
markup_ok "$tmp/inject.dom" "hostile log: the DOM has no element or handler from it"

done_testing
