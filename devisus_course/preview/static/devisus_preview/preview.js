/* Tables in the course's HTML components are the author's, shown as Open edX shows them; some are
   wider than a phone. Each one scrolls sideways inside its own box instead of the whole page
   (WCAG 1.4.10 lets a data table keep two dimensions). A box that does scroll is a labelled,
   focusable region, so keyboard users can scroll it too (axe-core: scrollable-region-focusable);
   one that fits is left as a plain box. */
(function () {
  "use strict";
  var label = document.currentScript.getAttribute("data-table-label");

  function mark(box) {
    if (box.scrollWidth > box.clientWidth) {
      var caption = box.querySelector("caption");
      box.setAttribute("role", "region");
      box.setAttribute("tabindex", "0");
      box.setAttribute("aria-label", caption ? caption.textContent.trim() : label);
    } else {
      box.removeAttribute("role");
      box.removeAttribute("tabindex");
      box.removeAttribute("aria-label");
    }
  }

  var boxes = Array.prototype.map.call(document.querySelectorAll(".devisus-preview-html table"), function (table) {
    var box = document.createElement("div");
    box.className = "devisus-preview-table";
    table.parentNode.insertBefore(box, table);
    box.appendChild(table);
    return box;
  });
  boxes.forEach(mark);
  window.addEventListener("resize", function () { boxes.forEach(mark); });
})();
