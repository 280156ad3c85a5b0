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

function cell(text, numeric = false) {
  const td = document.createElement("td");
  td.className = "govuk-table__cell" + (numeric ? " govuk-table__cell--numeric" : "");
  td.textContent = text;
  return td;
}

function row(name, fingerprint, detail) {
  const tr = document.createElement("tr");
  tr.className = "govuk-table__row";
  tr.append(cell(name));
  const td = cell("");
  const code = document.createElement("code");
  code.className = "dp-hash";
  code.textContent = fingerprint;
  td.append(code);
  tr.append(td, cell(detail, true));
  return tr;
}

async function fingerprint(file) {
  if (file.type.startsWith("video/")) {
    const features = await vpdqHashVideo(file);
    const good = features.filter((f) => f.quality >= MIN_QUALITY);
    const quality = good.length
      ? Math.round(good.reduce((sum, f) => sum + f.quality, 0) / good.length)
      : 0;
    const value = features
      .map((f) => `${f.frame_number},${f.quality},${f.hash},${f.timestamp.toFixed(3)}`)
      .join("\n");
    return { type: "vpdq", value, quality, shown: `${features.length} frames` };
  }
  const { hash, quality } = await pdqHashFile(file);
  return { type: "pdq", value: hash, quality, shown: hash };
}

input.addEventListener("change", async () => {
  const files = [...input.files];
  const signals = [];
  rows.replaceChildren();
  send.disabled = true;
  for (const [index, file] of files.entries()) {
    progress.textContent = `Making fingerprint ${index + 1} of ${files.length}…`;
    try {
      const signal = await fingerprint(file);
      if (signal.quality < MIN_QUALITY) {
        rows.append(row(file.name, "Not sent: too little detail to be matched reliably", signal.quality));
        continue;
      }
      signals.push({ type: signal.type, value: signal.value, quality: signal.quality });
      rows.append(row(file.name, signal.shown, signal.quality));
    } catch (problem) {
      rows.append(row(file.name, `Not sent: ${problem.message}`, "–"));
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
