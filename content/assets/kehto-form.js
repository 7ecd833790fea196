// kehto submission form (the submit page). The inputs and their rules are generated from
// schemas/practice.schema.json at build time; this script validates with the same
// rules as `kehto validate` where a browser can, keeps a draft in localStorage,
// and turns the answers into the YAML file a pull request, issue or e-mail carries.
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

  function today() {
    const now = new Date();
    const two = (n) => String(n).padStart(2, "0");
    return `${now.getFullYear()}-${two(now.getMonth() + 1)}-${two(now.getDate())}`;
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

  window.kehtoForm = { proposeId, normaliseTitle, toYaml, validate, realDate, fenced };

  // ---- the page ----
  const root = document.getElementById("kehto-form");
  if (!root) return;
  const spec = JSON.parse(document.getElementById("kehto-form-spec").textContent);
  const form = document.getElementById("kehto-practice-form");
  const summary = document.getElementById("kehto-form-summary");
  const draftStatus = document.getElementById("kehto-draft-status");
  const result = document.getElementById("kehto-result");
  const byKey = Object.fromEntries(spec.fields.map((f) => [f.key, f]));
  const newOrg = document.getElementById("kehto-new-org");
  const newOrgFields = document.getElementById("kehto-new-org-fields");
  const orgByName = {};
  let titles = null;
  let takenIds = null;
  let organisations = null;
  let attempted = false;

  // Organisations and existing practices grow with the registry, so they are
  // fetched after the page loads instead of being part of it.
  async function loadRegistry() {
    if (titles) return titles;
    const data = await (await fetch(root.dataset.registry)).json();
    const list = document.getElementById(`${byKey.organisation.id}-list`);
    for (const [id, name] of data.organisations) {
      orgByName[name.toLowerCase()] = id;
      const option = document.createElement("option");
      option.value = name;
      list.append(option);
    }
    organisations = new Set(data.organisations.map((pair) => pair[0]));
    takenIds = new Set(data.titles.map((entry) => entry[2]));
    titles = data.titles;
    return titles;
  }

  const element = (field) => document.getElementById(field.id);
  const idInput = document.getElementById("f-id");
  const titleInput = document.getElementById("f-title");
  const dateInput = document.querySelector("input[type=date]");
  if (dateInput) dateInput.max = today();

  function rowsOf(key) {
    return Array.from(form.querySelectorAll(`[data-rows="${key}"] > li`));
  }

  function readField(field) {
    if (field.widget === "choices") {
      return Array.from(form.querySelectorAll(`input[name="${field.key}"]:checked`)).map((c) => c.value);
    }
    if (field.widget === "rows") {
      return rowsOf(field.key).map((row) => {
        const item = {};
        for (const input of row.querySelectorAll("[data-part]")) {
          if (input.value.trim()) item[input.dataset.part] = input.value.trim();
        }
        return item;
      }).filter((item) => Object.keys(item).length);
    }
    const value = element(field).value;
    if (field.widget === "list") return value.split(",").map((v) => v.trim()).filter(Boolean);
    if (field.widget === "organisation") {
      const text = value.trim();
      return orgByName[text.toLowerCase()] || text;
    }
    return field.widget === "markdown" || field.widget === "textarea" ? value.replace(/\s+$/, "") : value.trim();
  }

  function collect() {
    const record = {};
    for (const field of spec.fields) {
      const value = readField(field);
      if (value === "" || (Array.isArray(value) && !value.length)) continue;
      const [top, sub] = field.key.split(".");
      if (sub) (record[top] = record[top] || {})[sub] = value;
      else record[top] = value;
    }
    if (newOrg && newOrg.checked) record.organisation = newOrganisation().id || record.organisation;
    return record;
  }

  function newOrganisation() {
    const name = document.getElementById("f-new-org-name").value.trim();
    return {
      id: proposeId(name, byKey.id.max_length),  // an organisation id has the same maxLength (tested)
      name,
      type: document.getElementById("f-new-org-type").value,
      region: document.getElementById("f-new-org-region").value,
    };
  }

  // ---- errors next to fields ----
  function showError(field, message) {
    const error = document.getElementById(`${field.id}-error`);
    const input = element(field);
    if (!error) return;
    error.textContent = message || "";
    error.hidden = !message;
    const targets = input && input.tagName === "FIELDSET" ? input.querySelectorAll("input") : [input];
    for (const target of targets) {
      if (!target) continue;
      if (message) target.setAttribute("aria-invalid", "true");
      else target.removeAttribute("aria-invalid");
    }
  }

  function newOrgErrors() {
    if (!newOrg || !newOrg.checked) return "";
    const org = newOrganisation();
    const missing = [];
    if (org.name.length < 2) missing.push("nimi");
    if (!org.type) missing.push("tyyppi");
    if (!org.region) missing.push("maakunta");
    return missing.length ? `Kerro uuden organisaation ${missing.join(", ")}.` : "";
  }

  function check(showAll) {
    const record = collect();
    const errors = validate(record, spec, { newOrganisation: newOrg && newOrg.checked, takenIds, organisations });
    for (const field of spec.fields) {
      if (showAll || field.touched) showError(field, errors[field.key]);
    }
    const orgError = newOrgErrors();
    const orgErrorBox = document.getElementById("f-new-org-error");
    orgErrorBox.textContent = orgError;
    orgErrorBox.hidden = !orgError;
    return { record, errors, orgError };
  }

  function showSummary(errors, orgError) {
    const list = summary.querySelector("ul");
    list.replaceChildren();
    const entries = Object.entries(errors);
    if (orgError) entries.push(["organisation", orgError]);
    for (const [key, message] of entries) {
      const field = byKey[key];
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = `#${field.id}`;
      link.textContent = `${field.label}: ${message}`;
      link.addEventListener("click", (event) => {
        event.preventDefault();
        const details = element(field).closest("details");
        if (details) details.open = true;
        const target = element(field).tagName === "FIELDSET" ? element(field).querySelector("input") : element(field);
        target.focus();
      });
      item.append(link);
      list.append(item);
    }
    summary.hidden = entries.length === 0;
  }

  // ---- counters, id proposal, duplicates ----
  function updateCount(field) {
    const counter = document.getElementById(`${field.id}-count`);
    if (!counter) return;
    const length = [...element(field).value].length;
    counter.textContent = `${length} / ${field.max_length} merkkiä`;
    counter.classList.toggle("kehto-count--over", length > field.max_length);
  }

  async function checkDuplicate() {
    const warning = document.getElementById("f-title-duplicate") || (() => {
      const p = document.createElement("p");
      p.id = "f-title-duplicate";
      p.className = "kehto-warning";
      p.setAttribute("role", "status");
      document.getElementById("f-title-error").after(p);
      return p;
    })();
    const wanted = normaliseTitle(titleInput.value);
    warning.replaceChildren();
    if (wanted.length < 5) return;
    try {
      await loadRegistry();
    } catch (error) {
      return;
    }
    const match = titles.find(([, title]) => normaliseTitle(title) === wanted) ||
      titles.find(([, title]) => similar(normaliseTitle(title), wanted) >= 0.9);
    if (!match) return;
    warning.append("Rekisterissä on jo samankaltainen teko: ");
    const link = document.createElement("a");
    link.href = new URL(root.dataset.practiceUrl.replace("{id}", match[2]), window.location.href).href;
    link.textContent = match[1];
    warning.append(link, ". Onko tämä sama teko?");
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

  // ---- draft ----
  function saveDraft() {
    const state = {};
    for (const input of form.querySelectorAll("input, textarea, select")) {
      if (!input.id || input.type === "search") continue;
      state[input.id] = input.type === "checkbox" ? input.checked : input.value;
    }
    state["rows"] = Object.fromEntries(spec.fields.filter((f) => f.widget === "rows").map((f) => [f.key, rowsOf(f.key).length]));
    state["id-auto"] = idInput.dataset.auto;
    try {
      localStorage.setItem(DRAFT_KEY, JSON.stringify(state));
      const time = new Date().toLocaleTimeString("fi-FI", { hour: "2-digit", minute: "2-digit" });
      draftStatus.textContent = `Luonnos tallennettu tähän selaimeen klo ${time}.`;
    } catch (error) {
      draftStatus.textContent = "Luonnosta ei voi tallentaa tähän selaimeen.";
    }
  }

  function restoreDraft() {
    let state = null;
    try {
      state = JSON.parse(localStorage.getItem(DRAFT_KEY) || "null");
    } catch (error) {
      state = null;
    }
    if (!state) return false;
    for (const [key, count] of Object.entries(state.rows || {})) {
      while (rowsOf(key).length < count) addRow(key);
    }
    for (const [id, value] of Object.entries(state)) {
      const input = document.getElementById(id);
      if (!input || typeof value === "object") continue;
      if (input.type === "checkbox") input.checked = value;
      else input.value = value;
    }
    idInput.dataset.auto = state["id-auto"] || "1";
    newOrgFields.hidden = !newOrg.checked;
    for (const details of form.querySelectorAll("details")) {
      if (Array.from(details.querySelectorAll("input, textarea, select")).some((i) => (i.type === "checkbox" ? i.checked : i.value))) {
        details.open = true;
      }
    }
    draftStatus.textContent = "Jatkat tähän selaimeen tallennettua luonnosta.";
    return true;
  }

  function addRow(key) {
    const rows = rowsOf(key);
    const clone = rows[rows.length - 1].cloneNode(true);
    const index = rows.length;
    for (const node of clone.querySelectorAll("[id]")) node.id = node.id.replace(/-\d+-/, `-${index}-`);
    for (const label of clone.querySelectorAll("label")) label.htmlFor = label.htmlFor.replace(/-\d+-/, `-${index}-`);
    for (const input of clone.querySelectorAll("input")) input.value = "";
    rows[0].parentElement.append(clone);
    return clone;
  }

  // ---- result ----
  function files(record) {
    const ordered = {};
    for (const key of Object.keys(record).sort((a, b) => order(a) - order(b))) ordered[key] = record[key];
    const practice = "# yaml-language-server: $schema=../schemas/practice.schema.json\n" + toYaml(ordered) + "\n";
    let organisation = null;
    if (newOrg.checked) {
      organisation = "# yaml-language-server: $schema=../../schemas/organisation.schema.json\n" + toYaml(newOrganisation()) + "\n";
    }
    return { practice, organisation };
  }

  const ORDER = spec.order;
  const order = (key) => { const i = ORDER.indexOf(key); return i < 0 ? 999 : i; };

  function showResult(record) {
    const { practice, organisation } = files(record);
    const name = `practices/${record.id}.yml`;
    document.getElementById("kehto-yaml").textContent = practice;
    document.getElementById("kehto-yaml-name").textContent = name;
    const orgWrap = document.getElementById("kehto-org-yaml-wrap");
    orgWrap.hidden = !organisation;
    if (organisation) {
      document.getElementById("kehto-org-yaml").textContent = organisation;
      document.getElementById("kehto-org-yaml-name").textContent = `data/organisations/${newOrganisation().id}.yml`;
    }
    const both = organisation ? `${practice}\n# --- data/organisations/${newOrganisation().id}.yml\n${organisation}` : practice;
    const repo = (root.dataset.repo || "").replace(/\/$/, "");
    const branch = root.dataset.branch || "main";
    let tooLong = false;
    const link = (id, url) => {
      const item = document.getElementById(`kehto-send-${id}`);
      if (!url) { item.hidden = true; return; }
      tooLong = tooLong || url.length > 8000;
      item.hidden = url.length > 8000;
      document.getElementById(`kehto-${id}-link`).href = url;
    };
    link("pr", repo && `${repo}/new/${branch}?filename=${encodeURIComponent(name)}&value=${encodeURIComponent(practice)}`);
    const issueBody = `Uusi kehittämisteko lomakkeelta.\n\n${fenced(both, "yaml")}`;
    link("issue", repo && `${repo}/issues/new?labels=kehittamisteko&title=${encodeURIComponent("Kehittämisteko: " + record.title)}&body=${encodeURIComponent(issueBody)}`);
    const email = root.dataset.email;
    link("email", email && `mailto:${email}?subject=${encodeURIComponent("Kehittämisteko: " + record.title)}&body=${encodeURIComponent(both)}`);
    document.getElementById("kehto-too-long").hidden = !tooLong;
    result.hidden = false;
    document.getElementById("kehto-result-heading").focus();
    result.dataset.yaml = practice;
    result.dataset.name = `${record.id}.yml`;
  }

  // ---- events ----
  form.addEventListener("input", (event) => {
    const field = spec.fields.find((f) => event.target.id === f.id || event.target.closest(`#${f.id}`));
    if (field) {
      field.touched = true;
      updateCount(field);
    }
    if (event.target === idInput) idInput.dataset.auto = idInput.value ? "0" : "1";
    if (event.target === titleInput && idInput.dataset.auto !== "0") {
      idInput.value = proposeId(titleInput.value, byKey.id.max_length);
      updateCount(byKey.id);
    }
    if (event.target.classList.contains("kehto-choices-filter")) {
      const words = event.target.value.toLowerCase();
      for (const item of document.querySelectorAll(`#${event.target.dataset.filters} .kehto-choices li`)) {
        item.hidden = words && !item.textContent.toLowerCase().includes(words);
      }
      return;
    }
    if (attempted) check(false);
    clearTimeout(form._saveTimer);
    form._saveTimer = setTimeout(saveDraft, 300);
  });
  form.addEventListener("change", (event) => {
    if (event.target === newOrg) {
      newOrgFields.hidden = !newOrg.checked;
      if (newOrg.checked) {
        const name = document.getElementById("f-new-org-name");
        if (!name.value) name.value = element(byKey.organisation).value;
        name.focus();
      }
    }
    saveDraft();
  });
  form.addEventListener("focusout", (event) => {
    const field = spec.fields.find((f) => event.target.id === f.id);
    if (field && event.target.value) {
      field.touched = true;
      check(false);
    }
    if (event.target === titleInput) checkDuplicate();
  });
  form.addEventListener("click", (event) => {
    const key = event.target.dataset && event.target.dataset.addRow;
    if (!key) return;
    const row = addRow(key);
    row.querySelector("input").focus();
    saveDraft();
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    attempted = true;
    const { record, errors, orgError } = check(true);
    showSummary(errors, orgError);
    if (Object.keys(errors).length || orgError) {
      result.hidden = true;
      for (const key of Object.keys(errors)) {
        const details = element(byKey[key]).closest("details");
        if (details) details.open = true;
      }
      summary.focus();
      return;
    }
    showResult(record);
  });
  document.getElementById("kehto-clear").addEventListener("click", () => {
    if (!window.confirm("Tyhjennetäänkö lomake? Tallennettu luonnos poistetaan.")) return;
    localStorage.removeItem(DRAFT_KEY);
    form.reset();
    if (dateInput) dateInput.value = today();
    for (const field of spec.fields) { field.touched = false; showError(field, ""); updateCount(field); }
    idInput.dataset.auto = "1";
    newOrgFields.hidden = true;
    summary.hidden = true;
    result.hidden = true;
    attempted = false;
    draftStatus.textContent = "Lomake tyhjennetty.";
    titleInput.focus();
  });
  document.getElementById("kehto-download").addEventListener("click", () => {
    const blob = new Blob([result.dataset.yaml], { type: "text/yaml;charset=utf-8" });
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = result.dataset.name;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  });
  document.getElementById("kehto-copy").addEventListener("click", async () => {
    const status = document.getElementById("kehto-copy-status");
    try {
      await navigator.clipboard.writeText(result.dataset.yaml);
      status.textContent = "Kopioitu.";
    } catch (error) {
      status.textContent = "Kopiointi ei onnistunut; valitse teksti ja kopioi se itse.";
    }
  });

  idInput.dataset.auto = "1";
  if (!restoreDraft() && dateInput && !dateInput.value) dateInput.value = today();
  for (const field of spec.fields) updateCount(field);
  // Without the registry data (offline, say) the form still works; only the
  // organisation list and the id and duplicate checks are missing.
  loadRegistry().catch(() => {}).finally(() => { root.dataset.ready = "true"; });
})();
