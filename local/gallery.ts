import type { AdRecord } from '#domain/model/ad-record';
import { outputKind, outputKindOfFile } from '#domain/model/output-kinds';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Builds the gallery page (index.html at the asset store's root) from the tracker's ad rows. */
export function galleryHtml(ads: readonly AdRecord[], generatedAt: string): string {
  const cards = ads.map((ad) => {
    // The published file's kind decides how it is shown (a banner's "video" output is its .png or .jpg).
    const media =
      ad.status !== 'published' || !ad.outputs.video
        ? `<div class="missing">${escapeHtml(ad.reason ?? ad.status)}</div>`
        : outputKind(outputKindOfFile(ad.outputs.video)).shownAs === 'img'
          ? `<img loading="lazy" alt="${escapeHtml(`${ad.sku} ${ad.channel}`)}" src="${escapeHtml(ad.outputs.video)}">`
          : `<video controls muted loop playsinline preload="none" poster="${escapeHtml(ad.outputs.poster ?? '')}" ` +
            `src="${escapeHtml(ad.outputs.video)}"></video>`;
    const facts = [
      ad.channel,
      ad.templateId,
      ad.durationSeconds ? `${ad.durationSeconds.toFixed(1)} s` : '',
      ad.bytes ? `${(ad.bytes / 1e6).toFixed(2)} MB` : '',
    ]
      .filter(Boolean)
      .map(escapeHtml)
      .join(' · ');
    // The creative QC's figures: how much of the safe area the product fills, the faintest text's contrast.
    const c = ad.creative;
    const creative = c
      ? `<br><a class="qc" href="${escapeHtml(c.reportKey)}">creative QC ${c.ok ? 'ok' : 'failed'}</a>${[
          c.figures.minProductShare !== undefined ? ` · product ${Math.round(c.figures.minProductShare * 100)} % of safe area` : '',
          c.figures.minContrast !== undefined ? ` · contrast ${c.figures.minContrast.toFixed(1)}:1` : '',
        ].join('')}`
      : '';
    return (
      `<figure class="${escapeHtml(ad.status)}">${media}` +
      `<figcaption><b>${escapeHtml(ad.sku)}</b> <span>${escapeHtml(ad.status)}</span><br>${facts}${creative}</figcaption></figure>`
    );
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>adline gallery</title>
<meta name="viewport" content="width=device-width,initial-scale=1">
<style>
body{font-family:system-ui,sans-serif;margin:24px;background:#111;color:#eee}
main{display:grid;grid-template-columns:repeat(auto-fill,minmax(220px,1fr));gap:16px}
figure{margin:0;background:#1c1c1c;border-radius:8px;padding:8px}
video,img{width:100%;max-height:360px;background:#000;border-radius:4px;object-fit:contain}
figcaption{font-size:13px;margin-top:6px;line-height:1.5}
.failed figcaption span{color:#f77}.published figcaption span{color:#7d7}
.missing{padding:24px 8px;color:#f99;font-size:13px}
</style></head><body>
<h1>adline gallery</h1><p>${ads.length} ads · generated ${escapeHtml(generatedAt)}</p>
<main>
${cards.join('\n')}
</main></body></html>
`;
}
