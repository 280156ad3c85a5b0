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

// Every word this script shows, in the page's language (rendered by the server as JSON).
const WORDS = JSON.parse(document.getElementById("protect-words").textContent);
/** A sentence from WORDS with its {placeholders} filled in. */
const say = (key, values = {}) =>
  WORDS[key].replace(/\{(\w+)\}/g, (_, name) => String(values[name]));

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
  const print = cell(say("fingerprint"), fingerprint && !isHash ? fingerprint : "");
  if (fingerprint && isHash) {
    const code = document.createElement("code");
    code.className = "dp-hash";
    code.textContent = fingerprint;
    print.append(code);
  } else if (!fingerprint) {
    print.textContent = "–";
  }
  const outcome = cell(say("result"), "", "dp-fingerprint-result");
  const tag = document.createElement("strong");
  tag.className = `govuk-tag govuk-tag--${sent ? "green" : "grey"}`;
  tag.textContent = sent ? say("ready") : say("not_sent");
  outcome.append(tag);
  if (result) outcome.append(document.createElement("br"), result);
  tr.append(cell(say("file"), name, "dp-file-name"), print, outcome);
  return tr;
}

// Why a fingerprint is not sent, in the person's words rather than a quality score.
const TOO_LITTLE_DETAIL = say("too_little_detail");
const NO_CLEAR_FRAMES = say("no_clear_frames");

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
    const shown = say("video_frames", { count: features.length });
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
    const making = { number: index + 1, count: files.length };
    progress.textContent = say("making", making);
    try {
      const signal = await fingerprint(file, (done, total) => {
        progress.textContent = say("making_frame", { ...making, done, total });
      });
      if (signal.quality < MIN_QUALITY) {
        rows.append(row(file.name, "", signal.lowDetail, false));
        continue;
      }
      signals.push({ type: signal.type, value: signal.value, quality: signal.quality });
      rows.append(row(file.name, signal.shown, "", true, signal.type === "pdq"));
    } catch (problem) {
      const why = problem.name === "UnplayableVideo" ? say("unplayable") : `${problem.message}.`;
      rows.append(row(file.name, "", why, false));
    }
  }
  field.value = JSON.stringify(signals);
  if (field.value.length > MAX_SEND_BYTES) {
    progress.textContent = say("too_many");
    send.disabled = true;
    return;
  }
  progress.textContent = signals.length
    ? say("ready_count", { count: signals.length })
    : say("none_made");
  form.hidden = false;
  send.disabled = signals.length === 0;
});
