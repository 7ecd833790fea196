// kehto search page: Pagefind's JavaScript API behind a plain, accessible form.
// The query, the filters and the sort order live in the URL (?q=...&teema=...),
// so a search can be bookmarked and shared, and Back/Forward restore it.
// Results are built from text nodes only; Pagefind's excerpt is parsed inertly
// and only its <mark> highlights are kept.
(() => {
  "use strict";
  const root = document.getElementById("kehto-search");
  if (!root) return;

  const PAGE_SIZE = 10;
  const form = document.getElementById("kehto-search-form");
  const query = document.getElementById("kehto-q");
  const sortSelect = document.getElementById("kehto-sort");
  const filterSelects = Array.from(form.querySelectorAll("select[data-filter]"));
  const status = document.getElementById("kehto-status");
  const list = document.getElementById("kehto-results");
  const moreWrap = document.getElementById("kehto-more-wrap");
  const moreButton = document.getElementById("kehto-more");
  const bundle = new URL(root.dataset.bundle, window.location.href);
  const siteRoot = bundle.pathname.replace(/pagefind\/$/, "");

  let pagefind = null;
  let results = [];
  let shown = 0;
  let generation = 0;
  let typingTimer = null;

  // Filter options and their counts are rendered at build time; labels come from them.
  const label = (key, value) => {
    const select = filterSelects.find((s) => s.dataset.filter === key);
    const option = select && Array.from(select.options).find((o) => o.value === value);
    return (option && option.dataset.label) || value;
  };

  function readUrl() {
    const params = new URLSearchParams(window.location.search);
    query.value = params.get("q") || "";
    for (const select of filterSelects) {
      // Options arrive from the index later; remember the wanted value until then.
      select.dataset.wanted = params.get(select.name) || "";
      select.value = select.dataset.wanted;
    }
    sortSelect.value = params.get("jarjestys") || "";
  }

  function writeUrl(push) {
    const params = new URLSearchParams();
    if (query.value.trim()) params.set("q", query.value.trim());
    for (const select of filterSelects) if (select.value) params.set(select.name, select.value);
    if (sortSelect.value) params.set("jarjestys", sortSelect.value);
    const search = params.toString();
    const target = window.location.pathname + (search ? "?" + search : "");
    if (target === window.location.pathname + window.location.search) return;
    (push ? history.pushState : history.replaceState).call(history, null, "", target);
  }

  function keepUnknownFilters() {
    // A shared link may name a value this index does not have: show it rather than drop it.
    for (const select of filterSelects) {
      const wanted = select.dataset.wanted || "";
      if (wanted && !Array.from(select.options).some((o) => o.value === wanted)) {
        const option = new Option(`${wanted} (0)`, wanted);
        option.dataset.label = wanted;
        select.add(option);
      }
      select.value = wanted;
    }
  }

  function currentFilters() {
    const filters = {};
    for (const select of filterSelects) {
      select.dataset.wanted = select.value;
      if (select.value) filters[select.dataset.filter] = select.value;
    }
    return filters;
  }

  function safeExcerpt(html) {
    const fragment = document.createDocumentFragment();
    const doc = new DOMParser().parseFromString(`<p>${html}</p>`, "text/html");
    for (const node of doc.body.firstChild ? doc.body.firstChild.childNodes : []) {
      if (node.nodeType === Node.ELEMENT_NODE && node.tagName === "MARK") {
        const mark = document.createElement("mark");
        mark.textContent = node.textContent;
        fragment.append(mark);
      } else {
        fragment.append(document.createTextNode(node.textContent));
      }
    }
    return fragment;
  }

  function resultItem(data) {
    const item = document.createElement("li");
    item.className = "kehto-result";
    const heading = document.createElement("h2");
    heading.className = "kehto-result__title";
    const link = document.createElement("a");
    link.href = data.url;
    link.textContent = (data.meta && data.meta.title) || data.url;
    heading.append(link);
    const meta = document.createElement("p");
    meta.className = "kehto-result__meta";
    meta.textContent = [data.meta.tyyppi, data.meta.organisaatio, data.meta.julkaistu].filter(Boolean).join(" · ");
    const excerpt = document.createElement("p");
    excerpt.className = "kehto-result__excerpt";
    // The last words of a practice page are its hidden base forms (kehto.finnish). When every
    // match is among them, the excerpt would be a word list: show the summary instead.
    const extra = Number(data.meta.lisasanat || 0);
    const onlyExtra = extra > 0 && data.locations && data.locations.length > 0 &&
      Math.min(...data.locations) >= data.word_count - extra;
    if (onlyExtra && data.meta.summary) excerpt.textContent = data.meta.summary;
    else excerpt.append(safeExcerpt(data.excerpt || ""));
    item.append(heading, meta, excerpt);
    return item;
  }

  async function showMore() {
    const mine = generation;
    const slice = results.slice(shown, shown + PAGE_SIZE);
    const data = await Promise.all(slice.map((r) => r.data()));
    if (mine !== generation) return;
    for (const d of data) list.append(resultItem(d));
    shown += slice.length;
    moreWrap.hidden = shown >= results.length;
  }

  function describe(count, q, filters) {
    const parts = [];
    if (q) parts.push(`hakusanalla ”${q}”`);
    const chosen = Object.entries(filters).map(([k, v]) => label(k, v));
    if (chosen.length) parts.push(`rajauksella ${chosen.join(", ")}`);
    const where = parts.length ? " " + parts.join(" ja ") : "";
    if (count === 0) return `Ei tuloksia${where}. Kokeile toista sanaa tai poista rajauksia.`;
    return `${count} ${count === 1 ? "kehittämisteko" : "kehittämistekoa"}${where}.`;
  }

  // Finnish inflects: "perehdytyksen", "tiimeissä". The index also holds base forms
  // (kehto.finnish); cutting a common ending turns the query into a prefix that
  // Pagefind matches against them ("perehdyty", "tiim"). Those results come after
  // the exact ones.
  const ENDINGS = ["iksi", "eissa", "eissä", "ksen", "ksia", "ksiä", "issa", "issä", "illa", "illä", "ista", "istä",
    "ille", "ilta", "iltä", "isen", "sten", "tten", "iden", "itten", "ssa", "ssä", "sta", "stä", "lla", "llä",
    "lta", "ltä", "lle", "ksi", "ten", "den", "ita", "itä", "ja", "jä", "ta", "tä", "en", "in", "na", "nä", "n", "t", "a", "ä"];

  function prefixForm(query) {
    const words = query.split(/\s+/).filter(Boolean);
    const last = words.pop() || "";
    for (const ending of ENDINGS) {
      if (last.length - ending.length >= 4 && last.toLowerCase().endsWith(ending)) {
        return [...words, last.slice(0, -ending.length)].join(" ");
      }
    }
    return null;
  }

  async function searchAll(q, options) {
    const exact = await pagefind.search(q || null, options);
    const prefix = q && prefixForm(q);
    if (!prefix || !exact) return exact;
    const more = await pagefind.search(prefix, options);
    if (!more) return exact;
    const seen = new Set(exact.results.map((r) => r.id));
    return { ...exact, results: [...exact.results, ...more.results.filter((r) => !seen.has(r.id))] };
  }

  async function run() {
    const mine = ++generation;
    const q = query.value.trim();
    const filters = currentFilters();
    const sort = sortSelect.value === "uusin" ? { julkaistu: "desc" }
      : sortSelect.value === "vanhin" ? { julkaistu: "asc" } : undefined;
    list.replaceChildren();
    moreWrap.hidden = true;
    if (!q && !Object.keys(filters).length && !sort) {
      results = [];
      status.textContent = "Kirjoita hakusana tai valitse rajaus.";
      root.dataset.state = "idle";
      return;
    }
    root.dataset.state = "searching";
    const options = { filters };
    if (sort) options.sort = sort;
    const search = await searchAll(q, options);
    if (mine !== generation || !search) return;
    results = search.results;
    shown = 0;
    status.textContent = describe(results.length, q, filters);
    await showMore();
    if (mine === generation) root.dataset.state = "done";
  }

  function searchNow(push) {
    clearTimeout(typingTimer);
    writeUrl(push);
    run().catch(fail);
  }

  function fail(error) {
    root.dataset.state = "error";
    status.textContent = "Haku ei juuri nyt toimi. Lataa sivu uudelleen tai selaa tekoja luokittain.";
    console.error(error);
  }

  async function start() {
    readUrl();
    keepUnknownFilters();
    pagefind = await import(new URL("pagefind.js", bundle).href);
    await pagefind.options({ baseUrl: siteRoot, excerptLength: 24 });
    await pagefind.init();
    keepUnknownFilters();
    root.dataset.ready = "true";
    await run();
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    searchNow(true);
  });
  query.addEventListener("input", () => {
    clearTimeout(typingTimer);
    typingTimer = setTimeout(() => searchNow(false), 250);
  });
  for (const select of [...filterSelects, sortSelect]) {
    select.addEventListener("change", () => searchNow(true));
  }
  document.getElementById("kehto-reset").addEventListener("click", (event) => {
    event.preventDefault();
    form.reset();
    for (const select of [...filterSelects, sortSelect]) select.value = "";
    query.value = "";
    searchNow(true);
    query.focus();
  });
  moreButton.addEventListener("click", () => {
    const firstNew = shown;
    showMore().then(() => {
      const link = list.children[firstNew] && list.children[firstNew].querySelector("a");
      if (link) link.focus();
    }).catch(fail);
  });
  window.addEventListener("popstate", () => {
    readUrl();
    run().catch(fail);
  });
  // For tests and measurements: the page's own search, exactly as the form runs it.
  window.kehtoSearch = { prefixForm, search: (q, options = {}) => searchAll(q, options) };
  start().catch(fail);
})();
