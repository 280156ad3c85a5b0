// PDQ perceptual hashing (Meta's published algorithm) in the person's own browser, so that an
// image never leaves their device: only its 256-bit hash is sent.
//
// The hash must be the one the server and the platforms compute (pdqhash, which wraps Meta's C++
// reference), so every step repeats the reference's arithmetic in float32 (Math.fround and
// Float32Array stores round exactly as float32 operations do): luma from 0-255 floats, two passes
// of the Jarosz box filter along each axis, decimation to 64x64 at pixel centres, the 16x16 DCT,
// and bits set where a coefficient exceeds the Torben median.
//
// Hex form: the 256 bits as pdqhash's bit array packed most significant bit first, which is the
// reference's own hex (DCT row 15 first, each row a 16-bit word with column j at bit j).

const SIZE = 64;
const DCT_SIZE = 16;
const MIN_HASHABLE_DIMENSION = 5;
const JAROSZ_PASSES = 2;
// Canvases larger than this fail on some phones (iOS Safari caps canvas area at 4096x4096).
const MAX_CANVAS_PIXELS = 4096 * 4096;

const f32 = Math.fround;

/** 16x64 DCT-II rows 1..16 (row 0, the mean, carries no perceptual information). */
const DCT_MATRIX = (() => {
  const matrix = new Float32Array(DCT_SIZE * SIZE);
  const scale = f32(Math.sqrt(2 / SIZE));
  for (let i = 0; i < DCT_SIZE; i++) {
    for (let j = 0; j < SIZE; j++) {
      matrix[i * SIZE + j] = scale * Math.cos((Math.PI / 2 / SIZE) * (i + 1) * (2 * j + 1));
    }
  }
  return matrix;
})();

/** Luma (ITU-R BT.601) of each pixel; alpha is ignored, as the server drops it. */
function lumaOf(imageData) {
  const { data, width, height } = imageData;
  const luma = new Float32Array(width * height);
  for (let p = 0, q = 0; p < luma.length; p++, q += 4) {
    luma[p] = data[q] * 0.299 + data[q + 1] * 0.587 + data[q + 2] * 0.114;
  }
  return luma;
}

/** Window of each box-filter pass: two passes span 1/64 of the dimension, rounded up. */
function jaroszWindowSize(dimension) {
  return Math.floor((dimension + 2 * SIZE - 1) / (2 * SIZE));
}

/** Running-mean box filter along each row, with windows shrinking at the edges. */
function boxAlongRows(input, output, rows, cols, window) {
  const half = (window + 2) >> 1;
  for (let r = 0, base = 0; r < rows; r++, base += cols) {
    let sum = 0;
    let count = 0;
    let right = base;
    let left = base;
    let out = base;
    for (let i = 0; i < half - 1; i++) {
      sum = f32(sum + input[right++]);
      count++;
    }
    for (let i = 0; i < window - half + 1; i++) {
      sum = f32(sum + input[right++]);
      count++;
      output[out++] = sum / count;
    }
    for (let i = 0; i < cols - window; i++) {
      sum = f32(sum + input[right++]);
      sum = f32(sum - input[left++]);
      output[out++] = sum / count;
    }
    for (let i = 0; i < half - 1; i++) {
      sum = f32(sum - input[left++]);
      count--;
      output[out++] = sum / count;
    }
  }
}

/**
 * The same filter down each column, walking whole rows at a time to stay in cache: output row o
 * averages input rows o - lag + 1 .. o + half - 1, each step adding the row entering the window
 * before dropping the one leaving it, as the reference's running sum does.
 */
function boxAlongCols(input, output, rows, cols, window, sums) {
  const half = (window + 2) >> 1;
  const lag = window - half + 1;
  sums.fill(0);
  let count = 0;
  for (let o = 1 - half; o < rows; o++) {
    const enter = o + half - 1 < rows ? (o + half - 1) * cols : -1;
    const leave = o >= lag ? (o - lag) * cols : -1;
    const out = o * cols;
    if (enter >= 0 && leave >= 0) {
      for (let j = 0; j < cols; j++) {
        const sum = f32(f32(sums[j] + input[enter + j]) - input[leave + j]);
        sums[j] = sum;
        output[out + j] = sum / count;
      }
      continue;
    }
    if (enter >= 0) {
      count++;
      for (let j = 0; j < cols; j++) sums[j] += input[enter + j];
    } else {
      count--;
      for (let j = 0; j < cols; j++) sums[j] -= input[leave + j];
    }
    if (o >= 0) for (let j = 0; j < cols; j++) output[out + j] = sums[j] / count;
  }
}

