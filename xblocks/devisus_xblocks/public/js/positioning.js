/* DEVISUS self-positioning: the one entry function of the block.
 *
 * All server calls go through runtime.handlerUrl; replies that are errors carry a translated
 * message in reply.error, shown in the live region. Strings come translated in args.messages.
 */
function DevisusSelfPositioning(runtime, element, args) {
    "use strict";

    var root = element && element.jquery ? element[0] : element;
    var block = root.querySelector(".devisus-positioning");
    if (!block) {
        return;
    }
    var messages = (args && args.messages) || {};
    var limit = (args && args.maxJustification) || 0;
    var live = block.querySelector(".devisus-positioning-live");
    var answering = block.querySelector(".devisus-positioning-answering");
    var form = block.querySelector(".devisus-positioning-form");
    var results = block.querySelector(".devisus-positioning-results");
    if (!form) {
        return;
    }
    var saveButton = form.querySelector(".devisus-positioning-save");
    var submitButton = form.querySelector(".devisus-positioning-submit");
    var confirmBox = form.querySelector(".devisus-positioning-confirm");
    var confirmYes = form.querySelector(".devisus-positioning-confirm-yes");
    var confirmNo = form.querySelector(".devisus-positioning-confirm-no");

    function format(template, values) {
        return String(template || "").replace(/%\((\w+)\)s/g, function (match, key) {
            return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : match;
        });
    }

    function say(text) {
        // Emptied first so that the same message twice is announced twice.
        live.textContent = "";
        window.setTimeout(function () {
            live.textContent = text;
        }, 60);
    }

    function post(name, data) {
        return window.DevisusHandlers.post(runtime, element, name, data);
    }

    function fail(problem) {
        if (problem && problem.reply && problem.reply.error) {
            say(problem.reply.error);
        } else if (problem && problem.status) {
            say(format(messages.unexpected, {status: problem.status}));
        } else {
            say(messages.network);
        }
    }

    function items() {
        return Array.prototype.slice.call(form.querySelectorAll(".devisus-positioning-item"));
    }

    function answers() {
        var ratings = {};
        var justifications = {};
        items().forEach(function (fieldset) {
            var code = fieldset.getAttribute("data-code");
            var checked = fieldset.querySelector("input[type=radio]:checked");
            var text = fieldset.querySelector("textarea").value.trim();
            if (checked) {
                ratings[code] = parseInt(checked.value, 10);
            }
            if (text) {
                justifications[code] = text;
            }
        });
        return {ratings: ratings, justifications: justifications};
    }

    function busy(on) {
        [saveButton, submitButton, confirmYes].forEach(function (button) {
            button.disabled = on;
        });
        form.setAttribute("aria-busy", on ? "true" : "false");
    }

    function updateCounter(textarea) {
        var counter = document.getElementById(textarea.getAttribute("aria-describedby"));
        if (counter) {
            counter.textContent = format(messages.counter, {count: textarea.value.length, limit: limit});
        }
    }

    function hideConfirm() {
        confirmBox.hidden = true;
    }

    items().forEach(function (fieldset) {
        var textarea = fieldset.querySelector("textarea");
        textarea.addEventListener("input", function () {
            updateCounter(textarea);
        });
    });

    saveButton.addEventListener("click", function () {
        hideConfirm();
        busy(true);
        say(messages.saving);
        post("save_draft", answers()).then(function () {
            say(messages.saved);
        }).catch(fail).then(function () {
            busy(false);
        });
    });

    submitButton.addEventListener("click", function () {
        var missing = items().filter(function (fieldset) {
            return !fieldset.querySelector("input[type=radio]:checked");
        });
        if (missing.length) {
            say(format(messages.missing, {
                codes: missing.map(function (fieldset) {
                    return fieldset.getAttribute("data-code");
                }).join(", ")
            }));
            missing[0].querySelector("input[type=radio]").focus();
            return;
        }
        confirmBox.hidden = false;
        confirmBox.focus();
    });

    confirmNo.addEventListener("click", function () {
        hideConfirm();
        submitButton.focus();
    });

    confirmBox.addEventListener("keydown", function (event) {
        if (event.key === "Escape") {
            hideConfirm();
            submitButton.focus();
        }
    });

    confirmYes.addEventListener("click", function () {
        var data = answers();
        data.confirm = true;
        busy(true);
        say(messages.submitting);
        post("submit", data).then(function (reply) {
            // reply.html is rendered on the server by the autoescaped results template (learner
            // text is escaped there); nothing typed on this page is inserted as markup.
            results.innerHTML = reply.html;
            if (answering) {
                answering.parentNode.removeChild(answering);
            }
            block.setAttribute("data-status", "submitted");
            var heading = results.querySelector("[tabindex='-1']");
            if (heading) {
                heading.focus();
            }
            say(messages.submitted);
        }).catch(function (problem) {
            busy(false);
            fail(problem);
        });
    });
}
