// kehto "otimme mallia" form (the adopt page): one adoption record, checked with the
// rules of schemas/adoption.schema.json and `kehto validate` (the practice and the
// organisation exist, not one's own practice, a real date not in the future).
// Uses the YAML writer of kehto-form.js and the lookups of kehto-lookup.js; keeps a draft
// in localStorage; sends to the intake service on sites built with KEHTO_INTAKE_URL.
(() => {
  "use strict";
  const root = document.getElementById("kehto-adopt");
  if (!root || !window.kehtoForm || !window.kehtoLookup) return;
  const { toYaml, proposeId, realDate, fenced, today } = window.kehtoForm;
  const lookup = window.kehtoLookup;
  const intake = window.kehtoIntake;
  const DRAFT_KEY = "kehto-mallia-luonnos-v1";
  const form = document.getElementById("kehto-adopt-form");
  const inputs = { practice: "a-practice", organisation: "a-organisation", date: "a-date", note: "a-note" };
  const el = (key) => document.getElementById(inputs[key]);
  const practices = new Map();  // id -> [title, id, organisation id], as far as fetched
  const organisations = new Map();  // id -> [id, name]

  const byLabel = (list, label) => list.find((item) => item.label.toLowerCase() === label.trim().toLowerCase());
  const practiceItems = () => Array.from(practices.values(), ([title, id, org]) => ({ id, org, label: title }));
  const organisationItems = () => Array.from(organisations.values(), ([id, name]) => ({ id, label: name }));

  // Only the files for the letters typed are fetched (kehto-lookup.js).
  async function loadPractices(text) {
    if (!text.trim()) return;
    for (const entry of await lookup.titles(text)) practices.set(entry[1], entry);
    fill("a-practices", practiceItems());
  }

  async function loadOrganisations(text) {
    if (!text.trim()) return;
    for (const entry of await lookup.organisations(text)) organisations.set(entry[0], entry);
    fill("a-organisations", organisationItems());
  }

  function resolve(items, value) {
    const found = byLabel(items, value) || items.find((item) => item.id === value.trim());
    return found ? found.id : "";
  }

  function record() {
    const practice = resolve(practiceItems(), el("practice").value);
    const organisation = resolve(organisationItems(), el("organisation").value);
    const out = { id: "", practice, organisation, date: el("date").value.trim() };
    const note = el("note").value.trim();
    if (note) out.note = note;
    out.id = proposeId(`${practice} ${organisation}`, 80);  // adoption.schema.json id maxLength (tested)
    return out;
  }

  function validate(data) {
    const errors = {};
    const chosen = practiceItems().find((p) => p.id === data.practice);
    if (!el("practice").value.trim()) errors.practice = "Valitse teko, josta otitte mallia.";
    else if (!chosen) errors.practice = "Tekoa ei löydy rekisteristä. Valitse teko listasta.";
    if (!el("organisation").value.trim()) errors.organisation = "Kirjoita organisaationne nimi.";
    else if (!data.organisation) errors.organisation = "Organisaatiota ei löydy rekisteristä. Valitse listasta tai lisää organisaatio ensin.";
    else if (chosen && chosen.org === data.organisation) errors.organisation = "Organisaatio ei voi ottaa mallia omasta teostaan.";
    if (!data.date) errors.date = "Kirjoita päivämäärä.";
    else if (!realDate(data.date)) errors.date = "Päivämäärää ei ole kalenterissa. Käytä muotoa VVVV-KK-PP.";
    else if (data.date > today()) errors.date = `Päivämäärä on tulevaisuudessa. Käytä päivää, joka on viimeistään ${today()}.`;
    if ((data.note || "").length > 600) errors.note = "Teksti on liian pitkä: enintään 600 merkkiä.";
    return errors;
  }

  function show(errors) {
    const summary = document.getElementById("kehto-adopt-summary");
    const list = summary.querySelector("ul");
    list.textContent = "";
    for (const key of Object.keys(inputs)) {
      const input = el(key);
      const message = document.getElementById(`${inputs[key]}-error`);
      message.hidden = !errors[key];
      message.textContent = errors[key] || "";
      if (errors[key]) input.setAttribute("aria-invalid", "true");
      else input.removeAttribute("aria-invalid");
      if (errors[key]) {
        const item = document.createElement("li");
        const link = document.createElement("a");
        link.href = `#${inputs[key]}`;
        link.textContent = errors[key];
        item.append(link);
        list.append(item);
      }
    }
    summary.hidden = !list.children.length;
    if (list.children.length) summary.focus();
  }

  function saveDraft() {
    const state = {};
    for (const key of Object.keys(inputs)) state[key] = el(key).value;
    try { localStorage.setItem(DRAFT_KEY, JSON.stringify(state)); } catch (error) { /* private mode: no draft */ }
  }

  function restoreDraft() {
    let state = null;
    try { state = JSON.parse(localStorage.getItem(DRAFT_KEY) || "null"); } catch (error) { state = null; }
    if (!state) return false;
    for (const key of Object.keys(inputs)) if (typeof state[key] === "string") el(key).value = state[key];
    return true;
  }

  function publish(data) {
    // The file records the day it was produced as its received date; the issue's comes from the issue.
    const text = (record) => "# yaml-language-server: $schema=../../schemas/adoption.schema.json\n" + toYaml(record) + "\n";
    const { note, ...head } = data;
    const yaml = text({ ...head, submitted: window.kehtoForm.today(), ...(note ? { note } : {}) });
    const name = `data/adoptions/${data.id}.yml`;
    document.getElementById("kehto-adopt-yaml").textContent = yaml;
    document.getElementById("kehto-adopt-name").textContent = name;
    const repo = (root.dataset.repo || "").replace(/\/$/, "");
    const branch = root.dataset.branch || "main";
    const title = `Otettu mallia: ${data.practice}`;
    const links = {
      pr: repo && `${repo}/new/${branch}?filename=${encodeURIComponent(name)}&value=${encodeURIComponent(yaml)}`,
      issue: repo && `${repo}/issues/new?labels=kehittamisteko&title=${encodeURIComponent(title)}&body=${encodeURIComponent("Otimme mallia -lomakkeelta.\n\n" + fenced(text(data), "yaml"))}`,
      email: root.dataset.email && `mailto:${root.dataset.email}?subject=${encodeURIComponent(title)}&body=${encodeURIComponent(yaml)}`,
    };
    for (const [key, url] of Object.entries(links)) {
      document.getElementById(`kehto-adopt-send-${key}`).hidden = !url;
      if (url) document.getElementById(`kehto-adopt-${key}-link`).href = url;
    }
    const result = document.getElementById("kehto-adopt-result");
    result.hidden = false;
    result.dataset.yaml = yaml;
    result.dataset.name = `${data.id}.yml`;
    document.getElementById("kehto-adopt-result-heading").focus();
  }

  async function send(data, button) {
    button.disabled = true;
    intake.showError("kehto-adopt", "");
    try {
      const answer = await intake.send(root.dataset.intake, { kind: "adoption", record: data, website: document.getElementById("kehto-website").value });
      if (answer.receipt) {
        intake.showReceipt("kehto-adopt", answer.receipt, lookup.paths.status);
        try { localStorage.removeItem(DRAFT_KEY); } catch (error) { /* nothing saved */ }
        return;
      }
      const errors = {};
      for (const problem of answer.problems || []) {
        const key = intake.fieldOf(problem, new Set(Object.keys(inputs)));
        if (key) errors[key] = intake.problemText(problem);
      }
      if (Object.keys(errors).length) show(errors);
      intake.showError("kehto-adopt", answer.error);
    } finally {
      button.disabled = false;
    }
  }

  function fill(listId, items) {
    const list = document.getElementById(listId);
    list.textContent = "";
    for (const item of items) {
      const option = document.createElement("option");
      option.value = item.label;
      list.append(option);
    }
  }

  form.addEventListener("input", (event) => {
    if (event.target === el("practice")) loadPractices(el("practice").value).catch(() => {});
    if (event.target === el("organisation")) loadOrganisations(el("organisation").value).catch(() => {});
    saveDraft();
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    submit().finally(() => { root.dataset.checked = String(Number(root.dataset.checked || 0) + 1); });
  });
  async function submit() {
    await Promise.all([loadPractices(el("practice").value), loadOrganisations(el("organisation").value)]).catch(() => {});
    const data = record();
    const errors = validate(data);
    show(errors);
    if (Object.keys(errors).length) document.getElementById("kehto-adopt-result").hidden = true;
    else if (root.dataset.intake) await send(data, form.querySelector("button[type=submit]"));
    else publish(data);
  }
  document.getElementById("kehto-adopt-download").addEventListener("click", () => {
    const result = document.getElementById("kehto-adopt-result");
    const link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([result.dataset.yaml], { type: "text/yaml;charset=utf-8" }));
    link.download = result.dataset.name;
    document.body.append(link);
    link.click();
    link.remove();
  });
  document.getElementById("kehto-adopt-copy").addEventListener("click", async () => {
    const status = document.getElementById("kehto-adopt-copy-status");
    try {
      await navigator.clipboard.writeText(document.getElementById("kehto-adopt-result").dataset.yaml);
      status.textContent = "Kopioitu.";
    } catch (error) {
      status.textContent = "Kopiointi ei onnistunut; valitse teksti ja kopioi se itse.";
    }
  });
  document.getElementById("kehto-adopt-clear").addEventListener("click", () => {
    form.reset();
    el("date").value = today();
    try { localStorage.removeItem(DRAFT_KEY); } catch (error) { /* nothing saved */ }
    show({});
    document.getElementById("kehto-adopt-result").hidden = true;
  });

  async function start() {
    const wanted = new URLSearchParams(location.search).get("teko");
    restoreDraft();
    if (!el("date").value) el("date").value = today();
    if (wanted) {
      // A link from a practice page says which practice: its record gives the title.
      const chosen = await lookup.record(wanted).catch(() => null);
      if (chosen && chosen.id) {
        practices.set(chosen.id, [chosen.title, chosen.id, chosen.organisation]);
        el("practice").value = chosen.title;
      }
    }
    await Promise.all([loadPractices(el("practice").value), loadOrganisations(el("organisation").value)]).catch(() => {});
  }
  start().finally(() => { root.dataset.ready = "true"; });
})();
