// Keyboard shortcuts for every page ("/" search, "?" help), and a tiny registry for page keys.
(function () {
  "use strict";

  var handlers = {};

  function isTyping(target) {
    return Boolean(target.closest && target.closest("input, textarea, select, [contenteditable]"));
  }

  function showShortcuts() {
    var dialog = document.getElementById("shortcuts");
    if (dialog && !dialog.open) dialog.showModal();
  }

  function focusSearch(event) {
    var search = document.querySelector("[data-search]");
    if (!search) return;
    event.preventDefault();
    search.focus();
    search.select();
  }

  handlers["/"] = focusSearch;
  handlers["?"] = showShortcuts;

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    if (isTyping(event.target)) {
      if (event.key === "Escape") event.target.blur();
      return;
    }
    if (document.querySelector("dialog[open]")) return;
    var handler = handlers[event.key];
    if (handler) handler(event);
  });

  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-shortcuts]")) showShortcuts();
  });

  window.amends = {
    /** Run `handler(event)` when `key` is pressed outside a form field. */
    onKey: function (key, handler) {
      handlers[key] = handler;
    },
  };
})();
