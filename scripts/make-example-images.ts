/**
 * Draws the example product photos in examples/images/ (simple studio-style shapes on white) and the
 * example brand's logo mark in examples/brand/logo.png (transparent PNG), so the repository ships no
 * third-party pictures. Run: npx tsx scripts/make-example-images.ts
 */
import { mkdir } from 'node:fs/promises';
import sharp from 'sharp';

const SIZE = 800;

const photos: Record<string, string> = {
  'mug-front': `
    <ellipse cx="400" cy="640" rx="230" ry="28" fill="#000" opacity="0.12"/>
    <path d="M560 330 q120 0 120 110 q0 110 -120 110" fill="none" stroke="#2f6f8f" stroke-width="44"/>
    <rect x="220" y="250" width="360" height="390" rx="40" fill="#3a86ad"/>
    <ellipse cx="400" cy="250" rx="180" ry="34" fill="#2f6f8f"/>
    <ellipse cx="400" cy="250" rx="160" ry="24" fill="#4a2c1a"/>
    <rect x="250" y="380" width="300" height="26" rx="13" fill="#f4efe6" opacity="0.85"/>`,
  'mug-side': `
    <ellipse cx="400" cy="650" rx="200" ry="24" fill="#000" opacity="0.12"/>
    <rect x="250" y="260" width="300" height="390" rx="36" fill="#3a86ad"/>
    <ellipse cx="400" cy="260" rx="150" ry="28" fill="#2f6f8f"/>
    <rect x="280" y="300" width="40" height="300" rx="20" fill="#fff" opacity="0.25"/>`,
  'sneaker-side': `
    <ellipse cx="400" cy="600" rx="300" ry="26" fill="#000" opacity="0.14"/>
    <path d="M110 560 L120 430 Q200 380 300 330 L380 300 Q430 360 520 400 L650 440 Q710 470 700 540 L690 575 Z" fill="#e85d3a"/>
    <path d="M100 560 L700 560 L695 600 L110 600 Z" fill="#f5f5f5" stroke="#d0d0d0" stroke-width="4"/>
    <path d="M300 340 L330 420 M340 325 L370 405 M380 315 L410 395" stroke="#fff" stroke-width="10" stroke-linecap="round"/>
    <circle cx="640" cy="500" r="18" fill="#fff" opacity="0.6"/>`,
  'sneaker-top': `
    <ellipse cx="400" cy="660" rx="160" ry="22" fill="#000" opacity="0.12"/>
    <path d="M330 120 Q400 90 470 120 Q530 300 500 520 Q470 650 400 660 Q330 650 300 520 Q270 300 330 120 Z" fill="#e85d3a"/>
    <ellipse cx="400" cy="250" rx="60" ry="90" fill="#fff" opacity="0.85"/>`,
  lamp: `
    <ellipse cx="400" cy="690" rx="170" ry="22" fill="#000" opacity="0.14"/>
    <rect x="300" y="650" width="200" height="36" rx="12" fill="#2e2e2e"/>
    <rect x="388" y="330" width="24" height="330" fill="#5a5a5a"/>
    <path d="M250 340 L330 130 L470 130 L550 340 Z" fill="#f2c14e"/>
    <ellipse cx="400" cy="340" rx="150" ry="22" fill="#d9a630"/>`,
};

await mkdir('examples/images', { recursive: true });
for (const [name, shapes] of Object.entries(photos)) {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${SIZE}" height="${SIZE}"><rect width="100%" height="100%" fill="#ffffff"/>${shapes}</svg>`;
  await sharp(Buffer.from(svg)).jpeg({ quality: 82, mozjpeg: true }).toFile(`examples/images/${name}.jpg`);
}
console.log(`wrote ${Object.keys(photos).length} photos to examples/images/`);

// Northwind Goods' mark: a compass needle in the brand's accent on its primary colour, no text (no font needed).
const logo = `<svg xmlns="http://www.w3.org/2000/svg" width="512" height="512">
  <rect x="16" y="16" width="480" height="480" rx="112" fill="#1f3b4d"/>
  <circle cx="256" cy="256" r="168" fill="none" stroke="#5b8fa8" stroke-width="20"/>
  <path d="M256 96 L300 256 L256 416 L212 256 Z" fill="#ffd166"/>
  <path d="M256 96 L300 256 L212 256 Z" fill="#ffffff" opacity="0.35"/>
  <circle cx="256" cy="256" r="22" fill="#1f3b4d"/>
</svg>`;
await mkdir('examples/brand', { recursive: true });
await sharp(Buffer.from(logo)).png({ compressionLevel: 9, palette: true }).toFile('examples/brand/logo.png');
console.log('wrote examples/brand/logo.png');