/** Blur (Jarosz: repeated box filters approximate a tent) and sample 64x64 pixel centres. */
function downsample(luma, rows, cols) {
  const scratch = new Float32Array(luma.length);
  const sums = new Float32Array(cols);
  const alongRows = jaroszWindowSize(cols);
  const alongCols = jaroszWindowSize(rows);
  for (let pass = 0; pass < JAROSZ_PASSES; pass++) {
    boxAlongRows(luma, scratch, rows, cols, alongRows);
    boxAlongCols(scratch, luma, rows, cols, alongCols, sums);
  }
  const out = new Float32Array(SIZE * SIZE);
  for (let i = 0; i < SIZE; i++) {
    const row = Math.floor(((i + 0.5) * rows) / SIZE);
    for (let j = 0; j < SIZE; j++) {
      out[i * SIZE + j] = luma[row * cols + Math.floor(((j + 0.5) * cols) / SIZE)];
    }
  }
  return out;
}

/** 0-100: how much significant gradient the 64x64 image holds (flat images hash poorly). */
function qualityOf(pixels) {
  let gradientSum = 0;
  const step = (u, v) => Math.abs(Math.trunc(f32(f32(f32(u - v) * 100) / 255)));
  for (let i = 0; i < SIZE - 1; i++) {
    for (let j = 0; j < SIZE; j++) {
      gradientSum += step(pixels[i * SIZE + j], pixels[(i + 1) * SIZE + j]);
    }
  }
  for (let i = 0; i < SIZE; i++) {
    for (let j = 0; j < SIZE - 1; j++) {
      gradientSum += step(pixels[i * SIZE + j], pixels[i * SIZE + j + 1]);
    }
  }
  return Math.min(100, Math.floor(gradientSum / 90));
}

/** The 16x16 low-frequency block of the 2D DCT: D * pixels * D^T. */
function dct(pixels) {
  const partial = new Float32Array(DCT_SIZE * SIZE);
  for (let i = 0; i < DCT_SIZE; i++) {
    for (let j = 0; j < SIZE; j++) {
      let sum = 0;
      for (let k = 0; k < SIZE; k++) {
        sum = f32(sum + f32(DCT_MATRIX[i * SIZE + k] * pixels[k * SIZE + j]));
      }
      partial[i * SIZE + j] = sum;
    }
  }
  const out = new Float32Array(DCT_SIZE * DCT_SIZE);
  for (let i = 0; i < DCT_SIZE; i++) {
    for (let j = 0; j < DCT_SIZE; j++) {
      let sum = 0;
      for (let k = 0; k < SIZE; k++) {
        sum = f32(sum + f32(partial[i * SIZE + k] * DCT_MATRIX[j * SIZE + k]));
      }
      out[i * DCT_SIZE + j] = sum;
    }
  }
  return out;
}

/** Torben Mogensen's median by bisection of values, as the reference computes it. */
function median(values) {
  const half = (values.length + 1) >> 1;
  let min = values[0];
  let max = values[0];
  for (const value of values) {
    if (value < min) min = value;
    if (value > max) max = value;
  }
  for (;;) {
    const guess = f32((min + max) / 2);
    let less = 0;
    let greater = 0;
    let equal = 0;
    let largestBelow = min;
    let smallestAbove = max;
    for (const value of values) {
      if (value < guess) {
        less++;
        if (value > largestBelow) largestBelow = value;
      } else if (value > guess) {
        greater++;
        if (value < smallestAbove) smallestAbove = value;
      } else {
        equal++;
      }
    }
    if (less <= half && greater <= half) {
      if (less >= half) return largestBelow;
      if (less + equal >= half) return guess;
      return smallestAbove;
    }
    if (less > greater) max = largestBelow;
    else min = smallestAbove;
  }
}

