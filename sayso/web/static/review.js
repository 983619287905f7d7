"use strict";
// Review in the browser (only on a server started with --allow-write). The reviewer's token
// stays in this tab (sessionStorage) and goes with every request as a bearer token. Keys on the
// document page and the queue: j/k next/previous, a accept, r reject, e edit, 1/2/3 kind,
// s span from the selected text, n new quote from the selected text.
(function () {
  const root = document.querySelector("[data-review-root]");
  if (!root || root.dataset.write !== "1") return;
  const TOKEN = "sayso-review-token", NAME = "sayso-review-name";
  const KINDS = {"1": "direct", "2": "indirect", "3": "according_to"};
  const pageKind = root.dataset.reviewPage;
  const message = document.getElementById("review-message");
  const tokenForm = document.getElementById("token-form");

  function say(text, bad) {
    if (!message) return;
    message.textContent = text;
    message.classList.toggle("bad", !!bad);
  }

  async function api(method, url, body) {
    const headers = {"Authorization": "Bearer " + (sessionStorage.getItem(TOKEN) || "")};
    if (sessionStorage.getItem(NAME)) headers["X-Sayso-Reviewer"] = sessionStorage.getItem(NAME);
    if (body) headers["Content-Type"] = "application/json";
    const response = await fetch(url, {method: method, headers: headers, body: body ? JSON.stringify(body) : undefined});
    let data = null;
    try { data = await response.json(); } catch (err) { data = null; }
    if (!response.ok) {
      let detail = data && data.detail ? data.detail : response.statusText;
      if (typeof detail !== "string") detail = detail.map(function (d) { return d.msg; }).join("; ");
      const error = new Error(detail);
      error.status = response.status;
      throw error;
    }
    return data;
  }

  // ---- signing in --------------------------------------------------------------------------
  async function signIn() {
    if (!sessionStorage.getItem(TOKEN)) return;
    try {
      const me = await api("GET", "/api/review/me");
      tokenForm.hidden = true;
      const shown = pageKind === "entities" ? ".reviewing-as, .entity-actions, .rename, .split" : ".reviewing-as, .keys";
      document.querySelectorAll(shown).forEach(function (el) { el.hidden = false; });
      document.getElementById("reviewer-name").textContent = me.reviewer;
      document.body.classList.add("reviewing");
      start();
    } catch (err) {
      sessionStorage.removeItem(TOKEN);
      say(err.message, true);
    }
  }

  tokenForm.addEventListener("submit", function (event) {
    event.preventDefault();
    sessionStorage.setItem(TOKEN, tokenForm.elements.token.value);
    if (tokenForm.elements.name.value) sessionStorage.setItem(NAME, tokenForm.elements.name.value);
    tokenForm.elements.token.value = "";
    signIn();
  });
  document.getElementById("sign-out").addEventListener("click", function () {
    sessionStorage.removeItem(TOKEN);
    sessionStorage.removeItem(NAME);
    location.reload();
  });

  // ---- type-ahead over the registry --------------------------------------------------------
  function typeahead(input, list) {
    let items = [], active = -1, timer = null, asked = 0;
    function render() {
      list.replaceChildren.apply(list, items.map(function (item, i) {
        const li = document.createElement("li");
        li.textContent = item.name + (item.quotes ? " (" + item.quotes + ")" : "");
        li.setAttribute("role", "option");
        li.dataset.name = item.name;
        if (i === active) li.classList.add("active");
        li.addEventListener("mousedown", function (event) { event.preventDefault(); pick(i); });
        return li;
      }));
      list.hidden = items.length === 0;
    }
    function pick(i) {
      input.value = items[i].name;
      items = [];
      active = -1;
      render();
    }
    async function load() {
      const mine = ++asked;
      const response = await fetch("/api/review/speakers?q=" + encodeURIComponent(input.value.trim()));
      const found = response.ok ? await response.json() : [];
      if (mine !== asked) return;  // a later keystroke asked again
      items = found.filter(function (item) { return item.name !== input.value; });
      active = -1;
      render();
    }
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(load, 100); });
    input.addEventListener("blur", function () { items = []; render(); });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" && items.length) {
        active = Math.min(items.length - 1, active + 1); render(); event.preventDefault();
      } else if (event.key === "ArrowUp" && items.length) {
        active = Math.max(0, active - 1); render(); event.preventDefault();
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault(); event.stopPropagation(); pick(active);
      } else if (event.key === "Escape" && items.length) {
        event.stopPropagation(); items = []; render();
      }
    });
  }

  // ---- quotes: the document page and the queue ---------------------------------------------
  let current = -1;

  function rows() {
    return Array.from(document.querySelectorAll("#quote-table tbody tr[data-quote]"));
  }

  function go(i) {
    const all = rows();
    if (!all.length) return null;
    current = Math.max(0, Math.min(all.length - 1, i));
    const row = all[current];
    if (pageKind === "document" && window.sayso) {
      window.sayso.select(row.dataset.quote, "passage");
      history.replaceState(null, "", "#" + row.dataset.quote);
    } else {
      all.forEach(function (r) { r.classList.remove("selected"); });
      row.classList.add("selected");
      row.scrollIntoView({block: "center"});
    }
    return row;
  }

  function currentRow() {
    const all = rows();
    return current >= 0 && current < all.length ? all[current] : null;
  }

  function quoteUrl(row) {
    return "/api/review/quotes/" + encodeURIComponent(row.dataset.doc) + "/" + encodeURIComponent(row.dataset.quote);
  }

  function show(row, quote) {
    const status = quote.review.status;
    row.dataset.version = quote.review.version;
    row.className = "review-" + status + " selected";
    row.querySelector(".status").replaceChildren(
      Object.assign(document.createElement("span"), {className: "status-name", textContent: status}),
      document.createElement("br"),
      Object.assign(document.createElement("small"), {textContent: quote.review.reviewer || ""}));
    if (window.sayso && pageKind === "document") {
      window.sayso.passage(row.dataset.quote).forEach(function (el) {
        el.classList.forEach(function (c) { if (c.indexOf("review-") === 0) el.classList.remove(c); });
        el.classList.add("review-" + status);
      });
    }
  }

  function reloadAt(id) {
    if (pageKind === "document") {
      location.hash = id;
      location.reload();
    } else {
      location.reload();
    }
  }

  async function decide(action, extra) {
    const row = currentRow();
    if (!row) { go(0); return; }
    const body = Object.assign({action: action, version: Number(row.dataset.version)}, extra || {});
    const next = rows()[current + 1];
    try {
      const quote = await api("POST", quoteUrl(row), body);
      say(quote.id + ": " + quote.review.status + (quote.speaker_name ? " · " + quote.speaker_name : ""));
      if (action === "edit" && (body.speaker || body.start !== undefined || body.kind)) {
        // drawn again from the store (highlights, labels, table), on the next quote: this one is done
        reloadAt(next ? next.dataset.quote : quote.id);
        return;
      }
      show(row, quote);
      go(current + 1);
    } catch (err) {
      say(err.status === 409 ? err.message + " (reload the page to see it)" : err.message, true);
    }
  }

  // Offsets of the selected text in the stored text (labels are CSS, so they are not counted).
  function selectedSpan() {
    const text = document.getElementById("doc-text");
    const selection = window.getSelection();
    if (!text || !selection.rangeCount || selection.isCollapsed) return null;
    const range = selection.getRangeAt(0);
    if (!text.contains(range.startContainer) || !text.contains(range.endContainer)) return null;
    const before = document.createRange();
    before.setStart(text, 0);
    before.setEnd(range.startContainer, range.startOffset);
    const chosen = range.toString();
    const start = before.toString().length + (chosen.length - chosen.trimStart().length);
    const end = start + chosen.trim().length;
    return end > start ? {start: start, end: end} : null;
  }

  const panel = document.getElementById("edit-panel");

  // The words between the panel's start and end, shown while a reviewer adjusts either end.
  function preview() {
    const text = window.sayso ? window.sayso.text.textContent : "";
    const start = Number(panel.elements.start.value), end = Number(panel.elements.end.value);
    document.getElementById("span-preview").textContent = "\u201c" + text.slice(start, end) + "\u201d";
  }

  function openPanel(mode, values) {
    if (!panel) return;
    panel.dataset.mode = mode;
    panel.hidden = false;
    document.getElementById("edit-title").textContent = mode === "add" ? "Add a missed quote" : "Edit quote " + values.id;
    panel.elements.speaker.value = values.speaker || "";
    panel.elements.kind.value = values.kind || "direct";
    panel.elements.start.value = values.start;
    panel.elements.end.value = values.end;
    panel.elements.note.value = "";
    preview();
    panel.elements.speaker.focus();
    panel.elements.speaker.select();
  }

  function closePanel() {
    if (panel) panel.hidden = true;
  }

  function rowValues(row) {
    return {id: row.dataset.quote, speaker: row.dataset.speaker, kind: row.dataset.kind,
            start: Number(row.dataset.start), end: Number(row.dataset.end)};
  }

  async function savePanel(event) {
    event.preventDefault();
    const f = panel.elements;
    const values = {speaker: f.speaker.value.trim(), kind: f.kind.value, start: Number(f.start.value),
                    end: Number(f.end.value), note: f.note.value.trim() || undefined};
    if (panel.dataset.mode === "add") {
      try {
        const doc = root.dataset.doc;
        const quote = await api("POST", "/api/review/documents/" + encodeURIComponent(doc) + "/quotes", values);
        reloadAt(quote.id);
      } catch (err) { say(err.message, true); }
      return;
    }
    const row = currentRow();
    const before = rowValues(row);
    const changed = {note: values.note};
    if (values.speaker && values.speaker !== before.speaker) changed.speaker = values.speaker;
    if (values.kind !== before.kind) changed.kind = values.kind;
    if (values.start !== before.start || values.end !== before.end) { changed.start = values.start; changed.end = values.end; }
    closePanel();
    if (Object.keys(changed).length === 1) { say("nothing changed"); return; }
    decide("edit", changed);
  }

  function onKey(event) {
    const typing = /^(INPUT|SELECT|TEXTAREA)$/.test(event.target.tagName);
    if (event.key === "Escape") { closePanel(); return; }
    if (typing || event.ctrlKey || event.metaKey || event.altKey) return;
    const row = currentRow();
    const key = event.key;
    if (key === "j") go(current + 1);
    else if (key === "k") go(current - 1);
    else if (key === "a") decide("accept");
    else if (key === "r") decide("reject");
    else if (KINDS[key] && row) decide("edit", {kind: KINDS[key]});
    else if (key === "e" && row && pageKind === "document") openPanel("edit", rowValues(row));
    else if (key === "e" && row) location.href = "/documents/" + encodeURIComponent(row.dataset.doc) + "#" + encodeURIComponent(row.dataset.quote);
    else if (key === "s" && row && pageKind === "document") {
      const span = selectedSpan();
      if (span) openPanel("edit", Object.assign(rowValues(row), span)); else say("select the right words first", true);
    } else if (key === "n" && pageKind === "document") {
      const span = selectedSpan();
      if (span) openPanel("add", Object.assign({kind: "direct", speaker: ""}, span)); else say("select the words of the quote first", true);
    } else return;
    event.preventDefault();
  }

  // ---- entities ----------------------------------------------------------------------------
  function startEntities() {
    const picked = [];
    const button = document.getElementById("merge-button");
    const preview = document.getElementById("merge-preview");
    function refresh() {
      button.disabled = picked.length !== 2;
      preview.textContent = picked.length === 2 ? picked[1].dataset.name + " \u2192 " + picked[0].dataset.name : "";
    }
    document.querySelectorAll(".entity-pick").forEach(function (box) {
      box.addEventListener("change", function () {
        const row = box.closest("tr");
        const at = picked.indexOf(row);
        if (box.checked && at < 0) picked.push(row);
        if (!box.checked && at >= 0) picked.splice(at, 1);
        while (picked.length > 2) picked.shift().querySelector(".entity-pick").checked = false;
        refresh();
      });
    });
    async function entityAction(body) {
      try {
        await api("POST", "/api/review/entities", body);
        location.reload();
      } catch (err) { say(err.message, true); }
    }
    button.addEventListener("click", function () {
      entityAction({action: "merge", entity: picked[0].dataset.entity, other: picked[1].dataset.entity});
    });
    document.querySelectorAll("button.rename").forEach(function (b) {
      b.addEventListener("click", function () {
        const row = b.closest("tr");
        const form = document.createElement("form");
        const input = Object.assign(document.createElement("input"), {value: row.dataset.name, name: "name"});
        input.setAttribute("aria-label", "new name");
        form.append(input, Object.assign(document.createElement("button"), {type: "submit", textContent: "save"}));
        form.addEventListener("submit", function (event) {
          event.preventDefault();
          entityAction({action: "rename", entity: row.dataset.entity, name: input.value});
        });
        b.replaceWith(form);
        input.focus();
      });
    });
    document.querySelectorAll("button.split").forEach(function (b) {
      b.addEventListener("click", function () {
        const row = b.closest("tr");
        entityAction({action: "split", entity: row.dataset.entity, name: b.closest(".tag").dataset.name});
      });
    });
  }

  function start() {
    if (pageKind === "entities") { startEntities(); return; }
    if (panel) {
      typeahead(panel.elements.speaker, document.getElementById("speaker-suggestions"));
      panel.addEventListener("submit", savePanel);
      panel.elements.start.addEventListener("input", preview);
      panel.elements.end.addEventListener("input", preview);
      document.getElementById("edit-cancel").addEventListener("click", closePanel);
    }
    const selected = document.querySelector("#quote-table tbody tr.selected");
    current = selected ? rows().indexOf(selected) : -1;
    document.addEventListener("keydown", onKey);
    window.addEventListener("hashchange", function () {  // a highlight was clicked: review from its row on
      const chosen = document.querySelector("#quote-table tbody tr.selected");
      if (chosen) current = rows().indexOf(chosen);
    });
    rows().forEach(function (row, i) {
      row.addEventListener("click", function (event) {
        if (event.target.closest("a")) return;
        go(i);
      });
    });
    if (current < 0 && rows().length) {  // start on the first quote nobody has reviewed
      const first = rows().findIndex(function (r) { return r.classList.contains("review-unreviewed"); });
      go(first < 0 ? 0 : first);
    }
    if (!rows().length) say("nothing to review here");
  }

  signIn();
})();
