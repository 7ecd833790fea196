// The status page of a submission (?kuitti=<receipt>): asks the intake service
// (GET /api/submissions/<receipt>) and shows the steps received → processing (PR) →
// published / returned, with the editors' message.
(() => {
  "use strict";
  const root = document.getElementById("kehto-status");
  if (!root || !root.dataset.intake) return;
  const base = root.dataset.intake.replace(/\/$/, "");
  const form = document.getElementById("kehto-status-form");
  const input = document.getElementById("kehto-status-receipt");
  const note = document.getElementById("kehto-status-message");
  const result = document.getElementById("kehto-status-result");
  const STEP = { received: 0, processing: 1, published: 2, returned: 2 };
  const NOW = {
    received: "Lähetys on tallessa ja odottaa siirtoa toimituksen käsiteltäväksi.",
    // A branch always exists by now; a pull request only where the service opens them on GitHub.
    processing: "Lähetys on siirretty toimituksen käsiteltäväksi.",
    published: "Lähetys on julkaistu rekisterissä. Kiitos!",
    returned: "Toimitus palautti lähetyksen. Katso toimituksen viesti alta.",
  };

  function show(data) {
    document.getElementById("kehto-status-title").textContent = `${data.title || data.record_id || data.receipt}: ${data.status_label}`;
    const reached = STEP[data.status] ?? 0;
    for (const [n, step] of Array.from(document.querySelectorAll("#kehto-status-steps li")).entries()) {
      step.classList.toggle("kehto-steps__done", n <= reached);
      if (n === reached) step.setAttribute("aria-current", "step");
      else step.removeAttribute("aria-current");
      if (n === 2) step.textContent = n <= reached ? data.status_label : "Julkaistu / Palautettu";
    }
    document.getElementById("kehto-status-now").textContent =
      data.status === "processing" && data.pull_request
        ? "Toimitus käsittelee lähetystä: siitä on avattu muutosehdotus GitHubissa." : NOW[data.status] || "";
    const pr = document.getElementById("kehto-status-pr");
    pr.hidden = !data.pull_request;
    if (data.pull_request) document.getElementById("kehto-status-pr-link").href = data.pull_request;
    document.getElementById("kehto-status-editor").hidden = !data.message;
    document.getElementById("kehto-status-editor-text").textContent = data.message || "";
    result.hidden = false;
  }

  async function load(receipt) {
    note.textContent = "Haetaan tilaa…";
    result.hidden = true;
    let response;
    try {
      response = await fetch(`${base}/api/submissions/${encodeURIComponent(receipt)}`);
    } catch (error) {
      note.textContent = "Tilaa ei saatu: yhteyttä lähetyspalveluun ei saatu. Yritä hetken kuluttua uudelleen.";
      return;
    }
    const data = await response.json().catch(() => ({}));
    if (!response.ok) {
      note.textContent = data.message || `Tilaa ei saatu (virhe ${response.status}).`;
      return;
    }
    note.textContent = "";
    show(data);
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const receipt = input.value.trim();
    if (!receipt) return;
    history.replaceState(null, "", `?kuitti=${encodeURIComponent(receipt)}`);
    load(receipt).finally(() => { root.dataset.ready = "true"; });
  });
  const receipt = new URLSearchParams(location.search).get("kuitti");
  if (receipt) {
    input.value = receipt;
    load(receipt).finally(() => { root.dataset.ready = "true"; });
  } else {
    root.dataset.ready = "true";
  }
})();