/** Bit (i, j) is set where coefficient (i, j) exceeds the median; rows 15..0 as 16-bit words. */
function hexFromDct(coefficients) {
  const threshold = median(coefficients);
  let hex = "";
  for (let i = DCT_SIZE - 1; i >= 0; i--) {
    let word = 0;
    for (let j = 0; j < DCT_SIZE; j++) {
      if (coefficients[i * DCT_SIZE + j] > threshold) word |= 1 << j;
    }
    hex += word.toString(16).padStart(4, "0");
  }
  return hex;
}

const ZERO_HASH = "0".repeat(64);

/** The DCT block and quality of an image, or null when it is too small to hash. */
function analyse(imageData, filterAt64) {
  const { width: cols, height: rows } = imageData;
  if (rows < MIN_HASHABLE_DIMENSION || cols < MIN_HASHABLE_DIMENSION) return null;
  const luma = lumaOf(imageData);
  // The reference takes a 64x64 image (a video frame already scaled) as it is when hashing once.
  const asItIs = rows === SIZE && cols === SIZE && !filterAt64;
  const pixels = asItIs ? luma : downsample(luma, rows, cols);
  return { coefficients: dct(pixels), quality: qualityOf(pixels) };
}

/** PDQ hash of an ImageData (RGBA): {hash: 64 lowercase hex digits, quality: 0-100}. */
export function pdqHash(imageData) {
  const analysis = analyse(imageData, false);
  if (analysis === null) return { hash: ZERO_HASH, quality: 0 };
  return { hash: hexFromDct(analysis.coefficients), quality: analysis.quality };
}

// Each rotation or flip of the image transposes and/or negates DCT coefficients, so all eight
// hashes come from one DCT. [transpose, negate(i, j)] in pdqhash.compute_dihedral's order.
const DIHEDRAL = [
  [false, () => false], // original
  [true, (i, j) => (j & 1) === 0], // rotated 90 degrees
  [false, (i, j) => ((i + j) & 1) === 1], // rotated 180 degrees
  [true, (i) => (i & 1) === 0], // rotated 270 degrees
  [false, (i) => (i & 1) === 0], // flipped about the x axis
  [false, (i, j) => (j & 1) === 0], // flipped about the y axis
  [true, () => false], // flipped about the main diagonal
  [true, (i, j) => ((i + j) & 1) === 1], // flipped about the anti-diagonal
];

/** The eight hashes of the image's rotations and flips, in pdqhash.compute_dihedral's order. */
export function pdqHashDihedral(imageData) {
  const analysis = analyse(imageData, true);
  if (analysis === null) return DIHEDRAL.map(() => ({ hash: ZERO_HASH, quality: 0 }));
  const { coefficients, quality } = analysis;
  return DIHEDRAL.map(([transpose, negate]) => {
    const variant = new Float32Array(DCT_SIZE * DCT_SIZE);
    for (let i = 0; i < DCT_SIZE; i++) {
      for (let j = 0; j < DCT_SIZE; j++) {
        const value = coefficients[i * DCT_SIZE + j];
        variant[transpose ? j * DCT_SIZE + i : i * DCT_SIZE + j] = negate(i, j) ? -value : value;
      }
    }
    return { hash: hexFromDct(variant), quality };
  });
}

const HEX_HASH = /^[0-9a-f]{64}$/i;

/** Number of differing bits between two PDQ hashes in hex (PDQ calls <= 31 a match). */
export function hammingDistance(hexA, hexB) {
  if (!HEX_HASH.test(hexA) || !HEX_HASH.test(hexB)) {
    throw new TypeError("A PDQ hash is 64 hexadecimal digits");
  }
  let distance = 0;
  for (let p = 0; p < 64; p += 8) {
    let bits = (parseInt(hexA.slice(p, p + 8), 16) ^ parseInt(hexB.slice(p, p + 8), 16)) >>> 0;
    while (bits) {
      bits &= bits - 1;
      distance++;
    }
  }
  return distance;
}

