// kehto practice form (the submit page) and correction form (the correction page). The inputs and
// their rules are generated from schemas/practice.schema.json at build time; this script
// validates with the same rules as `kehto validate` where a browser can, keeps a draft in
// localStorage, and sends the record to the intake service (sites built with
// KEHTO_INTAKE_URL) or turns it into the YAML files a pull request, issue or e-mail carries.
(() => {
  "use strict";

  const FOLD = { "ä": "a", "ö": "o", "å": "a", "é": "e", "ü": "u", "š": "s", "ž": "z" };
  const DRAFT_KEY = "kehto-lisaa-luonnos-v1";
  const NEEDS_ESCAPE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?:[^\ud800-\udbff]|^)[\udc00-\udfff]/;

  // ---- pure helpers (also used by the tests through window.kehtoForm) ----

  // A Markdown code block that no text inside can end: the fence is longer than any run of
  // backticks in the text (CommonMark closes a block only with a fence at least as long).
  function fenced(text, info) {
    const longest = Math.max(0, ...(text.match(/`+/g) || []).map((run) => run.length));
    const fence = "`".repeat(Math.max(3, longest + 1));
    return `${fence}${info}\n${text.endsWith("\n") ? text : text + "\n"}${fence}\n`;
  }

  // The limit is the schema's maxLength of the id (the form spec carries it).
  function proposeId(title, limit) {
    const folded = (title || "").toLowerCase().replace(/[äöåéüšž]/g, (c) => FOLD[c]);
    const words = folded.match(/[a-z0-9]+/g) || [];
    let out = "";
    for (const word of words) {
      const candidate = out ? `${out}-${word}` : word;
      if (candidate.length > limit) break;
      out = candidate;
    }
    return out;
  }

  function normaliseTitle(title) {
    const folded = (title || "").toLowerCase().replace(/[äöåéüšž]/g, (c) => FOLD[c]);
    return (folded.match(/[a-z0-9]+/g) || []).join(" ");
  }

  function quoted(text) {
    // JSON strings are valid YAML double-quoted scalars; escape what YAML may not hold raw.
    let out = JSON.stringify(text);
    out = out.replace(/[\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/g,
      (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"));
    return out;
  }

  function blockable(text) {
    if (!text.includes("\n") || text.endsWith("\n") || NEEDS_ESCAPE.test(text.replace(/\n/g, ""))) return false;
    if (text.includes("\r") || text.includes("\t")) return false;
    return text.split("\n").every((line) => !/[ \t]$/.test(line));
  }

  function scalar(value, indent) {
    if (typeof value !== "string") return JSON.stringify(value);
    if (blockable(value)) {
      const pad = " ".repeat(indent + 2);
      // An explicit indentation indicator keeps leading spaces and leading blank lines intact.
      const indicator = /^[\s]/.test(value) ? "2" : "";
      return `|${indicator}-\n` + value.split("\n").map((line) => (line ? pad + line : "")).join("\n");
    }
    return quoted(value);
  }

  function toYaml(record, indent = 0) {
    const pad = " ".repeat(indent);
    const lines = [];
    for (const [key, value] of Object.entries(record)) {
      if (value === undefined || value === null) continue;
      if (Array.isArray(value)) {
        if (!value.length) {
          lines.push(`${pad}${key}: []`);
          continue;
        }
        lines.push(`${pad}${key}:`);
        for (const item of value) {
          if (item && typeof item === "object") {
            const inner = toYaml(item, indent + 4).split("\n");
            lines.push(`${pad}  - ${inner[0].trimStart()}`, ...inner.slice(1));
          } else {
            lines.push(`${pad}  - ${scalar(item, indent + 2)}`);
          }
        }
      } else if (typeof value === "object") {
        lines.push(`${pad}${key}:`, toYaml(value, indent + 2));
      } else {
        lines.push(`${pad}${key}: ${scalar(value, indent)}`);
      }
    }
    return lines.join("\n");
  }

  function realDate(text) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
    const [y, m, d] = text.split("-").map(Number);
    const date = new Date(Date.UTC(y, m - 1, d));
    return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
  }

  // Today in Finland (kehto.days.today): a record's dates are Finnish days wherever the writer is,
  // so the form and `kehto validate` agree on what is "in the future". sv-SE writes YYYY-MM-DD.
  const finnishDay = new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Helsinki" });
  function today() {
    return finnishDay.format(new Date());
  }

  function checkText(field, value) {
    const length = [...value].length;
    if (field.min_length && length < field.min_length) {
      return `Teksti on liian lyhyt: ${length} merkkiä, vähintään ${field.min_length}.`;
    }
    if (field.max_length && length > field.max_length) {
      return `Teksti on liian pitkä: ${length} merkkiä, enintään ${field.max_length}.`;
    }
    if (field.pattern && !new RegExp(field.pattern, "u").test(value)) {
      return field.hint || "Tarkista muoto.";
    }
    if (/[\u202a-\u202e\u2066-\u2069]/.test(value)) return "Tekstissä on suunnanvaihtomerkki; poista se.";
    if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/.test(value)) return "Tekstissä on näkymätön ohjausmerkki; poista se.";
    return "";
  }

  // Validate a record the way `kehto validate` does; returns {fieldKey: message}.
  function validate(record, spec, extra = {}) {
    const errors = {};
    for (const field of spec.fields) {
      const [top, sub] = field.key.split(".");
      const raw = sub ? (record[top] || {})[sub] : record[top];
      const empty = raw === undefined || raw === "" || (Array.isArray(raw) && raw.length === 0);
      if (empty) {
        const parentGiven = sub && record[top] && Object.keys(record[top]).length;
        if (field.required && (!sub || parentGiven)) {
          errors[field.key] = field.widget === "choices" ? "Valitse vähintään yksi." : "Tämä tieto on pakollinen.";
        }
        continue;
      }
      let message = "";
      if (field.widget === "choices") {
        if (field.max_items && raw.length > field.max_items) message = `Valitse enintään ${field.max_items}.`;
      } else if (field.widget === "rows") {
        for (const row of raw) {
          if (!row.title || !row.url) { message = "Anna jokaiselle linkille sekä teksti että osoite."; break; }
          const part = field.parts.find((p) => p.key === "url");
          if (part && !new RegExp(part.pattern, "u").test(row.url)) { message = part.hint || "Tarkista osoite."; break; }
        }
      } else if (field.widget === "list") {
        for (const item of raw) {
          message = checkText(field, item);
          if (message) break;
        }
      } else if (field.widget === "date") {
        if (!realDate(raw)) message = "Päivämäärää ei ole kalenterissa.";
        else if (raw > (extra.today || today())) message = "Päivämäärä on tulevaisuudessa.";
      } else if (field.widget === "organisation") {
        if (extra.organisations && !extra.organisations.has(raw) && !extra.newOrganisation) {
          message = "Organisaatiota ei löydy rekisteristä. Valitse listasta tai ilmoita uusi organisaatio.";
        }
      } else if (field.widget === "select") {
        if (!field.options.some(([value]) => value === raw)) message = "Valitse jokin vaihtoehdoista.";
      } else {
        message = checkText(field, raw);
        if (!message && field.widget === "id" && extra.takenIds && extra.takenIds.has(raw)) {
          message = "Tunniste on jo käytössä toisella teolla; muuta sitä hieman.";
        }
      }
      if (message) errors[field.key] = message;
    }
    return errors;
  }

  function similar(a, b) {
    // Ratio of the longest common subsequence, close to difflib's ratio for short titles.
    if (!a || !b) return 0;
    const prev = new Array(b.length + 1).fill(0);
    for (let i = 1; i <= a.length; i++) {
      let last = 0;
      for (let j = 1; j <= b.length; j++) {
        const keep = prev[j];
        prev[j] = a[i - 1] === b[j - 1] ? last + 1 : Math.max(prev[j], prev[j - 1]);
        last = keep;
      }
    }
    return (2 * prev[b.length]) / (a.length + b.length);
  }

  window.kehtoForm = { proposeId, normaliseTitle, toYaml, validate, realDate, today, similar, fenced };

})();
