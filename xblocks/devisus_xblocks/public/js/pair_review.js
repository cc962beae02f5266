/* DEVISUS pair peer review: the one entry function of the block.
 *
 * Every server call goes through runtime.handlerUrl (POST JSON with the CSRF token); a refusal
 * carries a translated message in reply.error, shown in the live region. Replies carry the
 * learner's (or trainer's) part of the block rendered again on the server by the autoescaped
 * templates; text typed on this page, and the partner's draft, are only ever inserted with
 * textContent or as a textarea's value. Strings come translated in args.messages.
 */
function DevisusPairReview(runtime, element, args) {
    "use strict";

    var root = element && element.jquery ? element[0] : element;
    var block = root.classList && root.classList.contains("devisus-pair-review") ? root : root.querySelector(".devisus-pair-review");
    if (!block) {
        return;
    }
    var messages = (args && args.messages) || {};
    var live = block.querySelector(".devisus-pair-review-live");
    var busy = false;
    var draft = null;

    function format(template, values) {
        return String(template || "").replace(/%\((\w+)\)s/g, function (match, key) {
            return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : match;
        });
    }

    function one(selector, scope) {
        return (scope || block).querySelector(selector);
    }

    function all(selector, scope) {
        return Array.prototype.slice.call((scope || block).querySelectorAll(selector));
    }

    function say(text) {
        // Emptied first so that the same message twice is announced twice.
        live.textContent = "";
        window.setTimeout(function () {
            live.textContent = text || "";
        }, 60);
    }

    function post(name, data) {
        return window.DevisusHandlers.post(runtime, element, name, data);
    }

    function problemText(problem) {
        if (problem && problem.reply && problem.reply.error) {
            return problem.reply.error;
        }
        if (problem && problem.status) {
            return format(messages.unexpected, {status: problem.status});
        }
        return messages.network;
    }

    function fail(problem) {
        say(problemText(problem));
    }

    /* One request at a time; the block says it is busy meanwhile. */
    function send(name, data) {
        if (busy) {
            return Promise.reject({ignored: true});
        }
        busy = true;
        block.setAttribute("aria-busy", "true");
        return post(name, data).then(function (reply) {
            busy = false;
            block.removeAttribute("aria-busy");
            return reply;
        }, function (problem) {
            busy = false;
            block.removeAttribute("aria-busy");
            throw problem;
        });
    }

    function quiet(problem) {
        if (!problem || !problem.ignored) {
            fail(problem);
        }
    }

    // ---- rendering ---------------------------------------------------------------------------

    function updateCounter(area) {
        var counter = document.getElementById(area.getAttribute("data-counter"));
        if (!counter) {
            return;
        }
        var count = area.value.length;
        if (area.hasAttribute("data-limit")) {
            var limit = parseInt(area.getAttribute("data-limit"), 10);
            counter.textContent = format(messages.counter, {count: count, limit: limit});
            var over = count > limit;
            if (over && !counter.classList.contains("devisus-pair-review-over")) {
                say(format(messages.over_limit, {count: count, limit: limit}));
            }
            counter.classList.toggle("devisus-pair-review-over", over);
        } else {
            var minimum = parseInt(area.getAttribute("data-min"), 10) || 0;
            var length = area.value.trim().length;
            counter.textContent = format(messages.comment_counter, {count: length, min: minimum});
            counter.classList.toggle("devisus-pair-review-short", length < minimum);
        }
    }

    function setup() {
        var area = one("textarea[data-role=draft]");
        draft = null;
        if (area) {
            var box = area.closest(".devisus-pair-review-draft");
            draft = {
                box: box,
                area: area,
                pairId: parseInt(box.getAttribute("data-pair-id"), 10),
                base: parseInt(box.getAttribute("data-version"), 10),
                saved: area.value,
                partner: null
            };
        }
        all("textarea[data-counter]").forEach(updateCounter);
    }

    function focus(target) {
        if (target) {
            if (!target.hasAttribute("tabindex") && !/^(A|BUTTON|INPUT|SELECT|TEXTAREA|SUMMARY)$/.test(target.tagName)) {
                target.setAttribute("tabindex", "-1");
            }
            target.focus();
        }
    }

    function showLearner(reply, focusSelector) {
        var body = one(".devisus-pair-review-body");
        if (!body || !reply || typeof reply.html !== "string") {
            return;
        }
        // reply.html is rendered on the server by the block's autoescaped templates (learner
        // text is escaped there); nothing typed on this page is inserted as markup.
        body.innerHTML = reply.html;
        setup();
        focus((focusSelector && one(focusSelector, body)) || one("[data-focus]", body));
    }

    function detailOf(pairId) {
        var item = one(".devisus-pair-review-pair[data-pair-id='" + parseInt(pairId, 10) + "']");
        return item ? {item: item, box: one("[data-role=detail]", item), button: one("[data-action=open-pair]", item)} : null;
    }

    function openDetail(pairId, html) {
        var found = detailOf(pairId);
        if (!found) {
            return null;
        }
        // Server-rendered, autoescaped markup (see showLearner).
        found.box.innerHTML = html;
        found.button.setAttribute("aria-expanded", "true");
        return found.box;
    }

    function showStaff(reply) {
        var staff = one(".devisus-pair-review-staff");
        if (!staff || !reply || typeof reply.html !== "string") {
            return;
        }
        // Server-rendered, autoescaped markup (see showLearner).
        staff.innerHTML = reply.html;
        setup();
        var box = reply.pair_id && reply.detail ? openDetail(reply.pair_id, reply.detail) : null;
        focus((box && one("[data-focus]", box)) || one("[data-focus]", staff));
    }

    function learnerAction(name, data, focusSelector) {
        return send(name, data).then(function (reply) {
            showLearner(reply, focusSelector);
            say(reply.message || (reply.state && reply.state.next) || "");
            return reply;
        }).catch(function (problem) {
            if (problem && problem.status === 409) {
                // Refused because things changed meanwhile (a partner's save or submission...):
                // show where things stand now, with the reason.
                return post("state", {}).then(function (reply) {
                    showLearner(reply);
                    say(problemText(problem));
                }, function () {
                    fail(problem);
                });
            }
            quiet(problem);
        });
    }

    /* A trainer's action answers what changed: the dashboard's top and the pair concerned; the
       worklist page shown is then fetched again (with its filter, search, order and page). */
    function staffAction(name, data) {
        return send(name, data).then(function (reply) {
            if (typeof reply.html === "string") {
                showStaff(reply);
                say(reply.message || "");
                return reply;
            }
            var summary = one("[data-role=summary-region]");
            if (summary && typeof reply.summary === "string") {
                // Server-rendered, autoescaped markup (see showLearner).
                summary.innerHTML = reply.summary;
            }
            var current = one("[data-role=worklist-region] [data-role=wl-page]");
            return showWorklist(current ? parseInt(current.value, 10) : 1, true).then(function () {
                var box = reply.pair_id && reply.detail ? openDetail(reply.pair_id, reply.detail) : null;
                focus((box && one("[data-focus]", box)) || one("[data-role=wl-summary]"));
                say(reply.message || "");
                return reply;
            });
        }).catch(quiet);
    }

    /* One page of the trainer's worklist, with the filter, search and order of its form. */
    function showWorklist(page, quietly) {
        var region = one("[data-role=worklist-region]");
        if (!region) {
            return Promise.resolve();
        }
        var data = {
            status: one("[data-role=wl-status]", region).value,
            search: one("[data-role=wl-search]", region).value,
            sort: one("[data-role=wl-sort]", region).value,
            page: page || 1
        };
        var shown = send("staff_worklist", data).catch(function (problem) {
            if (page > 1 && problem && problem.status === 400) {
                data.page = 1;  // the page shown no longer exists (an action emptied it)
                return send("staff_worklist", data);
            }
            throw problem;
        });
        return shown.then(function (reply) {
            // Server-rendered, autoescaped markup (see showLearner).
            region.innerHTML = reply.html;
            setup();
            if (!quietly) {
                focus(one("[data-role=wl-summary]", region));
                say(reply.message || "");
            }
        }).catch(quiet);
    }

    /* The open pairs a trainer may move one learner to, found by a member's username or a number. */
    function findTargets(button) {
        var finder = button.closest("[data-role=find-target]");
        var data = {
            anonymous_id: finder.getAttribute("data-learner"),
            name: finder.getAttribute("data-name") || "",
            search: one("[data-role=target-search]", finder).value
        };
        if (finder.getAttribute("data-exclude")) {
            data.exclude_pair_id = parseInt(finder.getAttribute("data-exclude"), 10);
        }
        send("staff_targets", data).then(function (reply) {
            var results = one("[data-role=target-results]", finder);
            // Server-rendered, autoescaped markup (see showLearner).
            results.innerHTML = reply.html;
            focus(one("select", results) || one("[data-role=target-summary]", results));
            say(reply.message || "");
        }).catch(quiet);
    }

    // ---- forms -------------------------------------------------------------------------------

    function scopeOf(button, selector) {
        return button.closest(selector) || button.parentElement;
    }

    /* The levels and comments of a rubric form, or null after saying what is missing. */
    function assessment(form) {
        var choices = {};
        var comments = {};
        var criteria = all("[data-criterion]", form);
        for (var i = 0; i < criteria.length; i += 1) {
            var fieldset = criteria[i];
            var id = fieldset.getAttribute("data-criterion");
            var title = fieldset.getAttribute("data-title");
            var checked = one("input[type=radio]:checked", fieldset);
            var comment = one("textarea", fieldset);  // none in a calibration form
            var minimum = comment ? parseInt(comment.getAttribute("data-min"), 10) || 0 : 0;
            if (!checked) {
                say(format(messages.choose_level, {criterion: title}));
                focus(one("input[type=radio]", fieldset));
                return null;
            }
            if (comment && comment.value.trim().length < minimum) {
                say(format(messages.short_comment, {criterion: title, count: minimum}));
                focus(comment);
                return null;
            }
            choices[id] = checked.value;
            comments[id] = comment ? comment.value : "";
        }
        return {choices: choices, comments: comments};
    }

    function saveDraft() {
        var text = draft.area.value;
        var sent = draft;
        send("save_draft", {pair_id: draft.pairId, text: text, base_version: draft.base}).then(function (reply) {
            var state = reply.state || {};
            if (state.step !== "draft" || !state.draft) {
                showLearner(reply);
            } else {
                sent.base = state.draft.version;
                sent.saved = text;
                one("[data-role=draft-status]", sent.box).textContent = state.draft.status;
                one("[data-role=conflict]", sent.box).hidden = true;
            }
            say(reply.message);
        }).catch(function (problem) {
            if (problem && problem.ignored) {
                return;
            }
            if (problem.status !== 409) {
                fail(problem);
                return;
            }
            // Refused: find out why, keeping the learner's text where it is.
            post("state", {}).then(function (reply) {
                var state = reply.state || {};
                if (state.step !== "draft" || !state.draft) {
                    showLearner(reply);
                } else if (state.draft.version !== sent.base) {
                    var conflict = one("[data-role=conflict]", sent.box);
                    conflict.hidden = false;
                    focus(one("button", conflict));
                }
                say(problemText(problem));
            }).catch(function () {
                say(problemText(problem));
            });
        });
    }

    function showPartner() {
        var current = draft;
        send("state", {}).then(function (reply) {
            var state = reply.state || {};
            if (state.step !== "draft" || !state.draft) {
                showLearner(reply);
                say(reply.state && reply.state.next);
                return;
            }
            current.partner = {text: state.draft.text, version: state.draft.version, status: state.draft.status};
            var panel = one("[data-role=partner]", current.box);
            one("[data-role=partner-text]", panel).textContent = state.draft.text;
            one("[data-role=partner-version]", panel).textContent = "(" + state.draft.status + ")";
            one("[data-role=conflict]", current.box).hidden = true;
            panel.hidden = false;
            focus(one("h4", panel));
            say(messages.partner_shown);
        }).catch(quiet);
    }

    function closePartner(keepText) {
        var partner = draft.partner;
        if (!partner) {
            return;
        }
        if (!keepText) {
            draft.area.value = partner.text;
            draft.saved = partner.text;
            updateCounter(draft.area);
        }
        one("[data-role=draft-status]", draft.box).textContent = partner.status;
        draft.base = partner.version;
        draft.partner = null;
        one("[data-role=partner]", draft.box).hidden = true;
        focus(draft.area);
        say(keepText ? messages.kept_mine : messages.partner_used);
    }

    function confirmBox(show) {
        var box = one("[data-role=confirm]", draft.box);
        box.hidden = !show;
        focus(show ? box : one("[data-action=submit]", draft.box));
    }

    var actions = {
        "profile": function (button) {
            var checked = one("input[type=radio]:checked", scopeOf(button, "details, .devisus-pair-review-panel"));
            if (!checked) {
                say(messages.choose_profile);
                focus(one("input[type=radio]", scopeOf(button, "details, .devisus-pair-review-panel")));
                return;
            }
            learnerAction("declare_profile", {profile: checked.value});
        },
        "refresh": function () {
            learnerAction("state", {});
        },
        "join": function () {
            learnerAction("join_automatic", {});
        },
        "invite": function () {
            learnerAction("create_invitation", {});
        },
        "join-code": function () {
            var input = one("[data-role=code]");
            if (!input.value.trim()) {
                say(messages.enter_code);
                focus(input);
                return;
            }
            learnerAction("join_with_code", {code: input.value.trim()});
        },
        "leave": function () {
            learnerAction("leave_pair", {});
        },
        "leave-inactive": function () {
            learnerAction("leave_inactive_partner", {confirm: true});
        },
        "save": function () {
            saveDraft();
        },
        "show-partner": function () {
            showPartner();
        },
        "use-partner": function () {
            closePartner(false);
        },
        "keep-mine": function () {
            closePartner(true);
        },
        "submit": function () {
            if (draft.area.value !== draft.saved) {
                say(messages.unsaved);
                focus(one("[data-action=save]", draft.box));
                return;
            }
            confirmBox(true);
        },
        "cancel-submit": function () {
            confirmBox(false);
        },
        "confirm-submit": function () {
            learnerAction("submit", {pair_id: draft.pairId, version: draft.base, confirm: true});
        },
        "next-review": function () {
            learnerAction("next_review", {});
        },
        "send-review": function (button) {
            var form = scopeOf(button, "[data-form]");
            var answers = assessment(form);
            if (answers) {
                answers.assignment_id = parseInt(form.getAttribute("data-assignment-id"), 10);
                learnerAction("submit_review", answers);
            }
        },
        "send-calibrate": function (button) {
            var form = scopeOf(button, "[data-form]");
            var answers = assessment(form);
            if (answers) {
                learnerAction("calibrate", {
                    example_id: form.getAttribute("data-example-id"),
                    choices: answers.choices
                }, ".devisus-pair-review-calibration h4");
            }
        },
        "send-contribution": function (button) {
            var form = scopeOf(button, "[data-form=contribution]");
            learnerAction("save_contribution", {text: one("[data-role=contribution]", form).value},
                ".devisus-pair-review-contribution summary");
        },
        "send-self": function (button) {
            var answers = assessment(scopeOf(button, "[data-form]"));
            if (answers) {
                learnerAction("self_assess", answers, ".devisus-pair-review-self summary");
            }
        },
        "rate": function (button) {
            var form = scopeOf(button, "[data-form=rate]");
            var checked = one("input[type=radio]:checked", form);
            if (!checked) {
                say(messages.choose_rating);
                focus(one("input[type=radio]", form));
                return;
            }
            var reviewId = parseInt(form.getAttribute("data-review-id"), 10);
            learnerAction("rate_review", {review_id: reviewId, helpfulness: parseInt(checked.value, 10),
                comment: one("textarea", form).value}, "[data-review-id='" + reviewId + "'] h5");
        },
        // ---- trainer ----
        "worklist": function () {
            showWorklist(1);
        },
        "worklist-page": function (button) {
            showWorklist(parseInt(button.getAttribute("data-page"), 10));
        },
        "staff-refresh": function () {
            staffAction("staff_state", {});
        },
        "open-pair": function (button) {
            var pairId = parseInt(button.getAttribute("data-pair-id"), 10);
            var found = detailOf(pairId);
            if (button.getAttribute("aria-expanded") === "true") {
                found.box.textContent = "";
                button.setAttribute("aria-expanded", "false");
                return;
            }
            send("staff_pair", {pair_id: pairId}).then(function (reply) {
                var box = openDetail(pairId, reply.detail);
                focus(box && one("[data-focus]", box));
            }).catch(quiet);
        },
        "find-targets": function (button) {
            findTargets(button);
        },
        "move": function (button) {
            var select = one("select", scopeOf(button, ".devisus-pair-review-inline"));
            var data = {anonymous_id: button.getAttribute("data-learner")};
            if (select && select.value) {
                data.to_pair_id = parseInt(select.value, 10);
            }
            staffAction("move_learner", data);
        },
        "split": function (button) {
            staffAction("split_pair", {pair_id: parseInt(button.getAttribute("data-pair-id"), 10)});
        },
        "leftovers": function (button) {
            staffAction("resolve_leftovers", {strategy: button.getAttribute("data-strategy")});
        },
        "assign": function () {
            staffAction("assign_pairs", {csv: one("[data-role=csv]").value});
        },
        "send-trainer": function (button) {
            var form = scopeOf(button, "[data-form]");
            var answers = assessment(form);
            if (answers) {
                answers.submission_id = parseInt(form.getAttribute("data-submission-id"), 10);
                staffAction("trainer_review", answers);
            }
        },
        "override": function (button) {
            var form = scopeOf(button, "[data-form=override]");
            var reason = one("[data-role=reason]", form);
            var clear = one("[data-role=clear]", form).checked;
            var grade = parseFloat(one("[data-role=grade]", form).value);
            if (!clear && (isNaN(grade) || grade < 0 || grade > 100)) {
                say(messages.enter_grade);
                focus(one("[data-role=grade]", form));
                return;
            }
            if (!reason.value.trim()) {
                say(messages.enter_reason);
                focus(reason);
                return;
            }
            var data = {submission_id: parseInt(form.getAttribute("data-submission-id"), 10), reason: reason.value};
            if (clear) {
                data.clear = true;
            } else {
                data.grade = grade;
            }
            staffAction("override_grade", data);
        },
        "withdraw": function (button) {
            var form = scopeOf(button, "[data-form=withdraw]");
            staffAction("remove_submission", {submission_id: parseInt(form.getAttribute("data-submission-id"), 10),
                reason: one("[data-role=reason]", form).value});
        },
        "restore": function (button) {
            var form = scopeOf(button, "[data-form=withdraw]");
            staffAction("restore_submission", {submission_id: parseInt(form.getAttribute("data-submission-id"), 10)});
        }
    };

    block.addEventListener("click", function (event) {
        var button = event.target.closest("[data-action]");
        if (!button || !block.contains(button)) {
            return;
        }
        var action = actions[button.getAttribute("data-action")];
        if (action) {
            event.preventDefault();
            action(button);
        }
    });

    block.addEventListener("input", function (event) {
        if (event.target.matches("textarea[data-counter]")) {
            updateCounter(event.target);
        }
    });

    block.addEventListener("keydown", function (event) {
        if (event.key === "Enter" && event.target.matches("[data-role=wl-search]")) {
            event.preventDefault();  // Enter in the worklist's search box shows the pairs
            showWorklist(1);
            return;
        }
        if (event.key === "Enter" && event.target.matches("[data-role=target-search]")) {
            event.preventDefault();  // Enter in a target search finds the pairs
            findTargets(event.target);
            return;
        }
        if (event.key === "Escape" && draft && event.target.closest("[data-role=confirm]")) {
            confirmBox(false);
        }
    });

    setup();
}