/** EXIF orientation (1-8) of a JPEG, read from its APP1 segment; 1 when absent or not a JPEG. */
async function jpegOrientation(file) {
  const bytes = new DataView(await file.slice(0, 1 << 17).arrayBuffer());
  if (bytes.byteLength < 4 || bytes.getUint16(0) !== 0xffd8) return 1;
  let offset = 2;
  while (offset + 4 <= bytes.byteLength && bytes.getUint8(offset) === 0xff) {
    const marker = bytes.getUint8(offset + 1);
    const length = bytes.getUint16(offset + 2);
    if (marker === 0xda) return 1; // image data starts: no EXIF before it
    const exifHeader = offset + 10 <= bytes.byteLength && bytes.getUint32(offset + 4) === 0x45786966;
    if (marker === 0xe1 && exifHeader) return tiffOrientation(bytes, offset + 10);
    offset += 2 + length;
  }
  return 1;
}

function tiffOrientation(bytes, tiff) {
  try {
    const little = bytes.getUint16(tiff) === 0x4949; // "II"
    const directory = tiff + bytes.getUint32(tiff + 4, little);
    const entries = bytes.getUint16(directory, little);
    for (let n = 0; n < entries; n++) {
      const entry = directory + 2 + n * 12;
      if (bytes.getUint16(entry, little) === 0x0112) {
        const orientation = bytes.getUint16(entry + 8, little);
        return orientation >= 1 && orientation <= 8 ? orientation : 1;
      }
    }
  } catch (error) {
    if (!(error instanceof RangeError)) throw error; // truncated EXIF: treat as unrotated
  }
  return 1;
}

// For each EXIF orientation, the canvas transform (a, b, c, d, e, f) taking the displayed image back
// to the stored pixels, given the stored width and height.
const UNDO_ORIENTATION = {
  2: (width) => [-1, 0, 0, 1, width, 0],
  3: (width, height) => [-1, 0, 0, -1, width, height],
  4: (width, height) => [1, 0, 0, -1, 0, height],
  5: () => [0, 1, 1, 0, 0, 0],
  6: (width, height) => [0, -1, 1, 0, 0, height],
  7: (width, height) => [0, -1, -1, 0, width, height],
  8: (width) => [0, 1, -1, 0, width, 0],
};

/**
 * Pixels of an image file as the server decodes them: the stored pixels, ignoring EXIF
 * orientation (browsers apply it while decoding, so it is undone here for JPEGs), without colour
 * management. Images over 4096x4096 pixels are scaled down to fit a phone's canvas limit, which
 * moves the hash a few bits from the server's full-resolution one. Drawing onto a canvas
 * premultiplies alpha, so fully transparent pixels read back black where the server keeps their
 * stored colour: transparent images may hash differently (opaque ones agree).
 */
async function storedPixelsOf(file) {
  const orientation = await jpegOrientation(file);
  let bitmap = await createImageBitmap(file, {
    imageOrientation: "from-image",
    colorSpaceConversion: "none",
    premultiplyAlpha: "none",
  });
  const pixels = bitmap.width * bitmap.height;
  if (pixels > MAX_CANVAS_PIXELS) {
    const scale = Math.sqrt(MAX_CANVAS_PIXELS / pixels);
    const resized = await createImageBitmap(bitmap, {
      resizeWidth: Math.max(1, Math.floor(bitmap.width * scale)),
      resizeHeight: Math.max(1, Math.floor(bitmap.height * scale)),
      resizeQuality: "high",
    });
    bitmap.close();
    bitmap = resized;
  }
  const swapped = orientation >= 5;
  const width = swapped ? bitmap.height : bitmap.width;
  const height = swapped ? bitmap.width : bitmap.height;
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext("2d", { willReadFrequently: true });
  context.imageSmoothingEnabled = false;
  const undo = UNDO_ORIENTATION[orientation];
  if (undo) context.setTransform(...undo(width, height));
  context.drawImage(bitmap, 0, 0);
  bitmap.close();
  return context.getImageData(0, 0, width, height);
}

/** PDQ hash of an image File or Blob, decoded here in the browser; nothing is uploaded. */
export async function pdqHashFile(file) {
  return pdqHash(await storedPixelsOf(file));
}
