// Injected before the web demo's own scripts by harness/bench/crosscheck.py:
// the time of the click on "Cross-check" (a capturing listener, before the
// page's own) and of the verdict (#xcheck's data-verdict leaving "running"),
// and the loading messages the page showed in between.
window.__xcheckWatch = { clickAt: null, verdictAt: null, progress: [] };
addEventListener("click", (event) => {
  if (event.target.closest?.("#crosscheck") && window.__xcheckWatch.clickAt === null) {
    window.__xcheckWatch.clickAt = performance.now();
  }
}, true);
addEventListener("DOMContentLoaded", () => {
  const el = document.getElementById("xcheck");
  if (!el) return;
  new MutationObserver(() => {
    const w = window.__xcheckWatch;
    if (w.clickAt === null || w.verdictAt !== null) return;
    const verdict = el.dataset.verdict;
    if (verdict && verdict !== "running") {
      w.verdictAt = performance.now();
      return;
    }
    const text = el.querySelector(".verdict.pending")?.textContent.trim();
    if (text && w.progress.at(-1) !== text) w.progress.push(text);
  }).observe(el, { attributes: true, childList: true, subtree: true, characterData: true });
});
