// Lists by keyboard: j and k move to the next and previous row (its first link takes the focus,
// so Enter opens it); n and p follow the pager's next and previous links.
(function () {
  const rows = () => Array.from(document.querySelectorAll("table.results tbody tr"));
  let current = -1;

  function go(index) {
    const all = rows();
    if (!all.length) return;
    current = Math.max(0, Math.min(index, all.length - 1));
    all.forEach((row, i) => row.classList.toggle("current", i === current));
    const link = all[current].querySelector("a");
    if (link) link.focus(); else all[current].scrollIntoView({block: "nearest"});
  }

  document.addEventListener("keydown", (event) => {
    const target = event.target;
    if (event.altKey || event.ctrlKey || event.metaKey || target.closest("input, textarea, select")) return;
    if (event.key === "j") go(current + 1);
    else if (event.key === "k") go(current - 1);
    else if (event.key === "n" || event.key === "p") {
      const link = document.querySelector(`.pager a[rel="${event.key === "n" ? "next" : "prev"}"]`);
      if (link) location.href = link.href;
    } else return;
    event.preventDefault();
  });
})();
