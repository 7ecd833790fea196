// kehto form lookups: the forms fetch what they need while someone types (organisations by
// the first letter of the name, titles by their first three letters, one practice's record),
// from small JSON files the build writes (kehto.form_data). The paths and the letter
// folding come from the page (#kehto-form-paths), so nothing here spells a path.
(() => {
  "use strict";
  const node = document.getElementById("kehto-form-paths");
  if (!node) return;
  const { paths, fold, title_key: titleKey } = JSON.parse(node.textContent);
  const cache = new Map();

  const letters = (text) => (text || "").toLowerCase().replace(/[^a-z0-9]/g, (c) => fold[c] || "").replace(/[^a-z0-9]/g, "");
  const key = (text, length = 1) => letters(text).slice(0, length) || "_";
  const fill = (template, values) => template.replace(/\{(\w+)\}/g, (_, name) => encodeURIComponent(values[name]));

  // One request per file; a missing file is an empty list, a failed request is retried next time.
  function json(url) {
    if (!cache.has(url)) {
      const request = fetch(url).then((response) => {
        if (response.ok) return response.json();
        if (response.status === 404) return [];
        throw new Error(`HTTP ${response.status}`);
      });
      request.catch(() => cache.delete(url));
      cache.set(url, request);
    }
    return cache.get(url);
  }

  // Whether a page exists (a practice or organisation id taken): a HEAD request, no data.
  async function exists(name, id) {
    const response = await fetch(fill(paths[name], { id }), { method: "HEAD" });
    return response.ok;
  }

  // Entries whose text starts with the letters typed: a file names a prefix; a busy prefix's file
  // says {"more": true} and the next letter typed picks the file to read (kehto.form_data).
  async function prefixed(template, text, length) {
    const all = letters(text);
    let found = [];
    for (let n = length; n <= Math.max(all.length, length); n++) {
      const data = await json(fill(template, { key: all.slice(0, n) || "_" }));
      if (Array.isArray(data)) return found.concat(data);
      found = found.concat(data.items || []);
      if (all.length <= n) break;
    }
    return found;
  }

  window.kehtoLookup = {
    paths,
    key,
    fill,
    exists,
    organisations: (text) => prefixed(paths.organisations, text, 1), // [[id, name], ...]
    // [[title, id, organisation], ...]; nothing before the letters that name a file are typed
    titles: (text) => (letters(text).length < titleKey ? Promise.resolve([]) : prefixed(paths.titles, text, titleKey)),
    record: (id) => json(fill(paths.record, { id })),
  };
})();
