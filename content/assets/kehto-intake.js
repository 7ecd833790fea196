// kehto intake client: sends a form's record to the intake service (KEHTO_INTAKE_URL, see
// docs/intake.md) and shows the receipt, the service's problems next to the fields, or
// why sending failed. The forms keep their draft until the service has the record.
(() => {
  "use strict";
  const NETWORK = "Lähetys ei onnistunut: yhteyttä lähetyspalveluun ei saatu. Luonnos on tallessa tässä selaimessa, joten mitään ei kadonnut – yritä hetken kuluttua uudelleen.";

  async function send(base, payload) {
    let response;
    try {
      response = await fetch(`${base.replace(/\/$/, "")}/api/submissions`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(payload),
      });
    } catch (error) {
      return { error: NETWORK };
    }
    let body = {};
    try {
      body = await response.json();
    } catch (error) {
      body = {};
    }
    if (response.status === 202 && body.receipt) return { receipt: body.receipt, label: body.status_label };
    if (response.status === 422) return { problems: body.problems || [], error: body.message || "Tiedoissa on korjattavaa." };
    if (response.status === 429) {
      return { error: `${body.message || "Liian monta lähetystä."} Luonnos on tallessa; yritä uudelleen ${response.headers.get("Retry-After") || "60"} sekunnin kuluttua.` };
    }
    return { error: `${body.message || `Lähetys ei onnistunut (virhe ${response.status}).`} Luonnos on tallessa tässä selaimessa.` };
  }

  // The form key a service problem belongs to: "links[0].url" -> "links", "contact.name" stays.
  function fieldOf(problem, keys) {
    const path = (problem.field || "").replace(/\[\d+\]/g, "");
    if (keys.has(path)) return path;
    const top = path.split(".")[0];
    return keys.has(top) ? top : "";
  }

  const problemText = (problem) => [problem.message, problem.hint].filter(Boolean).join(" ");

  function statusHref(page, receipt) {
    return `${page}?kuitti=${encodeURIComponent(receipt)}`;
  }

  // prefix: "kehto" (practice and correction forms) or "kehto-adopt"
  function showReceipt(prefix, receipt, statusPage) {
    document.getElementById(`${prefix}-send-error`).hidden = true;
    const box = document.getElementById(`${prefix}-sent`);
    document.getElementById(`${prefix}-receipt`).textContent = receipt;
    document.getElementById(`${prefix}-status-link`).href = statusHref(statusPage, receipt);
    box.hidden = false;
    document.getElementById(`${prefix}-sent-heading`).focus();
  }

  function showError(prefix, text) {
    const box = document.getElementById(`${prefix}-send-error`);
    box.textContent = text || "";
    box.hidden = !text;
    if (text) document.getElementById(`${prefix}-sent`).hidden = true;
  }

  window.kehtoIntake = { send, fieldOf, problemText, showReceipt, showError, statusHref };
})();
