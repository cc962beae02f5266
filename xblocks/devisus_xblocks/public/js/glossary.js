/* DEVISUS glossary XBlock: search as you type, deep links, and the practice form.
 *
 * The page works without this script: the full glossary is rendered on the server. The script
 * adds search (in the browser, over the folded texts each entry carries in data-search-*),
 * highlights the term a deep link points to, and runs the practice exercise.
 *
 * Entry ids are <uid>-term-<slug>, unique on the page. The public deep links
 * #devisus-glossary-<slug> and ?term=<slug> (e.g. from an HTML unit) are resolved by the first
 * reference glossary on the page; #<uid>-term-<slug> by the glossary it belongs to. In the
 * Learning MFE, where the unit is an iframe, the page's hash arrives as a {hashName} message
 * from the parent window, accepted from the MFE's origin only (args.parent_origins).
 * Texts from the server are inserted with textContent, never as HTML.
 */
function DevisusGlossary(runtime, element, args) {
    "use strict";

    var root = element && element.jquery ? element[0] : element;
    var block = root.querySelector(".devisus-glossary") || root;
    var messages = (args && args.messages) || {};
    var status = block.querySelector(".devisus-glossary-status");
    var SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

    function post(handler, data) {
        return window.DevisusHandlers.post(runtime, root, handler, data).catch(function (problem) {
            throw new Error((problem && problem.reply && problem.reply.error) || messages.error || "Error");
        });
    }

    function say(text) {
        if (status) {
            status.textContent = text || "";
        }
    }

    function make(tag, className, text) {
        var node = document.createElement(tag);
        if (className) {
            node.className = className;
        }
        if (text !== undefined && text !== null) {
            node.textContent = text;
        }
        return node;
    }

    /* ---------------------------------------------------------------- reference mode */

    // The same folding as search.py's fold(): lower case, NFKD, combining marks removed, then
    // the ligature table the server sends (œ -> oe, æ -> ae, ß -> ss...), spaces collapsed.
    var LIGATURES = (args && args.fold) || {};
    var MARKS = /\p{Mn}/gu;

    function fold(text) {
        var folded = String(text || "").toLowerCase().normalize("NFKD").replace(MARKS, "");
        return Array.from(folded, function (char) {
            return Object.prototype.hasOwnProperty.call(LIGATURES, char) ? LIGATURES[char] : char;
        }).join("").split(/\s+/).filter(Boolean).join(" ");
    }

    // Python-style "%(name)s" placeholders in the translated messages.
    function format(template, params) {
        return String(template || "").replace(/%(?:\((\w+)\)s|%)/g, function (match, name) {
            return name ? String(params[name]) : "%";
        });
    }

    function decodedSuffix(text, prefix) {
        if (!text || text.indexOf(prefix) !== 0) {
            return null;
        }
        try {
            return decodeURIComponent(text.slice(prefix.length));
        } catch (error) {  // a malformed escape such as %E0
            return null;
        }
    }

    function setUpReference() {
        var searchBox = block.querySelector(".devisus-glossary-search");
        var input = block.querySelector(".devisus-glossary-search-input");
        var sections = block.querySelector(".devisus-glossary-sections");
        var index = block.querySelector(".devisus-glossary-index");
        var results = block.querySelector(".devisus-glossary-results");
        var resultsList = block.querySelector(".devisus-glossary-results-list");
        var entries = Array.prototype.slice.call(block.querySelectorAll(".devisus-glossary-entry"));
        var homes = entries.map(function (entry) { return entry.parentNode; });
        var entryPrefix = args.entry_prefix;
        // Public deep links name no block: the first reference glossary on the page takes them.
        var primary = document.querySelector(".devisus-glossary-reference") === block;
        var bySlug = {};
        var announce = null;
        var searching = false;
        // Who may send this unit a deep link when it is framed: its own origin and the Learning
        // MFE's (from the LMS's LEARNING_MICROFRONTEND_URL, see common/mfe.py).
        var parentOrigins = [window.location.origin].concat((args && args.parent_origins) || []);
        var lastHashName = null;

        entries.forEach(function (entry) { bySlug[entry.getAttribute("data-slug")] = entry; });

        function restore() {
            entries.forEach(function (entry, position) { homes[position].appendChild(entry); });
            results.hidden = true;
            sections.hidden = false;
            index.hidden = false;
            searching = false;
        }

        function show(found) {
            resultsList.textContent = "";
            found.forEach(function (entry) { resultsList.appendChild(entry); });
            sections.hidden = true;
            index.hidden = true;
            results.hidden = false;
            searching = true;
        }

        function hasAll(text, words) {
            return words.every(function (word) { return text.indexOf(word) !== -1; });
        }

        // Best first: the term starts with the query, the term holds every word, the other
        // language's term does, then the texts together (with the definition) do.
        function rank(entry, query, words) {
            var term = entry.getAttribute("data-search-term") || "";
            var other = entry.getAttribute("data-search-other") || "";
            if (term.indexOf(query) === 0) {
                return 0;
            }
            if (hasAll(term, words)) {
                return 1;
            }
            if (hasAll(other, words)) {
                return 2;
            }
            if (hasAll(term + " " + other + " " + (entry.getAttribute("data-search-definition") || ""), words)) {
                return 3;
            }
            return -1;
        }

        function matches(query) {
            var words = query.split(" ");
            var ranks = [[], [], [], []];
            entries.forEach(function (entry) {  // entries are in alphabetical order
                var found = rank(entry, query, words);
                if (found >= 0) {
                    ranks[found].push(entry);
                }
            });
            return [].concat(ranks[0], ranks[1], ranks[2], ranks[3]);
        }

        function runSearch() {
            var raw = input.value;
            var query = fold(raw);
            var message;
            if (!query) {
                restore();
                message = messages.all_terms;
            } else {
                var found = matches(query);
                show(found);
                message = found.length
                    ? format(messages.matching, {count: found.length})
                    : format(messages.no_match, {query: raw.trim()});
            }
            // Results follow each keystroke; the live region only speaks once typing pauses.
            clearTimeout(announce);
            announce = setTimeout(function () { say(message); }, 300);
        }

        function clearSearch() {
            if (input && input.value) {
                input.value = "";
                clearTimeout(announce);
                restore();
            }
        }

        function reveal(slug, moveFocus) {
            var entry = SLUG.test(slug || "") && Object.prototype.hasOwnProperty.call(bySlug, slug) ? bySlug[slug] : null;
            if (!entry) {
                return false;
            }
            if (searching) {
                clearSearch();
            }
            entries.forEach(function (other) { other.classList.remove("devisus-glossary-highlight"); });
            entry.classList.add("devisus-glossary-highlight");
            if (entry.scrollIntoView) {
                entry.scrollIntoView({block: "start"});
            }
            if (moveFocus) {
                entry.focus({preventScroll: true});
            }
            return true;
        }

        // The slug a hash points to in this block: its own entry ids, or (first reference
        // glossary only) the public #devisus-glossary-<slug>. Null otherwise.
        function slugFromHash(hash) {
            var own = decodedSuffix(hash, "#" + entryPrefix);
            if (own !== null) {
                return own;
            }
            return primary ? decodedSuffix(hash, "#" + args.anchor_prefix) : null;
        }

        // The Learning MFE shows the unit in an iframe and sends it the page's hash as
        // {hashName: "#..."}, again each time the iframe is resized (frontend-app-learning
        // src/courseware/course/sequence/Unit/hooks/useIFrameBehavior.ts). The LMS's listener
        // (edx-platform lms/templates/courseware/courseware-chromeless.html) answers {offset} for
        // an element with that id; no element carries the public id, so this block answers for
        // its terms, once per hash (a repeated message must not undo the learner's search).
        function onParentMessage(event) {
            if (window.parent === window || event.source !== window.parent
                    || parentOrigins.indexOf(event.origin) === -1) {
                return;
            }
            var data = event.data;
            if (!data || typeof data !== "object" || typeof data.hashName !== "string"
                    || data.hashName.length > 200 || data.hashName === lastHashName) {
                return;
            }
            var slug = slugFromHash(data.hashName);
            if (!slug || !reveal(slug, true)) {
                return;
            }
            lastHashName = data.hashName;
            // The MFE scrolls its page to this offset within the iframe (and ignores 0).
            var top = bySlug[slug].getBoundingClientRect().top + window.pageYOffset;
            event.source.postMessage({offset: Math.max(1, Math.round(top))}, event.origin);
        }

        // A link to #devisus-glossary-<slug> elsewhere on the page (an HTML component of the same
        // unit) is followed here, not by the browser: in the MFE's iframe the LMS sets
        // <base target="_parent"> (courseware-chromeless.html), so the browser would load the
        // unit's bare LMS page in place of the whole MFE.
        function onPageLinkClick(event) {
            if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey
                    || event.shiftKey || event.altKey) {
                return;
            }
            var link = event.target.closest ? event.target.closest("a[href^='#']") : null;
            if (!link || block.contains(link)) {
                return;
            }
            var href = link.getAttribute("href");
            var slug = decodedSuffix(href, "#" + args.anchor_prefix);
            if (slug && reveal(slug, true)) {
                event.preventDefault();
                if (window.history && window.history.replaceState) {
                    window.history.replaceState(null, "", href);
                }
            }
        }

        function revealFromLocation() {
            var slug = slugFromHash(window.location.hash);
            if (!slug && primary && window.URLSearchParams) {
                slug = new URLSearchParams(window.location.search).get("term");
            }
            if (slug) {
                reveal(slug, true);
            }
        }

        if (searchBox && input) {
            searchBox.hidden = false;
            input.addEventListener("input", runSearch);
            input.addEventListener("keydown", function (event) {
                if (event.key === "Escape" && input.value) {
                    event.preventDefault();
                    clearSearch();
                    say(messages.all_terms);
                }
            });
        }

        // Related-term links and index links: leave search results, then highlight and focus.
        block.addEventListener("click", function (event) {
            var link = event.target.closest ? event.target.closest("a[href^='#']") : null;
            if (!link || !block.contains(link)) {
                return;
            }
            var href = link.getAttribute("href");
            var slug = decodedSuffix(href, "#" + entryPrefix);
            if (slug && reveal(slug, true)) {
                event.preventDefault();
                if (window.history && window.history.replaceState) {
                    window.history.replaceState(null, "", href);
                }
            } else if (link.classList.contains("devisus-glossary-index-link")) {
                var heading = document.getElementById(href.slice(1));
                if (heading && block.contains(heading)) {
                    event.preventDefault();
                    heading.scrollIntoView({block: "start"});
                    heading.focus({preventScroll: true});
                }
            }
        });
        window.addEventListener("hashchange", function () {
            var slug = slugFromHash(window.location.hash);
            if (slug) {
                reveal(slug, true);
            }
        });
        window.addEventListener("message", onParentMessage);
        if (primary) {
            document.addEventListener("click", onPageLinkClick);
        }
        revealFromLocation();
    }

    /* ---------------------------------------------------------------- practice mode */

    function setUpPractice() {
        var checkButton = block.querySelector(".devisus-glossary-check");
        var newRoundButton = block.querySelector(".devisus-glossary-new-round");
        var progress = block.querySelector(".devisus-glossary-progress");
        var busy = false;

        function selects() {
            return Array.prototype.slice.call(block.querySelectorAll(".devisus-glossary-select"));
        }

        function setAnswered(answered) {
            block.setAttribute("data-answered", answered ? "true" : "false");
            checkButton.hidden = answered;
            newRoundButton.hidden = !answered;
            selects().forEach(function (select) { select.disabled = answered; });
        }

        function check() {
            var answers = {};
            var missing = null;
            selects().forEach(function (select) {
                select.removeAttribute("aria-invalid");
                if (select.value) {
                    answers[select.name] = select.value;
                } else {
                    select.setAttribute("aria-invalid", "true");
                    missing = missing || select;
                }
            });
            if (missing) {
                say(messages.choose_all);
                missing.focus();
                return;
            }
            busy = true;
            post("submit_practice", {round: Number(block.getAttribute("data-round")), answers: answers})
                .then(function (reply) {
                    reply.items.forEach(function (item) {
                        var row = SLUG.test(item.slug)
                            ? block.querySelector(".devisus-glossary-item[data-slug='" + item.slug + "']") : null;
                        if (!row) {
                            return;
                        }
                        row.classList.toggle("devisus-glossary-item-correct", item.correct);
                        row.classList.toggle("devisus-glossary-item-incorrect", !item.correct);
                        row.querySelector(".devisus-glossary-feedback").textContent = item.feedback;
                    });
                    setAnswered(true);
                    progress.textContent = reply.progress;
                    say(reply.summary);
                    newRoundButton.focus();
                }, function (error) { say(error.message); })
                .then(function () { busy = false; });
        }

        function rebuild(reply) {
            var list = block.querySelector(".devisus-glossary-definitions");
            var items = block.querySelector(".devisus-glossary-items");
            list.textContent = "";
            reply.definitions.forEach(function (definition) {
                var li = make("li", "devisus-glossary-definition-item");
                li.id = definition.id;
                li.appendChild(make("span", "devisus-glossary-definition-letter", definition.letter + "."));
                li.appendChild(document.createTextNode(" "));
                var text = make("span", "devisus-glossary-definition-text", definition.text);
                text.lang = args.language;
                li.appendChild(text);
                list.appendChild(li);
            });
            items.textContent = "";
            reply.items.forEach(function (item) {
                var row = make("div", "devisus-glossary-item");
                var label = make("label", "devisus-glossary-item-label");
                var select = make("select", "devisus-glossary-select");
                var feedback = make("p", "devisus-glossary-feedback");
                row.setAttribute("data-slug", item.slug);
                label.htmlFor = item.select_id;
                var term = make("span", "devisus-glossary-item-term", item.term);
                term.lang = args.language;
                label.appendChild(term);
                if (item.other_term) {
                    var other = make("span", "devisus-glossary-other", "(" + item.other_term + ")");
                    other.lang = args.other_language;
                    label.appendChild(document.createTextNode(" "));
                    label.appendChild(other);
                }
                select.id = item.select_id;
                select.name = item.slug;
                select.setAttribute("aria-describedby", item.feedback_id);
                select.appendChild(new Option(messages.choose, ""));
                reply.definitions.forEach(function (definition) {
                    var option = new Option(definition.option, definition.letter);  // never a slug: see presenter.py
                    option.lang = args.language;
                    select.appendChild(option);
                });
                feedback.id = item.feedback_id;
                row.appendChild(label);
                row.appendChild(select);
                row.appendChild(feedback);
                items.appendChild(row);
            });
            block.setAttribute("data-round", String(reply.round));
            progress.textContent = reply.progress;
        }

        function newRound() {
            busy = true;
            post("new_round", {round: Number(block.getAttribute("data-round"))})
                .then(function (reply) {
                    rebuild(reply);
                    setAnswered(false);
                    say(reply.message);
                    var first = selects()[0];
                    if (first) {
                        first.focus();
                    }
                }, function (error) { say(error.message); })
                .then(function () { busy = false; });
        }

        checkButton.addEventListener("click", function () { if (!busy) { check(); } });
        newRoundButton.addEventListener("click", function () { if (!busy) { newRound(); } });
        block.querySelector(".devisus-glossary-form").addEventListener("submit", function (event) {
            event.preventDefault();
            if (!busy && !checkButton.hidden) {
                check();
            }
        });
    }

    if (args && args.mode === "practice") {
        setUpPractice();
    } else {
        setUpReference();
    }
}
