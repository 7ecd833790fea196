// Copy buttons of the "Käytä uudelleen" section: each button copies the text of the
// element named in its data-copy attribute and says "Kopioitu" in the page's live region,
// so a screen reader announces it too. Without JavaScript the buttons stay hidden and the
// text can be selected by hand.
(() => {
  "use strict";
  const status = document.querySelector(".kehto-copy-status");
  const say = (text) => {
    if (!status) return;
    status.textContent = "";
    window.setTimeout(() => { status.textContent = text; }, 50);  // a new text is announced again
  };
  const copyBySelection = (element) => {
    const range = document.createRange();
    range.selectNodeContents(element);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    const done = document.execCommand("copy");
    selection.removeAllRanges();
    return done;
  };
  document.querySelectorAll("button.kehto-copy[data-copy]").forEach((button) => {
    const target = document.getElementById(button.dataset.copy);
    if (!target) return;
    button.hidden = false;
    button.addEventListener("click", async () => {
      const text = target.textContent;
      let done = false;
      try {
        if (navigator.clipboard && window.isSecureContext) {
          await navigator.clipboard.writeText(text);
          done = true;
        }
      } catch (error) {
        done = false;
      }
      if (!done) done = copyBySelection(target);
      say(done ? "Kopioitu" : "Kopiointi ei onnistunut: valitse teksti ja kopioi se itse (Ctrl+C).");
    });
  });
})();
