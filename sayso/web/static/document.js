"use strict";
// The document page: a highlight and its row in the quote table select each other, and #q3
// (a quote), #n1 (a count), #c1 (a correction notice), #c1-claim (the passage a notice is about)
// permalinks highlight their passage.
(function () {
  const text = document.getElementById("doc-text");
  const table = document.getElementById("quote-table");
  if (!text || !table) return;

  function rows() {
    return Array.from(table.querySelectorAll("tbody tr[data-quote]"));
  }

  function passage(id) {
    return Array.from(text.querySelectorAll('[data-quote="' + CSS.escape(id) + '"]'));
  }

  function clearSelection() {
    document.querySelectorAll(".selected").forEach(function (el) { el.classList.remove("selected"); });
  }

  // Select quote `id`: its row and every stretch of its passage; `scrollTo` is "passage" or "row".
  function select(id, scrollTo) {
    const row = document.getElementById("row-" + id);
    if (!row) return null;
    clearSelection();
    row.classList.add("selected");
    const parts = passage(id);
    parts.forEach(function (el) { el.classList.add("selected"); });
    if (scrollTo === "passage" && parts.length) parts[0].scrollIntoView({block: "center"});
    if (scrollTo === "row") row.scrollIntoView({block: "center"});
    return row;
  }

  function fromHash() {
    const id = decodeURIComponent(location.hash.slice(1));
    if (!id) return;
    if (id.indexOf("row-") === 0) {
      select(id.slice(4), "row");
    } else if (document.getElementById("row-" + id) && passage(id).length) {
      select(id, "passage");
    } else {
      // a count, a correction notice or its passage (#c1-claim): every stretch it covers
      const parts = Array.from(text.querySelectorAll('[data-facts~="' + CSS.escape(id) + '"]'));
      if (!parts.length) return;
      clearSelection();
      parts.forEach(function (el) { el.classList.add("selected"); });
      parts[0].scrollIntoView({block: "center"});
      const row = document.getElementById("row-" + id.replace(/-claim$/, ""));
      if (row && row.closest(".correction-table, .count-table")) row.classList.add("selected");
    }
  }

  // "copy" puts the quote's citation on the clipboard (or shows it, where the page may not copy)
  table.addEventListener("click", function (event) {
    const button = event.target.closest(".copy-cite");
    if (!button) return;
    const text = button.dataset.citation;
    const done = function () { button.textContent = "copied"; setTimeout(function () { button.textContent = "copy"; }, 1500); };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { window.prompt("Citation", text); });
    } else {
      window.prompt("Citation", text);
    }
  });

  window.addEventListener("hashchange", fromHash);
  fromHash();
  window.sayso = Object.assign(window.sayso || {}, {rows: rows, select: select, passage: passage, text: text});
})();
