// The practice form page (the submit page) and the correction form (the correction page, ?teko=<id>), on the
// helpers of kehto-form.js, kehto-lookup.js, kehto-intake.js and kehto-outputs.js. The correction form
// starts from the practice's current record and sends kind "correction" with a message.
(() => {
  "use strict";
  const root = document.getElementById("kehto-form");
  if (!root || !window.kehtoForm || !window.kehtoLookup || !window.kehtoOutputs) return;
  const { proposeId, normaliseTitle, validate, today, similar } = window.kehtoForm;
  const lookup = window.kehtoLookup;
  const intake = window.kehtoIntake;
  const correction = root.dataset.mode === "correction";
  const wanted = new URLSearchParams(location.search).get("teko") || "";
  const DRAFT_KEY = correction ? `kehto-korjaus-${wanted}-v1` : "kehto-lisaa-luonnos-v1";
  const spec = JSON.parse(document.getElementById("kehto-form-spec").textContent);
  const form = document.getElementById("kehto-practice-form");
  const summary = document.getElementById("kehto-form-summary");
  const draftStatus = document.getElementById("kehto-draft-status");
  const result = document.getElementById("kehto-result");
  const byKey = Object.fromEntries(spec.fields.map((f) => [f.key, f]));
  const formKeys = new Set(spec.fields.map((f) => f.key.split(".")[0]));
  const newOrg = document.getElementById("kehto-new-org");
  const newOrgFields = document.getElementById("kehto-new-org-fields");
  const message = document.getElementById("f-message");
  const consent = document.getElementById("kehto-consent");
  const orgByName = {};
  const knownOrgs = new Set();
  const takenIds = new Set();
  let base = {}; // the correction form's current record: fields the form does not show are kept
  let titles = [];
  let attempted = false;

  const element = (field) => document.getElementById(field.id);
  const idInput = document.getElementById("f-id");
  const titleInput = document.getElementById("f-title");
  const orgInput = element(byKey.organisation);
  const dateField = spec.fields.find((f) => f.widget === "date");
  const dateInput = dateField && element(dateField);
  const precision = dateField && document.getElementById(`${dateField.id}-precision`);
  if (dateInput) dateInput.max = today();

  // ---- organisations and titles, fetched by the letters typed ----
  async function loadOrganisations(text) {
    const list = await lookup.organisations(text);
    orgsFetchedFor = text.trim();
    const datalist = document.getElementById(`${byKey.organisation.id}-list`);
    const names = new Set(Array.from(datalist.options, (o) => o.value));
    for (const [id, name] of list) {
      orgByName[name.toLowerCase()] = id;
      knownOrgs.add(id);
      if (!names.has(name)) datalist.append(new Option(name));
    }
    return list;
  }

  let orgsFetchedFor = null; // the organisation text whose files have been read
  const orgLoaded = () => orgsFetchedFor === orgInput.value.trim();

  async function checkIdTaken() {
    const id = idInput.value.trim();
    if (correction || !id || takenIds.has(id)) return;
    try {
      if (await lookup.exists("practice", id)) takenIds.add(id);
    } catch (error) { /* offline: the service or the maintainers check it */ }
  }

  // ---- date precision: the schema's day / month / year ----
  function applyPrecision(value) {
    if (!precision) return;
    const kind = precision.value;
    const current = value === undefined ? dateInput.value : value;
    const day = /^\d{4}-\d{2}-\d{2}$/.test(current) ? current : /^\d{4}-\d{2}$/.test(current) ? `${current}-01` : /^\d{4}$/.test(current) ? `${current}-01-01` : "";
    dateInput.type = kind === "month" ? "month" : kind === "year" ? "number" : "date";
    if (kind === "year") { dateInput.min = "1900"; dateInput.max = today().slice(0, 4); dateInput.placeholder = "VVVV"; }
    else { dateInput.removeAttribute("min"); dateInput.max = kind === "month" ? today().slice(0, 7) : today(); dateInput.placeholder = ""; }
    dateInput.value = !day ? "" : kind === "month" ? day.slice(0, 7) : kind === "year" ? day.slice(0, 4) : day;
  }

  function readDate() {
    const value = dateInput.value.trim();
    if (/^\d{4}$/.test(value)) return `${value}-01-01`;
    if (/^\d{4}-\d{2}$/.test(value)) return `${value}-01`;
    return value;
  }

  // ---- reading and filling the form ----
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
    if (field.widget === "date") return readDate();
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
    for (const [key, value] of Object.entries(base)) if (!formKeys.has(key)) record[key] = value;
    delete record.published_precision;
    for (const field of spec.fields) {
      const value = readField(field);
      if (value === "" || (Array.isArray(value) && !value.length)) continue;
      const [top, sub] = field.key.split(".");
      if (sub) (record[top] = record[top] || {})[sub] = value;
      else record[top] = value;
    }
    if (precision && precision.value !== "day" && record[dateField.key]) record[`${dateField.key}_precision`] = precision.value;
    if (newOrg && newOrg.checked) record.organisation = newOrganisation().id || record.organisation;
    return record;
  }

  function fillForm(record) {
    for (const field of spec.fields) {
      const [top, sub] = field.key.split(".");
      const value = sub ? (record[top] || {})[sub] : record[top];
      if (value === undefined) continue;
      if (field.widget === "choices") {
        for (const box of form.querySelectorAll(`input[name="${field.key}"]`)) box.checked = value.includes(box.value);
      } else if (field.widget === "rows") {
        value.forEach((item, n) => {
          const row = rowsOf(field.key)[n] || addRow(field.key);
          for (const input of row.querySelectorAll("[data-part]")) input.value = item[input.dataset.part] || "";
        });
      } else if (field.widget === "list") {
        element(field).value = value.join(", ");
      } else if (field.widget === "date") {
        if (precision) precision.value = record[`${field.key}_precision`] || "day";
        applyPrecision(value);
      } else {
        element(field).value = value;
      }
    }
    for (const details of form.querySelectorAll("details")) {
      if (Array.from(details.querySelectorAll("input, textarea, select")).some((i) => (i.type === "checkbox" ? i.checked : i.value))) details.open = true;
    }
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
  function showError(field, text) {
    const error = document.getElementById(`${field.id}-error`);
    const input = element(field);
    if (!error) return;
    error.textContent = text || "";
    error.hidden = !text;
    const targets = input && input.tagName === "FIELDSET" ? input.querySelectorAll("input") : [input];
    for (const target of targets) {
      if (!target) continue;
      if (text) target.setAttribute("aria-invalid", "true");
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

  // Checks the form has besides the record's own rules: the correction's message, the consent.
  function formErrors(record) {
    const errors = {};
    if (message && !message.value.trim()) errors.message = "Kerro, mitä pitää korjata.";
    if (consent && record.contact && !consent.checked) {
      errors.consent = "Yhteystiedot julkaistaan vain yhteyshenkilön suostumuksella: rastita suostumus tai poista yhteystiedot.";
    }
    return errors;
  }

  function showOwn(key, text) {
    const box = document.getElementById(key === "message" ? "f-message-error" : "kehto-consent-error");
    if (!box) return;
    box.textContent = text || "";
    box.hidden = !text;
  }

  function check(showAll) {
    const record = collect();
    const errors = validate(record, spec, {
      newOrganisation: newOrg && newOrg.checked, takenIds, organisations: orgLoaded() ? knownOrgs : undefined,
    });
    for (const field of spec.fields) {
      if (showAll || field.touched) showError(field, errors[field.key]);
    }
    const orgError = newOrgErrors();
    const orgErrorBox = document.getElementById("f-new-org-error");
    orgErrorBox.textContent = orgError;
    orgErrorBox.hidden = !orgError;
    const own = formErrors(record);
    if (showAll) for (const key of ["message", "consent"]) showOwn(key, own[key]);
    return { record, errors, orgError, own };
  }

  function showSummary(entries) {
    const list = summary.querySelector("ul");
    list.replaceChildren();
    for (const [target, text] of entries) {
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = `#${target.id}`;
      link.textContent = text;
      link.addEventListener("click", (event) => {
        event.preventDefault();
        const details = target.closest("details");
        if (details) details.open = true;
        (target.tagName === "FIELDSET" ? target.querySelector("input, select") : target).focus();
      });
      item.append(link);
      list.append(item);
    }
    summary.hidden = entries.length === 0;
  }

  function summaryEntries(errors, orgError, own) {
    const entries = Object.entries(errors).map(([key, text]) => [element(byKey[key]), `${byKey[key].label}: ${text}`]);
    if (orgError) entries.push([orgInput, `${byKey.organisation.label}: ${orgError}`]);
    if (own.message) entries.unshift([message, own.message]);
    if (own.consent) entries.push([consent, own.consent]);
    return entries;
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
    const title = normaliseTitle(titleInput.value);
    warning.replaceChildren();
    if (title.length < 5) return;
    try {
      titles = await lookup.titles(titleInput.value);
    } catch (error) {
      return;
    }
    const others = titles.filter(([, id]) => !correction || id !== wanted);
    const match = others.find(([t]) => normaliseTitle(t) === title) || others.find(([t]) => similar(normaliseTitle(t), title) >= 0.9);
    if (!match) return;
    warning.append("Rekisterissä on jo samankaltainen teko: ");
    const link = document.createElement("a");
    link.href = lookup.fill(lookup.paths.practice, { id: match[1] });
    link.textContent = match[0];
    warning.append(link, ". Onko tämä sama teko?");
  }

  // ---- draft ----
  function saveDraft() {
    const state = {};
    for (const input of form.querySelectorAll("input, textarea, select")) {
      if (!input.id || input.type === "search" || input.id === "kehto-website") continue;
      state[input.id] = input.type === "checkbox" ? input.checked : input.value;
    }
    state.rows = Object.fromEntries(spec.fields.filter((f) => f.widget === "rows").map((f) => [f.key, rowsOf(f.key).length]));
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
      if (!input || typeof value === "object" || input === dateInput) continue;
      if (input.type === "checkbox") input.checked = value;
      else input.value = value;
    }
    if (dateInput) applyPrecision(state[dateInput.id] || "");
    idInput.dataset.auto = state["id-auto"] || "1";
    if (newOrgFields) newOrgFields.hidden = !newOrg.checked;
    for (const details of form.querySelectorAll("details")) {
      if (Array.from(details.querySelectorAll("input, textarea, select")).some((i) => (i.type === "checkbox" ? i.checked : i.value && !i.dataset.precisionOf))) {
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

  const outputs = window.kehtoOutputs({ root, spec, result, correction, message, newOrg, newOrganisation });
  const { ordered, showResult } = outputs;

  // ---- sending to the intake service ----
  function payload(record) {
    const { submitted, ...rest } = record; // the service sets the received date
    const out = { kind: correction ? "correction" : "practice", record: ordered(rest), website: document.getElementById("kehto-website").value };
    if (newOrg && newOrg.checked) out.organisation = newOrganisation();
    if (correction) out.message = message.value.trim();
    if (record.contact) out.consent = consent.checked;
    return out;
  }

  function showProblems(problems) {
    const keys = new Set(spec.fields.map((f) => f.key));
    const entries = [];
    for (const problem of problems) {
      const text = intake.problemText(problem);
      if ((problem.file || "").startsWith("data/organisations/")) {
        const box = document.getElementById("f-new-org-error");
        box.textContent = text;
        box.hidden = false;
        entries.push([orgInput, `Uusi organisaatio: ${text}`]);
        continue;
      }
      const key = intake.fieldOf(problem, keys);
      const own = problem.field === "message" && message ? "message" : problem.field === "contact" && consent ? "consent" : "";
      if (own) {
        showOwn(own, text);
        entries.push([own === "message" ? message : consent, text]);
      } else if (key) {
        showError(byKey[key], text);
        entries.push([element(byKey[key]), `${byKey[key].label}: ${text}`]);
      } else {
        entries.push([form, text]);
      }
    }
    showSummary(entries);
    summary.focus();
  }

  async function sendToIntake(record, button) {
    button.disabled = true;
    intake.showError("kehto", "");
    try {
      const answer = await intake.send(root.dataset.intake, payload(record));
      if (answer.receipt) {
        intake.showReceipt("kehto", answer.receipt, lookup.paths.status);
        try { localStorage.removeItem(DRAFT_KEY); } catch (error) { /* nothing saved */ }
        draftStatus.textContent = "Lähetetty. Luonnos poistettiin tästä selaimesta.";
        return;
      }
      if (answer.problems && answer.problems.length) showProblems(answer.problems);
      intake.showError("kehto", answer.error);
      saveDraft();
    } finally {
      button.disabled = false;
    }
  }

  // ---- events ----
  form.addEventListener("input", (event) => {
    const field = spec.fields.find((f) => event.target.id === f.id || event.target.closest(`#${f.id}`));
    if (field) {
      field.touched = true;
      updateCount(field);
    }
    if (event.target === idInput) idInput.dataset.auto = idInput.value ? "0" : "1";
    if (event.target === titleInput && idInput.dataset.auto !== "0" && !correction) {
      idInput.value = proposeId(titleInput.value, byKey.id.max_length);
      updateCount(byKey.id);
    }
    if (event.target === orgInput && orgInput.value.trim()) loadOrganisations(orgInput.value).then(() => { if (attempted || byKey.organisation.touched) check(false); }).catch(() => {});
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
    if (event.target === precision) applyPrecision();
    if (event.target === newOrg) {
      newOrgFields.hidden = !newOrg.checked;
      if (newOrg.checked) {
        const name = document.getElementById("f-new-org-name");
        if (!name.value) name.value = orgInput.value;
        name.focus();
      }
    }
    saveDraft();
  });
  form.addEventListener("focusout", (event) => {
    const field = spec.fields.find((f) => event.target.id === f.id);
    if (event.target === idInput || event.target === titleInput) checkIdTaken().then(() => { if (field && field.touched) check(false); });
    if (field && event.target.value) {
      field.touched = true;
      if (field === byKey.organisation) loadOrganisations(orgInput.value).then(() => check(false)).catch(() => check(false));
      else check(false);
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
  // Each handled submit counts up data-checked: the checks are asynchronous (files fetched, the service asked).
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submit().finally(() => { root.dataset.checked = String(Number(root.dataset.checked || 0) + 1); });
  });
  async function submit() {
    attempted = true;
    const button = form.querySelector("button[type=submit]");
    await Promise.all([loadOrganisations(orgInput.value).catch(() => {}), checkIdTaken()]);
    const { record, errors, orgError, own } = check(true);
    const entries = summaryEntries(errors, orgError, own);
    showSummary(entries);
    if (entries.length) {
      result.hidden = true;
      for (const key of Object.keys(errors)) {
        const details = element(byKey[key]).closest("details");
        if (details) details.open = true;
      }
      summary.focus();
      return;
    }
    if (root.dataset.intake) await sendToIntake(record, button);
    else showResult(record);
  }
  document.getElementById("kehto-clear").addEventListener("click", () => {
    if (!window.confirm("Tyhjennetäänkö lomake? Tallennettu luonnos poistetaan.")) return;
    localStorage.removeItem(DRAFT_KEY);
    form.reset();
    if (correction) fillForm(base);
    else if (dateInput) applyPrecision(today());
    for (const field of spec.fields) { field.touched = false; showError(field, ""); updateCount(field); }
    idInput.dataset.auto = "1";
    if (newOrgFields) newOrgFields.hidden = true;
    summary.hidden = true;
    result.hidden = true;
    attempted = false;
    draftStatus.textContent = "Lomake tyhjennetty.";
    titleInput.focus();
  });

  // ---- start ----
  async function start() {
    idInput.dataset.auto = "1";
    if (correction) {
      const loading = document.getElementById("kehto-correction-loading");
      try {
        base = await lookup.record(wanted);
      } catch (error) {
        base = [];
      }
      if (Array.isArray(base) || !base.id) {
        base = {};
        loading.textContent = "Tekoa ei löytynyt. Palaa teon sivulle ja avaa korjauslomake sieltä.";
        return;
      }
      loading.hidden = true;
      idInput.readOnly = true;
      idInput.dataset.auto = "0";
      if (newOrg) newOrg.closest("p").hidden = true;
      document.getElementById("kehto-correction-practice").href = lookup.fill(lookup.paths.practice, { id: base.id });
      fillForm(base);
      restoreDraft();
    } else if (!restoreDraft() && dateInput && !dateInput.value) {
      applyPrecision(today());
    }
    for (const field of spec.fields) updateCount(field);
    // Only the letters typed are fetched; without them (offline, say) the form still works.
    if (orgInput.value.trim()) await loadOrganisations(orgInput.value).catch(() => {});
  }
  start().finally(() => { root.dataset.ready = "true"; });
})();
