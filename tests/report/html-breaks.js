/* html-breaks.js: appended to a copy of the HTML report by tests/report/html.sh (the report itself
 * has no script). After layout it looks at every character of every table cell, and finds the
 * line breaks that cut a word: between two word characters ([A-Za-z0-9_]) of one block of text,
 * the browser put the second on a lower line ("new_secre|t", "ENOME|M", "app+0x10|00", which
 * overflow-wrap: anywhere makes); in a file name (class "file"), any break but after a '/'
 * ("wt-|sarif/" too). Breaks at spaces and, in prose, after a hyphen are allowed. It writes
 * "breaks: N", then up to 20 of them as "before|after", into <pre id="memaudit-breaks">, which
 * chromium --dump-dom prints. */
(function () {
	"use strict";
	var word = /[A-Za-z0-9_]/, found = [], range = document.createRange();

	/* the nearest ancestor of node that is not laid out inline: its lines are one flow */
	function block(node) {
		var e = node.parentElement;

		while (e && getComputedStyle(e).display.indexOf("inline") === 0)
			e = e.parentElement;
		return e;
	}
	document.querySelectorAll("td, th").forEach(function (cell) {
		var walk = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT), node;
		var prev = null; /* the last character laid out: top, ch, block, text before it */

		while ((node = walk.nextNode())) {
			var b = block(node), file = node.parentElement.closest(".file") !== null;

			for (var i = 0; i < node.data.length; i++) {
				var ch = node.data[i], rects;

				range.setStart(node, i);
				range.setEnd(node, i + 1);
				rects = range.getClientRects();
				if (!rects.length || /\s/.test(ch)) {
					prev = null;
					continue;
				}
				if (prev && prev.block === b && rects[0].top > prev.top + 1 &&
				    ((word.test(prev.ch) && word.test(ch)) || (file && prev.ch !== "/")))
					found.push(prev.text + "|" + node.data.substr(i, 12));
				prev = { top: rects[0].top, ch: ch, block: b,
					 text: node.data.substring(Math.max(0, i - 11), i + 1) };
			}
		}
	});
	var pre = document.createElement("pre");

	pre.id = "memaudit-breaks";
	pre.textContent = "breaks: " + found.length + "\n" + found.slice(0, 20).join("\n");
	document.body.appendChild(pre);
})();
