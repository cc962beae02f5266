/* What ORA2's learner JavaScript takes from the LMS page around it, for the preview's unit page.
 *
 * - RequireJS: ORA2 loads its response editor with the LMS's RequireJS (``window.RequireJS.require``,
 *   openedx/edx-ora2 openassessment/xblock/static/js/src/lms/oa_response_editor.js); the editor
 *   bundles call ``define(factory)`` once each, with no dependencies. This is the smallest loader
 *   doing that, kept off ``window.define`` so that no other script takes itself for an AMD module.
 * - $.fn.dialog: ORA2 asks for confirmation before a response or an assessment is submitted with
 *   the LMS's jQuery UI dialog (lms/oa_confirmation_alert.js: init, option "title"/"buttons", open,
 *   close); jQuery UI is not part of the preview, so this is that subset, as a labelled modal
 *   dialog that takes the focus and gives it back.
 * - rewriteStaticLinks: ORA2 rewrites Studio's /static/ links in prompts with the LMS's helper
 *   (edx-platform common/static/js/src/utility.js); the same contract: no change when a side is null.
 */
(function () {
  "use strict";
  var loaded = {};
  var lastFactory = null;

  function define(dependencies, factory) {
    lastFactory = typeof dependencies === "function" ? dependencies : factory;
  }
  define.amd = {};

  function load(url) {
    if (!loaded[url]) {
      loaded[url] = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = url;
        // A script's load event follows its execution at once: the factory it defined is the last one.
        script.onload = function () {
          var factory = lastFactory;
          lastFactory = null;
          resolve(typeof factory === "function" ? factory() : factory);
        };
        script.onerror = function () {
          reject(new Error("could not load " + url));
        };
        document.head.appendChild(script);
      });
    }
    return loaded[url];
  }

  function require(urls, callback) {
    Promise.all(urls.map(load)).then(function (modules) {
      callback.apply(window, modules);
    });
  }

  window.RequireJS = window.RequireJS || { require: require, define: define };

  window.rewriteStaticLinks =
    window.rewriteStaticLinks ||
    function (content, from, to) {
      if (from === null || to === null || from === undefined || to === undefined || from === "") {
        return content;
      }
      return content.split(from).join(to);
    };

  var $ = window.jQuery;
  if ($ && !$.fn.dialog) {
    var counter = 0;
    $.fn.dialog = function (command, name, value) {
      return this.each(function () {
        var box = $(this);
        var state = box.data("devisusDialog");
        if (!state) {
          counter += 1;
          state = { title: "", buttons: {}, id: "devisus-dialog-" + counter, opener: null };
          box.data("devisusDialog", state);
          box.attr({ role: "dialog", "aria-modal": "true", "aria-labelledby": state.id + "-title" }).hide();
        }
        if (command === "option") {
          state[name] = value;
        } else if (command === "open") {
          state.opener = document.activeElement;
          box.find(".devisus-dialog-generated").remove();
          box.prepend($("<h2 class='devisus-dialog-generated'></h2>").attr("id", state.id + "-title").text(state.title));
          var bar = $("<p class='devisus-dialog-generated'></p>");
          $.each(state.buttons, function (label, action) {
            bar.append($("<button type='button'></button>").text(label).on("click", action), " ");
          });
          box.append(bar).addClass("devisus-dialog-open").show();
          bar.find("button").first().trigger("focus");
        } else if (command === "close") {
          box.removeClass("devisus-dialog-open").hide();
          box.find(".devisus-dialog-generated").remove();
          if (state.opener && document.body.contains(state.opener)) {
            state.opener.focus();
          }
        }
      });
    };
  }

  // A step that is not available yet renders an empty, disabled header button
  // (openassessment/templates/legacy/peer/oa_peer_unavailable.html and its siblings): a button
  // without a name for screen readers (axe "button-name"). The preview names it after its step's
  // header, as the available steps are named (aria-labelledby their title).
  function nameEmptyStepButtons(root) {
    root.querySelectorAll("button.ui-slidable").forEach(function (button) {
      if (button.textContent.trim() || button.hasAttribute("aria-label") || button.hasAttribute("aria-labelledby")) {
        return;
      }
      var header = button.closest(".step__header");
      var text = header ? header.textContent.replace(/\s+/g, " ").trim() : "";
      if (text) {
        button.setAttribute("aria-label", text);
      }
    });
  }
  // The peer step's header button controls "oa_peer_<id>_content", but the content's id is
  // "oa_peer<id>_content" (templates/legacy/peer/oa_peer_assessment.html): point it at the
  // element that exists (axe "aria-valid-attr-value").
  function repairControls(root) {
    root.querySelectorAll("button.ui-slidable[aria-controls]").forEach(function (button) {
      var target = button.getAttribute("aria-controls");
      if (document.getElementById(target)) {
        return;
      }
      var fixed = target.replace(/^oa_peer_/, "oa_peer");
      if (document.getElementById(fixed)) {
        button.setAttribute("aria-controls", fixed);
      }
    });
  }
  // ORA2 renders a <div id="openassessment_hotjar"> inside its list of steps
  // (templates/legacy/peer/oa_peer_assessment.html, self/oa_self_assessment.html): a list may only
  // hold items (axe "list"). The preview moves it after the list (hotjar is off here anyway).
  function moveStrayListChildren(root) {
    root.querySelectorAll("ol > div#openassessment_hotjar, ul > div#openassessment_hotjar").forEach(function (div) {
      div.parentNode.parentNode.insertBefore(div, div.parentNode.nextSibling);
    });
  }
  // ORA2 loads its steps after the page (and again after each action): repair them as they arrive.
  new MutationObserver(function () {
    nameEmptyStepButtons(document);
    repairControls(document);
    moveStrayListChildren(document);
  }).observe(document.documentElement, {childList: true, subtree: true});
})();
