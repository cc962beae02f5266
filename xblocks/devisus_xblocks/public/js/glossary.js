/* DEVISUS glossary XBlock: search as you type, deep links, and the practice form.
 *
 * The page works without this script: the full glossary is rendered on the server. The script
 * adds search (ranked on the server by the `search` handler), highlights the term a deep link
 * points to (#devisus-glossary-<slug> or ?term=<slug>), and runs the practice exercise.
 * Texts from the server are inserted with textContent, never as HTML.
 */
function DevisusGlossary(runtime, element, args) {
    "use strict";

    var root = element && element.jquery ? element[0] : element;
    var block = root.querySelector(".devisus-glossary") || root;
    var messages = (args && args.messages) || {};
    var status = block.querySelector(".devisus-glossary-status");
    var SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

    function csrfToken() {
        var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
        return match ? decodeURIComponent(match[1]) : "";
    }

    function post(handler, data) {
        return fetch(runtime.handlerUrl(root, handler), {
            method: "POST",
            credentials: "same-origin",
            headers: {"Content-Type": "application/json", "X-CSRFToken": csrfToken()},
            body: JSON.stringify(data)
        }).then(function (response) {
            return response.json().catch(function () { return {}; }).then(function (reply) {
                if (!response.ok) {
                    throw new Error((reply && reply.error) || messages.error || "Error");
                }
                return reply;
            });
        }, function () {
            throw new Error(messages.error || "Error");
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

    function setUpReference() {
        var searchBox = block.querySelector(".devisus-glossary-search");
        var input = block.querySelector(".devisus-glossary-search-input");
        var sections = block.querySelector(".devisus-glossary-sections");
        var index = block.querySelector(".devisus-glossary-index");
        var results = block.querySelector(".devisus-glossary-results");
        var resultsList = block.querySelector(".devisus-glossary-results-list");
        var entries = Array.prototype.slice.call(block.querySelectorAll(".devisus-glossary-entry"));
        var homes = entries.map(function (entry) { return entry.parentNode; });
        var bySlug = {};
        var sequence = 0;
        var timer = null;
        var searching = false;

        entries.forEach(function (entry) { bySlug[entry.getAttribute("data-slug")] = entry; });

        function restore() {
            entries.forEach(function (entry, position) { homes[position].appendChild(entry); });
            results.hidden = true;
            sections.hidden = false;
            index.hidden = false;
            searching = false;
        }

        function show(slugs) {
            if (slugs === null) {
                restore();
                return;
            }
            resultsList.textContent = "";
            slugs.forEach(function (slug) {
                if (bySlug[slug]) {
                    resultsList.appendChild(bySlug[slug]);
                }
            });
            sections.hidden = true;
            index.hidden = true;
            results.hidden = false;
            searching = true;
        }

        function runSearch() {
            var query = input.value;
            var mine = ++sequence;
            if (!query.trim()) {
                show(null);
                say(messages.all_terms);
                return;
            }
            post("search", {query: query}).then(function (reply) {
                if (mine === sequence) {  // a later keystroke supersedes this reply
                    show(reply.slugs);
                    say(reply.message);
                }
            }, function (error) {
                if (mine === sequence) {
                    say(error.message);
                }
            });
        }

        function clearSearch() {
            if (input && input.value) {
                input.value = "";
                sequence++;
                show(null);
            }
        }

        function reveal(slug, moveFocus) {
            var entry = SLUG.test(slug || "") ? bySlug[slug] : null;
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

        function slugFromHash(hash) {
            var prefix = "#" + args.anchor_prefix;
            return hash && hash.indexOf(prefix) === 0 ? decodeURIComponent(hash.slice(prefix.length)) : null;
        }

        function revealFromLocation() {
            var slug = slugFromHash(window.location.hash);
            if (!slug && window.URLSearchParams) {
                slug = new URLSearchParams(window.location.search).get("term");
            }
            if (slug) {
                reveal(slug, true);
            }
        }

        if (searchBox && input) {
            searchBox.hidden = false;
            input.addEventListener("input", function () {
                clearTimeout(timer);
                timer = setTimeout(runSearch, 200);
            });
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
            var slug = slugFromHash(link.getAttribute("href"));
            if (slug && reveal(slug, true)) {
                event.preventDefault();
                if (window.history && window.history.replaceState) {
                    window.history.replaceState(null, "", "#" + args.anchor_prefix + slug);
                }
            } else if (link.classList.contains("devisus-glossary-index-link")) {
                var heading = block.querySelector(link.getAttribute("href").replace(/[^#\w-]/g, ""));
                if (heading) {
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
                li.appendChild(make("span", "devisus-glossary-definition-text", definition.text));
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
                label.appendChild(make("span", "devisus-glossary-item-term", item.term));
                if (item.other_term) {
                    var other = make("span", "devisus-glossary-other", "(" + item.other_term + ")");
                    other.lang = block.getAttribute("lang") === "fr" ? "en" : "fr";
                    label.appendChild(document.createTextNode(" "));
                    label.appendChild(other);
                }
                select.id = item.select_id;
                select.name = item.slug;
                select.setAttribute("aria-describedby", item.feedback_id);
                select.appendChild(new Option(messages.choose, ""));
                reply.definitions.forEach(function (definition) {
                    select.appendChild(new Option(definition.option, definition.slug));
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
