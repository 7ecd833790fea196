// kehto "otimme mallia" form (the adopt page): one adoption record, checked with the
// rules of schemas/adoption.schema.json and `kehto validate` (the practice and the
// organisation exist, not one's own practice, a real date not in the future).
// Uses the YAML writer of kehto-form.js; keeps a draft in localStorage.
(() => {
  "use strict";
  const root = document.getElementById("kehto-adopt");
  if (!root || !window.kehtoForm) return;
  const { toYaml, proposeId, realDate, fenced } = window.kehtoForm;
  const DRAFT_KEY = "kehto-mallia-luonnos-v1";
  const form = document.getElementById("kehto-adopt-form");
  const inputs = { practice: "a-practice", organisation: "a-organisation", date: "a-date", note: "a-note" };
  const el = (key) => document.getElementById(inputs[key]);
  let practices = [];  // [organisation id, title, id]
  let organisations = [];  // [id, name]

  const today = () => new Date(Date.now() - new Date().getTimezoneOffset() * 60000).toISOString().slice(0, 10);
  const byLabel = (list, label) => list.find((item) => item.label.toLowerCase() === label.trim().toLowerCase());
  const practiceItems = () => practices.map(([org, title, id]) => ({ id, org, label: title }));
  const organisationItems = () => organisations.map(([id, name]) => ({ id, label: name }));

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
    const yaml = "# yaml-language-server: $schema=../../schemas/adoption.schema.json\n" + toYaml(data) + "\n";
    const name = `data/adoptions/${data.id}.yml`;
    document.getElementById("kehto-adopt-yaml").textContent = yaml;
    document.getElementById("kehto-adopt-name").textContent = name;
    const repo = (root.dataset.repo || "").replace(/\/$/, "");
    const branch = root.dataset.branch || "main";
    const title = `Otettu mallia: ${data.practice}`;
    const links = {
      pr: repo && `${repo}/new/${branch}?filename=${encodeURIComponent(name)}&value=${encodeURIComponent(yaml)}`,
      issue: repo && `${repo}/issues/new?labels=kehittamisteko&title=${encodeURIComponent(title)}&body=${encodeURIComponent("Otimme mallia -lomakkeelta.\n\n" + fenced(yaml, "yaml"))}`,
      email: root.dataset.email && `mailto:${root.dataset.email}?subject=${encodeURIComponent(title)}&body=${encodeURIComponent(yaml)}`,
    };
    for (const [key, url] of Object.entries(links)) {
      document.getElementById(`kehto-adopt-send-${key}`).hidden = !url;
      if (url) document.getElementById(`kehto-adopt-${key}-link`).href = url;
    }
    const result = document.getElementById("kehto-adopt-result");
    result.hidden = false;
    result.dataset.yaml = yaml;
    document.getElementById("kehto-adopt-result-heading").focus();
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

  form.addEventListener("input", saveDraft);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = record();
    const errors = validate(data);
    show(errors);
    if (!Object.keys(errors).length) publish(data);
    else document.getElementById("kehto-adopt-result").hidden = true;
  });
  document.getElementById("kehto-adopt-clear").addEventListener("click", () => {
    form.reset();
    el("date").value = today();
    try { localStorage.removeItem(DRAFT_KEY); } catch (error) { /* nothing saved */ }
    show({});
    document.getElementById("kehto-adopt-result").hidden = true;
  });

  restoreDraft();
  if (!el("date").value) el("date").value = today();
  fetch(root.dataset.registry).then((response) => response.json()).then((data) => {
    practices = data.titles || [];
    organisations = data.organisations || [];
    fill("a-practices", practiceItems());
    fill("a-organisations", organisationItems());
    const wanted = new URLSearchParams(location.search).get("teko");
    const match = practiceItems().find((p) => p.id === wanted);
    if (match) el("practice").value = match.label;  // a link from a practice page says which practice
  }).catch(() => {}).finally(() => { root.dataset.ready = "true"; });
})();
