// kehto search, started as early as the page allows. This small script is written into the
// search page (search.md.j2), so it runs as soon as the parser reaches the search block, with no
// request of its own: before Material's bundle and the search page's own (deferred) scripts. It loads Pagefind, which fetches its page list
// and WebAssembly at once, and fetches the index chunks of the words in the URL (?q=...), so
// that kehto-search.js finds them ready. Pagefind's options are set here, once.
(() => {
  "use strict";
  const root = document.getElementById("kehto-search");
  if (!root) return;
  const bundle = new URL(root.dataset.bundle, window.location.href);
  const EXCERPT_WORDS = 24;
  window.kehtoSearchBoot = {
    excerptWords: EXCERPT_WORDS,
    pagefind: import(new URL("pagefind.js", bundle).href).then(async (pagefind) => {
      // A word of the length typed counts more than a longer word it starts ("kassi", not "käsittely").
      // No web worker: one script less to fetch and start (41 KB), and a search of this size takes milliseconds.
      await pagefind.options({ baseUrl: bundle.pathname.replace(/pagefind\/$/, ""), excerptLength: EXCERPT_WORDS,
        ranking: { termSimilarity: 3 }, noWorker: true });
      await pagefind.init();
      const params = new URLSearchParams(window.location.search);
      const q = (params.get("q") || "").trim();
      // The record-kind filter is part of every search (the status line counts kinds), and a search
      // of one word looks first among the index's first pages (kehto-search.js): fetch both filters too.
      const filters = { tyyppi: { any: [] } };
      const alone = !/\s/.test(q) && [...params.keys()].every((key) => key === "q");
      if (root.dataset.first && alone) filters[root.dataset.first] = { any: [] };  // one word, no filter, no sort
      if (q) pagefind.preload(q, { filters }).catch(() => {});
      return pagefind;
    }),
  };
})();
