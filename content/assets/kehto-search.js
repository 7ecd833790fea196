// kehto search page: Pagefind's JavaScript API behind a plain, accessible form.
// The query, the filters and the sort order live in the URL (?q=...&teema=...),
// so a search can be bookmarked and shared, and Back/Forward restore it.
// Results are built from text nodes only. The rules for word forms, excerpts,
// corrections and ranking are in kehto-search-lib.js.
(() => {
  "use strict";
  const root = document.getElementById("kehto-search");
  const lib = window.kehtoSearchLib;
  const boot = window.kehtoSearchBoot;
  if (!root || !lib || !boot) return;

  const PAGE_SIZE = 10;
  // A word on more pages than this is not searched as a prefix (see "Searching"); a test lowers it (data-common).
  const COMMON = Number(root.dataset.common) || 2000;
  // The record kind whose pages carry no kind value (practices: the kind filter stays small).
  const UNMARKED = root.dataset.unmarked || "";
  // A word on every indexed page: a search with only filters asks for it (urls.SEARCH_EVERY_PAGE).
  const EVERY = root.dataset.every || "";
  // A filter whose one value holds the index's first pages (urls.SEARCH_FIRST_PAGES; see "Searching").
  const FIRST = root.dataset.first || "";
  const FEW = 5;  // a word with fewer results than this is checked against the site's word list
  const form = document.getElementById("kehto-search-form");
  const query = document.getElementById("kehto-q");
  const sortSelect = document.getElementById("kehto-sort");
  const filterSelects = Array.from(form.querySelectorAll("select[data-filter]"));
  const filterCount = document.getElementById("kehto-filter-count");
  const status = document.getElementById("kehto-status");
  const note = document.getElementById("kehto-note");
  const list = document.getElementById("kehto-results");
  const moreWrap = document.getElementById("kehto-more-wrap");
  const moreButton = document.getElementById("kehto-more");

  let pagefind = null;
  let vocabulary = null;
  let results = [];
  let shown = 0;
  let total = 0;  // results found (more than `results` holds while `rest` is set)
  let rest = null;  // for a search that has only its first results: fetches them all (tiered)
  let generation = 0;
  let typingTimer = null;

  // Filter options and their counts are rendered at build time; labels come from them.
  const option = (key, value) => {
    const select = filterSelects.find((s) => s.dataset.filter === key);
    return select && Array.from(select.options).find((o) => o.value === value);
  };
  const label = (key, value) => { const o = option(key, value); return (o && o.dataset.label) || value; };
  // The record kinds of the kind menu, in the kinds table's order.
  const KINDS = Array.from(filterSelects.find((s) => s.dataset.filter === "tyyppi")?.options || [], (o) => o.value)
    .filter(Boolean);

  // A long menu's choices wait in a <template> inside it (search.md.j2), out of the page's style
  // work while the search loads. They join the menu when the URL names one of them, when the menu
  // is focused or pressed, and once the first results are shown.
  function unfold(select) {
    const folded = select.querySelector(":scope > template");
    if (!folded) return;
    select.append(folded.content);
    folded.remove();
  }

  function readUrl() {
    const params = new URLSearchParams(window.location.search);
    query.value = params.get("q") || "";
    for (const select of filterSelects) {
      // Options arrive from the index later; remember the wanted value until then.
      select.dataset.wanted = params.get(select.name) || "";
      if (select.dataset.wanted) unfold(select);
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
        const extra = new Option(`${wanted} (0)`, wanted);
        extra.dataset.label = wanted;
        select.add(extra);
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
    const chosen = Object.keys(filters).length + (sortSelect.value ? 1 : 0);
    filterCount.textContent = chosen ? `(${chosen} valittu)` : "";
    return filters;
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
    const parts = lib.excerpt(data, boot.excerptWords);
    if (!parts) excerpt.textContent = data.meta.summary || "";
    else {
      parts.forEach((part, index) => {
        if (index) excerpt.append(" ");
        if (part.mark) {
          const mark = document.createElement("mark");
          mark.textContent = part.text;
          excerpt.append(mark);
        } else excerpt.append(part.text);
      });
      excerpt.append(" …");
    }
    item.append(heading, meta, excerpt);
    return item;
  }

  // The next page of results. Each result is shown as soon as it and those above it have arrived:
  // the first result does not wait for the tenth. A search's first fragment is asked for alone and
  // the others once it is there, so that it shares neither the connection nor the main thread with
  // nine others (10 000 practices, one A/B round of five fresh pages each: median 353 -> 327 ms to
  // the first result); further pages ask for all at once.
  // `replace`: the previous search's results stay until the first new one is ready.
  async function showMore(replace = false) {
    const mine = generation;
    if (rest && shown + PAGE_SIZE > results.length) {
      const fetching = rest;
      const all = await fetching();
      if (mine !== generation || rest !== fetching) return;  // a newer search has taken over
      results = all;
      rest = null;
    }
    const first = shown === 0;
    const slice = results.slice(shown, shown + PAGE_SIZE);
    const ask = (part) => part.map((r) => r.data());
    let pending = ask(first ? slice.slice(0, 1) : slice);
    if (first && slice.length > 1) {
      // (not for a search a newer one has replaced meanwhile)
      const others = pending[0].catch(() => null).then(() => (mine === generation ? ask(slice.slice(1)) : []));
      pending = [pending[0], ...slice.slice(1).map((r, index) => others.then((asked) => asked[index]))];
    }
    for (const fragment of pending) fragment.catch(() => {});  // a failure is met below, or not at all once replaced
    if (replace && !slice.length) list.replaceChildren();
    for (const [index, fragment] of pending.entries()) {
      const data = await fragment;
      if (mine !== generation) return;
      if (replace && index === 0) list.replaceChildren();
      list.append(resultItem(data));
      if (first && index === 0) performance.mark("kehto-first-result");
    }
    shown += slice.length;
    moreWrap.hidden = shown >= total;
  }

  // --- Searching -----------------------------------------------------------------------
  // One query, in tiers: as typed (Pagefind matches every word starting with it), then with
  // each word cut to its inflection stem, then to its derivation stem. Later tiers add their
  // new results after the earlier ones, and run only while there are fewer than a page of
  // results. Pagefind's work grows with the number of results times the pages of every word
  // matched, so a prefix search of a word on nearly every page ("kehittää" matches "kehittäjä",
  // "kehittäminen" ...) costs seconds at 10 000 practices. So a single word is first searched
  // as a word (Pagefind's quoted search: the word and its inflections, no longer words), which
  // takes a tenth of that; when the word is on more than COMMON pages, that is the answer.
  // Pagefind (1.5) gives every result of a quoted word the same score and only the word's first
  // place on the page, so these come in the index's page order, without Pagefind's weighting of
  // titles and page length (for a word on thousands of pages that ranking has little to go on).
  // That search scans, for each result, the word's whole page list: its work grows with the square
  // of the word's pages (240 ms for a word on 9 906 pages). When a first page of results is enough
  // (`head`: the form's search of one word, no filters, no sort), the word is first searched among
  // the index's first pages (the FIRST filter, kehto.search_index.mark_first_pages): a word on more
  // than COMMON pages has the same first results there, and Pagefind still counts all its pages and
  // their kinds. The rest is searched only when asked for (`rest`, "Näytä lisää").
  async function tiered(words, options, head = false) {
    if (words.length === 1) {
      const quoted = `"${words[0]}"`;
      let common = true;  // until the first pages tell
      if (head && FIRST) {
        const first = await pagefind.search(quoted, { ...options, filters: { ...options.filters, [FIRST]: "1" } });
        const count = first ? first.unfilteredResultCount : 0;
        common = count > COMMON;
        if (common && first.results.length >= Math.min(PAGE_SIZE, count)) {
          const more = first.results.length < count ? () => pagefind.search(quoted, options).then((s) => s.results) : null;
          return { results: first.results, exact: count, total: count, rest: more,
            searches: [{ results: first.results, filters: first.totalFilters }] };
        }
      }
      if (common) {
        const search = await pagefind.search(quoted, options);
        if (search && search.results.length > COMMON) {
          return { results: search.results, exact: search.results.length, searches: [search] };
        }
      }
    }
    const forms = words.map(lib.wordForms);
    const tiers = [0, 1, 2].map((t) => forms.map((f) => f[Math.min(t, f.length - 1)]).join(" "))
      .filter((q, i, all) => all.indexOf(q) === i);
    const seen = new Set();
    const out = [];
    const searches = [];
    for (const q of tiers) {
      if (searches.length && out.length >= PAGE_SIZE) break;
      const search = await pagefind.search(q, options);
      searches.push(search);
      for (const result of (search && search.results) || []) {
        if (!seen.has(result.id)) { seen.add(result.id); out.push(result); }
      }
    }
    return { results: out, exact: (searches[0] && searches[0].results.length) || 0, searches };
  }

  async function loadVocabulary() {
    if (vocabulary || !root.dataset.words) return vocabulary || [];
    const response = await fetch(new URL(root.dataset.words, window.location.href));
    vocabulary = response.ok ? await response.json() : [];
    return vocabulary;
  }

  // All words first, then pages with most of the words. Returns the ordered results and
  // what the status line needs to explain them.
  async function searchWords(words, options, head = false) {
    const all = await tiered(words, options, head && words.length === 1);
    // A word that finds little may be misspelt ("vertasimentorointi" only reaches "verrata").
    if (words.length < 2) return { results: all.results, all, partial: [], doubtful: all.exact < FEW ? words : [] };
    const single = await Promise.all(words.map((w) => tiered([w], options)));
    const needed = Math.ceil(words.length / 2);
    const partial = lib.mostWords(single.map((s) => s.results), needed, new Set(all.results.map((r) => r.id)));
    const doubtful = words.filter((w, i) => single[i].exact < FEW);
    return { results: [...all.results, ...partial], all, partial, doubtful };
  }

  // Pagefind counts the kinds that have a value; the unmarked kind's pages are the rest. The
  // counts come in the order of the kind menu (the kinds table's).
  function countUnmarked(filters, total) {
    if (!filters || !filters.tyyppi || !UNMARKED) return filters;
    const counts = { ...filters.tyyppi };
    delete counts[UNMARKED];
    const others = Object.values(counts).reduce((sum, n) => sum + n, 0);
    if (others > total) return filters;
    counts[UNMARKED] = total - others;
    const ordered = {};
    for (const value of [...KINDS, ...Object.keys(counts)]) if (value in counts) ordered[value] = counts[value];
    return { ...filters, tyyppi: ordered };
  }

  // --- Sorting by date -------------------------------------------------------------------
  // Pagefind's sort orders are not in its page list (kehto.search_index moves them out, so that
  // searches that are not sorted do not download them): the order comes from its own file,
  // fetched the first time a search is sorted, and the results are sorted here.
  let order = null;
  async function loadOrder() {
    if (!order) {
      const response = await fetch(new URL(root.dataset.order, window.location.href), { cache: "no-cache" });
      if (!response.ok) throw new Error(`${root.dataset.order}: ${response.status}`);
      const data = await response.json();  // {"prefix": "fi_", "julkaistu": "2f29be5 32de39d ..."}
      order = new Map(data.julkaistu.split(" ").map((id, place) => [data.prefix + id, place]));
    }
    return order;
  }

  // The results newest (or oldest) first; all-words results stay before those with most words.
  async function sortByDate(found, newest) {
    const places = await loadOrder();
    const place = (result) => (places.has(result.id) ? places.get(result.id) : -1);
    const byDate = (results) => results.slice().sort((a, b) => (newest ? place(b) - place(a) : place(a) - place(b)));
    const head = found.partialCount ? found.allCount : found.results.length;
    return [...byDate(found.results.slice(0, head)), ...byDate(found.results.slice(head))];
  }

  async function searchAll(q, options = {}, head = false) {
    const words = lib.queryWords(q || "");
    if (!words.length) {
      // Without words Pagefind would load nearly its whole word index; this word's chunk is enough.
      const search = await pagefind.search(EVERY ? `"${EVERY}"` : null, options);
      const results = search ? search.results : [];
      return { results, filters: countUnmarked(search && search.filters, results.length), words,
        ignored: Boolean((q || "").trim()) };
    }
    let found = await searchWords(words, options, head);
    let corrected = null;
    let suggestion = null;
    if (found.doubtful.length) {
      // Corrections come from the site's own words (the word list at data-words, loaded only now).
      const known = await loadVocabulary();
      const fixes = new Map(found.doubtful.map((w) => [w, lib.suggest(w, known)]).filter(([, s]) => s));
      if (fixes.size) {
        const better = words.map((w) => fixes.get(w) || w);
        const again = await searchWords(better, options, head);
        if (again.all.results.length) {
          // the site does not know the word but knows a close one: show what that finds, and say so
          found = again;
          corrected = better.join(" ");
        } else suggestion = better.join(" ");
      }
    }
    // The kinds of the all-words results, when one search holds every one of them.
    const widest = found.all.searches.reduce((a, b) => (b && (!a || b.results.length > a.results.length) ? b : a), null);
    const filtersOfAll = widest && widest.results.length === found.all.results.length ? widest.filters : null;
    const count = found.all.total ?? found.all.results.length;
    return { results: found.results, total: found.all.total, rest: found.all.rest, allCount: count,
      partialCount: found.partial.length, filters: countUnmarked(filtersOfAll, count), words, corrected, suggestion };
  }

  // --- Status line -----------------------------------------------------------------------
  function describe(found, q, filters) {
    const chosen = Object.entries(filters).map(([k, v]) => label(k, v));
    return lib.statusLine(found, q, chosen, (value, n) => {
      const o = option("tyyppi", value);
      return `${n} ${o ? (n === 1 ? o.dataset.one : o.dataset.many) : value}`;
    });
  }

  function explain(found, q) {
    note.replaceChildren();
    const lines = lib.notes(found).map((line) => [line]);
    if (found.suggestion) {
      const link = document.createElement("a");
      link.href = "?" + new URLSearchParams({ q: found.suggestion }).toString();
      link.textContent = found.suggestion;
      link.addEventListener("click", (event) => { event.preventDefault(); query.value = found.suggestion; searchNow(true); });
      lines.push(["Tarkoititko: ", link, "?"]);
    }
    lines.forEach((line, index) => { if (index) note.append(document.createElement("br")); note.append(...line); });
    note.hidden = !lines.length;
  }

  // The order menu's first choice is the default order, which depends on the query: relevance for
  // words, newest first for filters alone (see run). It says which.
  const defaultOrder = sortSelect.options[0];
  const hasWords = (q) => lib.queryWords(q).length > 0;
  function showDefaultOrder(words) {
    defaultOrder.textContent = words ? "Osuvin ensin" : "Oletus (uusin ensin)";
  }

  async function run() {
    const mine = ++generation;
    const q = query.value.trim();
    const filters = currentFilters();
    const words = hasWords(q);
    showDefaultOrder(words);
    const sort = sortSelect.value === "uusin" || sortSelect.value === "vanhin" ? sortSelect.value : undefined;
    if (!words && !Object.keys(filters).length && !sort) {
      // Nothing to search: no query, or only words shorter than the search uses (which would
      // otherwise list every page).
      list.replaceChildren();
      moreWrap.hidden = note.hidden = true;
      results = [];
      rest = null;
      total = shown = 0;
      status.textContent = q ? `${lib.SHORT_WORDS} Kirjoita pidempi hakusana.` : "Kirjoita hakusana tai valitse rajaus.";
      root.dataset.state = q ? "done" : "idle";
      return;
    }
    root.dataset.state = "searching";
    // Every page but the unmarked kind's has a kind value. Asking for "any kind or none" changes no
    // result, but makes Pagefind load that small filter and count the results by kind for the
    // status line. (A search without words would load the whole index: never use one just for that.)
    // The unmarked kind is asked for as "none of the others".
    const marked = KINDS.filter((value) => value !== UNMARKED);
    const kindFilter = !marked.length ? filters.tyyppi
      : filters.tyyppi === UNMARKED ? { none: marked }
        : filters.tyyppi || { any: [{ any: marked }, { none: marked }] };
    const options = { filters: kindFilter ? { ...filters, tyyppi: kindFilter } : filters };
    const found = await searchAll(q, options, !sort && !Object.keys(filters).length);
    // Results of filters alone have no relevance order: newest first, as on the listing pages.
    const order = sort || (found.words.length ? undefined : "uusin");
    if (order) found.results = await sortByDate(found, order === "uusin");
    if (mine !== generation) return;
    // The old results stay until the first new one is ready: nothing jumps in between.
    moreWrap.hidden = true;
    results = found.results;
    total = found.total ?? found.results.length;
    rest = found.rest || null;
    shown = 0;
    status.textContent = describe(found, q, filters);
    explain(found, q);
    await showMore(true);
    if (mine === generation) root.dataset.state = "done";
  }

  function searchNow(push) {
    clearTimeout(typingTimer);
    writeUrl(push);
    run().catch(fail);
  }

  function fail(error) {
    root.dataset.state = "error";
    moreWrap.hidden = true;
    rest = null;
    status.textContent = "Haku ei juuri nyt toimi. Lataa sivu uudelleen tai selaa tekoja luokittain.";
    console.error(error);
  }

  async function start() {
    readUrl();
    showDefaultOrder(hasWords(query.value));
    keepUnknownFilters();
    currentFilters();
    pagefind = await boot.pagefind;  // loading since the parser reached the search block
    keepUnknownFilters();
    root.dataset.ready = "true";
    try {
      await run();
    } finally {
      (window.requestIdleCallback || setTimeout)(() => filterSelects.forEach(unfold));
    }
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
  for (const select of filterSelects) {
    for (const type of ["pointerdown", "focus"]) select.addEventListener(type, () => unfold(select));
  }
  document.getElementById("kehto-reset").addEventListener("click", (event) => {
    event.preventDefault();
    form.reset();
    for (const select of [...filterSelects, sortSelect]) select.value = "";
    query.value = "";
    searchNow(true);
    query.focus();
  });
  // One page at a time, and none for results a newer search is about to replace.
  let adding = null;
  moreButton.addEventListener("click", () => {
    if (adding || root.dataset.state === "searching") return;
    const firstNew = shown;
    adding = showMore().then(() => {
      const link = list.children[firstNew] && list.children[firstNew].querySelector("a");
      if (link) link.focus();
    }).catch(fail).finally(() => { adding = null; });
  });
  window.addEventListener("popstate", () => {
    readUrl();
    keepUnknownFilters();
    run().catch(fail);
  });
  // For tests and measurements: the page's own search, exactly as the form runs it.
  window.kehtoSearch = { search: (q, options = {}) => searchAll(q, options) };
  start().catch(fail);
})();
