/*
 * What the problem block's JavaScript (xblocks-contrib's ProblemBlockDisplay.js) expects from an LMS
 * page, given here as the LMS gives it:
 * - jQuery.postWithPrefix / ajaxWithPrefix (edx-platform common/static/coffee/src/ajax_prefix.js):
 *   the preview serves at the root, so the prefix is empty;
 * - MathJax, which the LMS loads on every courseware page: the preview has none, so a stand-in that
 *   typesets nothing lets the numerical input's previewer (capa's formula_equation_preview.js,
 *   which calls it unguarded) run; formulas are shown as typed.
 * - edx.StringUtils.interpolate (edx-ui-toolkit's string-utils.js, loaded by every LMS page);
 * - window.SR, the screen-reader announcer (edx-platform common/static/js/src/accessibility_tools.js):
 *   texts are written into a polite live region.
 * (The CSRF token is sent by the workbench's runtime, workbench/static/workbench/js/runtime/1.js.)
 */
(function ($) {
  "use strict";
  $.postWithPrefix = function (url, data, callback, type) {
    return $.post(url, data, callback, type);
  };
  $.getWithPrefix = function (url, data, callback, type) {
    return $.get(url, data, callback, type);
  };
  $.ajaxWithPrefix = function (url, settings) {
    if (settings === undefined) {
      return $.ajax(url);
    }
    return $.ajax(url, settings);
  };
  window.MathJax = window.MathJax || {
    Hub: {
      Queue: function () {},
      getAllJax: function () {
        return [];
      },
      Startup: { signal: { Interest: function () {} } },
    },
    Callback: { After: function () {} },
  };
  window.edx = window.edx || {};
  window.edx.StringUtils = window.edx.StringUtils || {
    interpolate: function (text, parameters) {
      return text.replace(/{\w+}/g, function (parameter) {
        return String(parameters[parameter.slice(1, -1)]);
      });
    },
  };
  function liveRegion() {
    var region = document.getElementById("devisus-preview-reader-feedback");
    if (!region) {
      region = document.createElement("div");
      region.id = "devisus-preview-reader-feedback";
      region.className = "devisus-preview-visually-hidden";
      region.setAttribute("aria-live", "polite");
      document.body.appendChild(region);
    }
    return region;
  }
  window.SR = window.SR || {
    readText: function (text) {
      liveRegion().textContent = text;
    },
    readTexts: function (texts) {
      liveRegion().textContent = (texts || []).join(" ");
    },
    readElts: function (elements) {
      liveRegion().textContent = $(elements).text();
    },
  };
})(jQuery);
