// Stop the spread: fingerprints are made here, in the person's browser. The chosen files are
// read only by this page; the form sends nothing but the fingerprints and their quality.
import { pdqHashFile } from "./pdq.js";
import { vpdqHashVideo } from "./vpdq.js";

const MIN_QUALITY = 50;
// The server takes at most 2.5 MB in one form; long videos make long fingerprints.
const MAX_SEND_BYTES = 2_000_000;

const picker = document.getElementById("protect-picker");
const input = document.getElementById("files");
const form = document.getElementById("protect-form");
const rows = document.getElementById("protect-rows");
const field = document.getElementById("signals");
const progress = document.getElementById("protect-progress");
const send = document.getElementById("protect-send");

document.getElementById("protect-needs-js").hidden = true;
picker.hidden = false;

function cell(label, text, className = "") {
  const td = document.createElement("td");
  td.className = `govuk-table__cell ${className}`.trim();
  td.dataset.label = label; // shown above the value when a phone stacks the columns
  td.textContent = text;
  return td;
}

/** One file's row: its name, its fingerprint (a PDQ hash, or a video's frame count, or a
 * dash), and what happens to it, in words. */
function row(name, fingerprint, result, sent, isHash = true) {
  const tr = document.createElement("tr");
  tr.className = "govuk-table__row";
  const print = cell("Fingerprint", fingerprint && !isHash ? fingerprint : "");
  if (fingerprint && isHash) {
    const code = document.createElement("code");
    code.className = "dp-hash";
    code.textContent = fingerprint;
    print.append(code);
  } else if (!fingerprint) {
    print.textContent = "–";
  }
  const outcome = cell("Result", "", "dp-fingerprint-result");
  const tag = document.createElement("strong");
  tag.className = `govuk-tag govuk-tag--${sent ? "green" : "grey"}`;
  tag.textContent = sent ? "Ready to send" : "Not sent";
  outcome.append(tag);
  if (result) outcome.append(document.createElement("br"), result);
  tr.append(cell("File", name, "dp-file-name"), print, outcome);
  return tr;
}

// Why a fingerprint is not sent, in the person's words rather than a quality score.
const TOO_LITTLE_DETAIL =
  "There is too little detail in it (for example, it is very dark, blurred or mostly one colour), so copies could not be recognised reliably.";
const NO_CLEAR_FRAMES =
  "None of its frames has enough detail (for example, they are very dark or blurred), so copies could not be recognised reliably.";

async function fingerprint(file, onFrame) {
  if (file.type.startsWith("video/")) {
    const features = await vpdqHashVideo(file, {
      onProgress: (_, done, total) => onFrame(done, total),
    });
    const good = features.filter((f) => f.quality >= MIN_QUALITY);
    const quality = good.length
      ? Math.round(good.reduce((sum, f) => sum + f.quality, 0) / good.length)
      : 0;
    const value = features
      .map((f) => `${f.frame_number},${f.quality},${f.hash},${f.timestamp.toFixed(3)}`)
      .join("\n");
    const shown = `Video: ${features.length} frame${features.length === 1 ? "" : "s"}`;
    return { type: "vpdq", value, quality, shown, lowDetail: NO_CLEAR_FRAMES };
  }
  const { hash, quality } = await pdqHashFile(file);
  return { type: "pdq", value: hash, quality, shown: hash, lowDetail: TOO_LITTLE_DETAIL };
}

input.addEventListener("change", async () => {
  const files = [...input.files];
  const signals = [];
  rows.replaceChildren();
  send.disabled = true;
  for (const [index, file] of files.entries()) {
    const making = `Making fingerprint ${index + 1} of ${files.length}`;
    progress.textContent = `${making}…`;
    try {
      const signal = await fingerprint(file, (done, total) => {
        progress.textContent = `${making}: frame ${done} of ${total} of this video…`;
      });
      if (signal.quality < MIN_QUALITY) {
        rows.append(row(file.name, "", signal.lowDetail, false));
        continue;
      }
      signals.push({ type: signal.type, value: signal.value, quality: signal.quality });
      rows.append(row(file.name, signal.shown, "", true, signal.type === "pdq"));
    } catch (problem) {
      rows.append(row(file.name, "", `${problem.message}.`, false));
    }
  }
  field.value = JSON.stringify(signals);
  if (field.value.length > MAX_SEND_BYTES) {
    progress.textContent =
      "These fingerprints are too many to send at once. Choose fewer files, or shorter videos, and send the rest afterwards.";
    send.disabled = true;
    return;
  }
  progress.textContent = signals.length
    ? `${signals.length} fingerprint${signals.length === 1 ? "" : "s"} ready. Check them below, then send.`
    : "No fingerprints could be made from these files.";
  form.hidden = false;
  send.disabled = signals.length === 0;
});
