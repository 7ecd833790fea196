// The files the practice and correction forms produce, and the routes that carry them without
// the intake service: a GitHub pull request or edit, an issue, e-mail, download and copy.
// A new organisation goes with its practice: after a "# --- <path>" line in the issue and
// e-mail text (`kehto from-issue` reads it), and as a second download.
(() => {
  "use strict";
  window.kehtoOutputs = ({ root, spec, result, correction, message, newOrg, newOrganisation }) => {
    const { toYaml, today, fenced } = window.kehtoForm;
    const order = (key) => { const i = spec.order.indexOf(key); return i < 0 ? 999 : i; };

    function ordered(record) {
      const out = {};
      for (const key of Object.keys(record).sort((a, b) => order(a) - order(b))) out[key] = record[key];
      return out;
    }

    // A file records the day it was produced as its received date (submitted); a correction
    // keeps the day the practice first arrived.
    function files(record, withSubmitted = true) {
      const stamped = withSubmitted && !correction ? { ...record, submitted: today() } : record;
      const practice = "# yaml-language-server: $schema=../schemas/practice.schema.json\n" + toYaml(ordered(stamped)) + "\n";
      let organisation = null;
      if (newOrg && newOrg.checked) {
        organisation = "# yaml-language-server: $schema=../../schemas/organisation.schema.json\n" + toYaml(newOrganisation()) + "\n";
      }
      return { practice, organisation };
    }

    // Both files in one text, the organisation after a "# --- <path>" line (`kehto from-issue` reads it).
    const together = (practice, organisation) => (organisation ? `${practice}\n# --- data/organisations/${newOrganisation().id}.yml\n${organisation}` : practice);

    function showResult(record) {
      const { practice, organisation } = files(record);
      const name = `practices/${record.id}.yml`;
      const orgName = organisation ? `data/organisations/${newOrganisation().id}.yml` : "";
      document.getElementById("kehto-yaml").textContent = practice;
      document.getElementById("kehto-yaml-name").textContent = name;
      document.getElementById("kehto-org-yaml-wrap").hidden = !organisation;
      document.getElementById("kehto-download-org").hidden = !organisation;
      if (organisation) {
        document.getElementById("kehto-org-yaml").textContent = organisation;
        document.getElementById("kehto-org-yaml-name").textContent = orgName;
      }
      const repo = (root.dataset.repo || "").replace(/\/$/, "");
      const branch = root.dataset.branch || "main";
      const subject = `${correction ? "Korjaus" : "Kehittämisteko"}: ${record.title}`;
      const note = correction ? `Korjausehdotus lomakkeelta.\n\n${message.value.trim()}\n\n` : "Uusi kehittämisteko lomakkeelta.\n\n";
      let tooLong = false;
      const link = (id, url) => {
        const item = document.getElementById(`kehto-send-${id}`);
        if (!url) { item.hidden = true; return; }
        tooLong = tooLong || url.length > 8000;
        item.hidden = url.length > 8000;
        document.getElementById(`kehto-${id}-link`).href = url;
      };
      // A GitHub new-file link carries one file: with a new organisation the issue or e-mail carries both.
      const prUrl = correction ? `${repo}/edit/${branch}/${name}`
        : `${repo}/new/${branch}?filename=${encodeURIComponent(name)}&value=${encodeURIComponent(practice)}`;
      link("pr", repo && !organisation && prUrl);
      document.getElementById("kehto-pr-one-file").hidden = !(repo && organisation);
      const issueText = together(files(record, false).practice, organisation);
      const issueBody = `${note}${fenced(issueText, "yaml")}`;
      link("issue", repo && `${repo}/issues/new?labels=kehittamisteko&title=${encodeURIComponent(subject)}&body=${encodeURIComponent(issueBody)}`);
      const email = root.dataset.email;
      link("email", email && `mailto:${email}?subject=${encodeURIComponent(subject)}&body=${encodeURIComponent(note + together(practice, organisation))}`);
      document.getElementById("kehto-too-long").hidden = !tooLong;
      result.hidden = false;
      document.getElementById("kehto-result-heading").focus();
      result.dataset.yaml = practice;
      result.dataset.name = `${record.id}.yml`;
      result.dataset.orgYaml = organisation || "";
      result.dataset.orgName = organisation ? `${newOrganisation().id}.yml` : "";
      result.dataset.both = together(practice, organisation);
    }

    function download(text, name) {
      const blob = new Blob([text], { type: "text/yaml;charset=utf-8" });
      const link = document.createElement("a");
      link.href = URL.createObjectURL(blob);
      link.download = name;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(link.href), 1000);
    }
    document.getElementById("kehto-download").addEventListener("click", () => download(result.dataset.yaml, result.dataset.name));
    document.getElementById("kehto-download-org").addEventListener("click", () => download(result.dataset.orgYaml, result.dataset.orgName));
    document.getElementById("kehto-copy").addEventListener("click", async () => {
      const status = document.getElementById("kehto-copy-status");
      try {
        await navigator.clipboard.writeText(result.dataset.both);
        status.textContent = "Kopioitu.";
      } catch (error) {
        status.textContent = "Kopiointi ei onnistunut; valitse teksti ja kopioi se itse.";
      }
    });
    return { ordered, showResult };
  };
})();
