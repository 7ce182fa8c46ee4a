/* crisisplan: copy buttons for holding statements. Plain JavaScript, no network,
   works from file://. */
(function () {
  "use strict";

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    // Older browsers and some file:// contexts: a hidden textarea and execCommand.
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      try {
        document.execCommand("copy") ? resolve() : reject(new Error("copy refused"));
      } catch (error) {
        reject(error);
      } finally {
        document.body.removeChild(area);
      }
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".cp-copy");
    if (!button) return;
    var variant = button.closest(".cp-variant");
    var text = variant && variant.querySelector(".cp-text");
    if (!text) return;
    var label = button.textContent;
    copyText(text.textContent).then(function () {
      button.textContent = button.getAttribute("data-copied") || "Copied";
      button.setAttribute("data-state", "copied");
      document.documentElement.setAttribute("data-cp-last-copied", text.textContent);
      setTimeout(function () { button.textContent = label; button.removeAttribute("data-state"); }, 2000);
    }, function () {
      // Copy refused: select the text so the reader can copy it by hand.
      var range = document.createRange();
      range.selectNodeContents(text);
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
    });
  });
})();
