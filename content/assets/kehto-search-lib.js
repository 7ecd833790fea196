// kehto search, the parts without a page: excerpts, Finnish word forms, corrections, ranking.
// kehto-search.js uses them; they are plain functions so that the rules stay readable.
window.kehtoSearchLib = (() => {
  "use strict";

  // --- Excerpts --------------------------------------------------------------------
  // The last `lisasanat` words Pagefind indexes for a page are its hidden search words
  // (kehto.search_terms: base forms, theme names, synonyms). An excerpt is taken from the
  // visible words only, the same way Pagefind takes its own (the densest window of
  // matches); when every match is hidden, there is no excerpt and the summary is shown.
  function excerpt(data, length) {
    const content = data.raw_content || data.content || "";
    const words = content.split(/[\r\n\s]+/g);
    const extra = Number((data.meta && data.meta.lisasanat) || 0);
    const end = Math.max(0, words.length - extra);
    const located = (data.weighted_locations || (data.locations || []).map((l) => ({ location: l, balanced_score: 1 })))
      .filter((w) => w.location < end);
    if (!located.length) return null;
    const weights = [];
    for (const w of located) weights[w.location] = (weights[w.location] || 0) + (w.balanced_score || w.weight || 1);
    let start = 0;
    if (weights.length > length) {
      // the window with the most weight; of equally good neighbouring windows, the middle one
      let sum = 0;
      for (let i = 0; i < length; i++) sum += weights[i] || 0;
      let best = sum;
      let bestAt = [0];
      for (let i = 1; i + length <= end; i++) {
        sum += (weights[i + length - 1] || 0) - (weights[i - 1] || 0);
        if (sum > best) { best = sum; bestAt = [i]; } else if (sum === best && bestAt[bestAt.length - 1] === i - 1) bestAt.push(i);
      }
      start = bestAt[Math.floor(bestAt.length / 2)];
    }
    const marked = new Set(located.map((w) => w.location));
    const parts = [];
    for (let i = start; i < Math.min(start + length, end); i++) {
      parts.push({ text: words[i], mark: marked.has(i) });
    }
    return parts.length ? parts : null;
  }

  // --- Word forms --------------------------------------------------------------------
  // Finnish inflects and derives: "perehdytyksen", "perehdyttäminen", "kuormittuminen".
  // The index holds base forms and derivation roots (kehto.finnish); cutting an ending
  // turns a query word into a prefix Pagefind matches against them. Inflection first,
  // then derivation; results of shorter forms come after those of longer ones.
  const INFLECTIONS = ["iksi", "eissa", "eissä", "ksen", "ksia", "ksiä", "issa", "issä", "illa", "illä", "ista", "istä",
    "ille", "ilta", "iltä", "isen", "sten", "tten", "iden", "itten", "ssa", "ssä", "sta", "stä", "lla", "llä",
    "lta", "ltä", "lle", "ksi", "ten", "den", "ita", "itä", "ja", "jä", "ta", "tä", "en", "in", "na", "nä", "n", "t", "a", "ä"];
  const DERIVATIONS = ["minen", "misen", "mista", "mistä", "maton", "mätön", "uuden", "yyden", "uus", "yys",
    "ija", "ijä", "oida", "öidä", "ida", "idä", "ella", "ellä", "ja", "jä", "va", "vä", "u", "y", "o", "ö", "i", "e", "a", "ä"];
  const MIN_STEM = 5;

  function cut(word, endings, min) {
    const lower = word.toLowerCase();
    for (const ending of endings) {
      if (lower.length - ending.length >= min && lower.endsWith(ending)) return word.slice(0, -ending.length);
    }
    return null;
  }

  // The forms of one query word to search with, longest first: the word, then its
  // inflection stem, then its derivation stem (each at least MIN_STEM letters, or 4 for
  // inflection as before).
  function wordForms(word) {
    const forms = [word];
    const inflected = cut(word, INFLECTIONS, 4);
    if (inflected) forms.push(inflected);
    let derived = cut(inflected || word, DERIVATIONS, MIN_STEM);
    // a stem ending in a vowel is cut once more: "kuormittu(minen)" -> "kuormitt"
    if (derived && /[aeiouyäö]$/i.test(derived)) derived = cut(derived, ["a", "ä", "e", "i", "o", "ö", "u", "y"], MIN_STEM) || derived;
    if (derived && !forms.includes(derived)) forms.push(derived);
    return forms;
  }

  // The query's words, in order; one-letter and two-letter words carry no meaning alone.
  const SHORTEST = 3;  // letters: a shorter word is not searched (as a prefix it would match nearly everything)
  const SHORT_WORDS = `Alle ${SHORTEST} kirjaimen sanoja ei haeta.`;
  function queryWords(query) {
    return query.split(/\s+/).map((w) => w.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, "")).filter((w) => w.length >= SHORTEST);
  }

  // --- Corrections -------------------------------------------------------------------
  // Optimal string alignment distance (a swap of two letters counts as one), stopping early
  // once it exceeds `limit`.
  function distance(a, b, limit) {
    if (Math.abs(a.length - b.length) > limit) return limit + 1;
    let before = null;
    let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      const current = [i];
      let best = i;
      for (let j = 1; j <= b.length; j++) {
        const cost = a[i - 1] === b[j - 1] ? 0 : 1;
        let value = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
        if (before && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, before[j - 2] + 1);
        current.push(value);
        best = Math.min(best, value);
      }
      if (best > limit) return limit + 1;
      before = previous;
      previous = current;
    }
    return previous[b.length];
  }

  const fold = (w) => w.toLowerCase().replace(/å/g, "a").replace(/ä/g, "a").replace(/ö/g, "o");

  // The closest word of the site's word list (most common first), or null. One edit is
  // allowed in words of 5–7 letters, two in longer ones; ties go to the more common word.
  function suggest(word, vocabulary) {
    const wanted = fold(word);
    if (wanted.length < 5) return null;
    const limit = wanted.length >= 8 ? 2 : 1;
    let best = null;
    let bestDistance = limit + 1;
    for (const candidate of vocabulary) {
      const d = distance(wanted, fold(candidate), Math.min(limit, bestDistance));
      if (d === 0) return null;  // the word is known: nothing to correct
      if (d < bestDistance) { best = candidate; bestDistance = d; }
    }
    return best;
  }

  // --- Ranking -------------------------------------------------------------------------
  // Results of several words: each entry of `perWord` lists the results of one word.
  // Pages that have at least `needed` of the words, most words first, then by score.
  function mostWords(perWord, needed, exclude) {
    const pages = new Map();
    perWord.forEach((results) => {
      const seen = new Set();
      for (const result of results) {
        if (exclude.has(result.id) || seen.has(result.id)) continue;
        seen.add(result.id);
        const entry = pages.get(result.id) || { result, words: 0, score: 0 };
        entry.words += 1;
        entry.score += result.score || 0;
        pages.set(result.id, entry);
      }
    });
    return Array.from(pages.values()).filter((e) => e.words >= needed)
      .sort((a, b) => b.words - a.words || b.score - a.score).map((e) => e.result);
  }

  // --- What the status line says ----------------------------------------------------------
  // `found`: the search's answer (kehto-search.js searchAll); `chosen`: labels of the filters
  // in use; `counted(value, n)`: a record kind counted in Finnish ("3 prosessikuvausta").
  function statusLine(found, q, chosen, counted) {
    const count = found.total ?? found.results.length;  // (total: when only the first results are fetched)
    const parts = [];
    const shownQuery = found.corrected || (found.ignored ? "" : q);
    if (shownQuery) parts.push(`hakusanoilla ”${shownQuery}”`);
    if (chosen.length) parts.push(`rajauksella ${chosen.join(", ")}`);
    const where = parts.length ? " " + parts.join(" ja ") : "";
    if (count === 0) return `Ei tuloksia${where}. Kokeile toista sanaa tai poista rajauksia.`;
    const noun = count === 1 ? "tulos" : "tulosta";
    if (found.partialCount && found.allCount) {
      return `${count} ${noun}${where}: kaikki sanat ${found.allCount} tuloksessa, useimmat ${found.partialCount} tuloksessa.`;
    }
    // by kind, when Pagefind counted them for exactly these results
    const counts = !found.partialCount && found.filters && found.filters.tyyppi;
    const kinds = counts ? Object.entries(counts).filter(([, n]) => n > 0) : [];
    const sum = kinds.reduce((total, [, n]) => total + n, 0);
    const byKind = kinds.length && sum === count ? `: ${kinds.map(([value, n]) => counted(value, n)).join(", ")}` : "";
    return `${count} ${noun}${where}${byKind}.`;
  }

  // The lines under the status that explain a correction or a fallback to most of the words.
  function notes(found) {
    const lines = [];
    if (found.ignored) lines.push(SHORT_WORDS);
    if (found.corrected) lines.push(`Sanaa ei löytynyt sivustolta sellaisenaan, joten näytetään tulokset haulle ”${found.corrected}”.`);
    if (found.partialCount && !found.allCount) {
      lines.push("Kaikkia sanoja ei löytynyt yhdestä tekstistä; alla tulokset, joissa on useimmat sanoista.");
    } else if (found.partialCount) {
      lines.push("Ensin tulokset, joissa on kaikki sanat; niiden jälkeen tulokset, joissa on useimmat sanoista.");
    }
    return lines;
  }

  return { excerpt, wordForms, queryWords, distance, suggest, mostWords, statusLine, notes, SHORT_WORDS };
})();
