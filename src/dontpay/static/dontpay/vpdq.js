// vPDQ (video PDQ) in the person's own browser: one PDQ hash per sampled frame, so a video never
// leaves their device. Frames are decoded by the browser's own <video> element, so only formats it
// can play are hashed.
//
// Features have vPDQ's form {quality, frame_number, hash, timestamp}. The browser does not tell
// a video's frame rate, so frame_number is the index of the sample (0, 1, 2, ...) and timestamp is
// the time sampled, in seconds; matching uses the hashes and timestamps, not frame numbers.

import { pdqHash } from "./pdq.js";

export class UnplayableVideo extends Error {
  constructor(message = "This browser cannot play this video format") {
    super(message);
    this.name = "UnplayableVideo";
  }
}

/** Resolve on `event`; reject with UnplayableVideo if the video fails to load or decode first. */
function until(video, event) {
  return new Promise((resolve, reject) => {
    const done = () => {
      video.removeEventListener(event, onEvent);
      video.removeEventListener("error", onError);
    };
    const onEvent = () => {
      done();
      resolve();
    };
    const onError = () => {
      done();
      reject(new UnplayableVideo());
    };
    video.addEventListener(event, onEvent);
    video.addEventListener("error", onError);
  });
}

/** Resolve when the video presents its next frame, or after `ms` if it does not. */
function nextFrame(video, ms = 50) {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    video.requestVideoFrameCallback?.(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * The picture shown once the video has moved to `time` seconds, to draw on a canvas. A busy
 * browser can fire `seeked` while it still shows the frame from before the seek, so where
 * WebCodecs tells a frame's time, frames are taken until one lies within a frame's length of
 * `time` (or `reach` seconds when the length is not known), for at most two seconds. Where it
 * does not, the video is given a presented frame's time to catch up. Close what is returned
 * once drawn, unless it is the video itself.
 */
async function frameAt(video, time, reach) {
  const seeked = until(video, "seeked");
  video.currentTime = time;
  await seeked;
  if (typeof VideoFrame === "undefined") {
    await nextFrame(video);
    return video;
  }
  const deadline = performance.now() + 2000;
  for (;;) {
    const frame = new VideoFrame(video);
    const length = frame.duration ? frame.duration / 1e6 : reach;
    if (Math.abs(frame.timestamp / 1e6 - time) < length || performance.now() > deadline) {
      return frame;
    }
    frame.close();
    await nextFrame(video);
  }
}

/**
 * vPDQ features of a video File or Blob: one frame every `secondsPerFrame` seconds, from 0.
 * `onProgress(fraction, framesDone, framesInAll)` is called after each frame. Rejects with
 * UnplayableVideo when the browser cannot decode the format.
 */
export async function vpdqHashVideo(file, { secondsPerFrame = 1, onProgress } = {}) {
  if (!(secondsPerFrame > 0)) throw new RangeError("secondsPerFrame must be positive");
  const video = document.createElement("video");
  if (file.type && video.canPlayType(file.type) === "") throw new UnplayableVideo();
  // Played from a blob: URL of the person's own file (the page's CSP allows media-src blob:).
  const url = URL.createObjectURL(file);
  try {
    video.muted = true;
    video.preload = "auto";
    video.src = url;
    await until(video, "loadeddata");
    if (!Number.isFinite(video.duration)) {
      // Recorded WebM often declares no duration until the end has been read: seek there.
      video.currentTime = Number.MAX_SAFE_INTEGER;
      await until(video, "seeked");
      if (!Number.isFinite(video.duration)) throw new UnplayableVideo("This video has no length");
    }
    const { duration, videoWidth: width, videoHeight: height } = video;
    const canvas = new OffscreenCanvas(width, height);
    const context = canvas.getContext("2d", { willReadFrequently: true });
    const samples = Math.max(1, Math.ceil(duration / secondsPerFrame));
    const features = [];
    for (let index = 0; index < samples; index++) {
      const timestamp = index * secondsPerFrame;
      const frame = await frameAt(video, timestamp, Math.min(secondsPerFrame / 2, 0.5));
      context.drawImage(frame, 0, 0, width, height);
      if (frame !== video) frame.close();
      const { hash, quality } = pdqHash(context.getImageData(0, 0, width, height));
      features.push({ quality, frame_number: index, hash, timestamp });
      onProgress?.((index + 1) / samples, index + 1, samples);
    }
    return features;
  } finally {
    video.removeAttribute("src");
    video.load();
    URL.revokeObjectURL(url);
  }
}
