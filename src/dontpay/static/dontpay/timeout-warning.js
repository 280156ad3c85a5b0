// The GOV.UK timeout warning for an open record. Progressive enhancement: without it, the
// record still closes after the idle time, and what was typed into a section is kept by the
// server and given back after the passphrase.
//
// Two minutes before the record closes, a modal dialog says so and offers to keep it open
// (a POST to the keep-open address, which counts as activity) or to close it now. If nobody
// answers, the page sends its form once the record has closed, so the server keeps what was
// typed, or else leaves for the sign-in page, so the record is no longer on the screen.
const dialog = document.querySelector("dialog[data-dp-timeout]");
if (dialog && typeof dialog.showModal === "function") {
  const idle = Number(dialog.dataset.idleSeconds) * 1000;
  const warning = Number(dialog.dataset.warningSeconds) * 1000;
  const countdown = dialog.querySelector("[data-dp-countdown]");
  const stay = dialog.querySelector("form[data-dp-stay]");
  let warnTimer, closeTimer, tick;

  // "2 minutes", "45 seconds" in the page's language, plural forms included, from the
  // browser's own locale data: the server's catalogue has no words for every count. A browser
  // with no data for the language (Chromium has none for Welsh) would say them in English, so
  // it counts whole minutes instead, in the catalogue's words that the page carries.
  const language = document.documentElement.lang;
  const known = Intl.NumberFormat.supportedLocalesOf([language]).length > 0;
  const inWords = (unit) =>
    new Intl.NumberFormat(language, { style: "unit", unit, unitDisplay: "long" });
  const minutes = inWords("minute");
  const seconds = inWords("second");
  const minuteWords = [...dialog.querySelector("template[data-dp-minute-words]").content.children]
    .map((phrase) => phrase.textContent);
  const minutesLeft = (ms) => {
    const left = Math.max(0, Math.ceil(ms / 1000));
    if (!known) {
      const whole = Math.min(Math.max(Math.ceil(left / 60), 1), minuteWords.length);
      return minuteWords[whole - 1];
    }
    return left > 60 ? minutes.format(Math.ceil(left / 60)) : seconds.format(left);
  };

  const closeRecordPage = () => {
    const draft = document.querySelector("form[data-dp-draft]");
    if (draft) {
      draft.submit();
    } else {
      window.location.assign(dialog.dataset.closedUrl);
    }
  };

  const start = () => {
    clearTimeout(warnTimer);
    clearTimeout(closeTimer);
    clearInterval(tick);
    const endsAt = Date.now() + idle;
    warnTimer = setTimeout(() => {
      countdown.textContent = minutesLeft(endsAt - Date.now());
      tick = setInterval(() => {
        countdown.textContent = minutesLeft(endsAt - Date.now());
      }, 1000);
      dialog.showModal();
    }, idle - warning);
    // A few seconds after the server's own limit, so the server has closed it by then.
    closeTimer = setTimeout(closeRecordPage, idle + 5000);
  };

  stay.addEventListener("submit", async (event) => {
    event.preventDefault();
    const response = await fetch(stay.action, {
      method: "POST",
      body: new FormData(stay),
      credentials: "same-origin",
    });
    if (response.ok) {
      dialog.close();
      start();
    } else {
      window.location.assign(dialog.dataset.closedUrl);
    }
  });
  dialog.addEventListener("cancel", (event) => event.preventDefault());
  start();
}
