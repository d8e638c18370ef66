// adline review app: plain browser JavaScript, served by `adline serve` (no framework, nothing from the internet).
// Every call goes to this origin; the session cookie (set by the printed /review?token=… link) authorizes the changes.

const $ = (id) => document.getElementById(id);
const state = { campaign: '', view: undefined, shown: '', selected: new Set(), pollUntil: 0 };
const FEEDS = [
  ['meta-catalog.csv', 'Meta feed'],
  ['tiktok-catalog.csv', 'TikTok feed'],
  ['google-merchant.tsv', 'Google feed'],
  ['manifest.json', 'Manifest JSON'],
  ['manifest.csv', 'Manifest CSV'],
];

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat())
    if (child !== undefined && child !== null) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return node;
}

// In AWS the page is static (S3 + CloudFront) and signs in with Cognito (authorization code + PKCE); config.json says where.
// Locally there is no config.json: the session cookie from the printed link authorizes the calls.
const auth = { idToken: sessionStorage.getItem('adline-id-token') ?? '', apiBase: '' };

async function signIn() {
  const res = await fetch('/review/config.json').catch(() => undefined);
  if (!res || !res.ok) return;
  const config = await res.json();
  auth.apiBase = String(config.apiBase ?? '').replace(/\/+$/, '');
  const redirect = `${location.origin}/review/index.html`;
  const code = new URLSearchParams(location.search).get('code');
  if (!auth.idToken && code) {
    const body = new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: config.clientId,
      code,
      redirect_uri: redirect,
      code_verifier: sessionStorage.getItem('adline-pkce') ?? '',
    });
    const token = await (
      await fetch(`${config.authDomain}/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body })
    ).json();
    if (token.id_token) sessionStorage.setItem('adline-id-token', (auth.idToken = token.id_token));
    history.replaceState(null, '', redirect);
  }
  if (auth.idToken) return;
  const verifier = [...crypto.getRandomValues(new Uint8Array(32))].map((b) => b.toString(16).padStart(2, '0')).join('');
  sessionStorage.setItem('adline-pkce', verifier);
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  const challenge = btoa(String.fromCharCode(...digest))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: redirect,
    scope: 'openid email',
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  location.assign(`${config.authDomain}/oauth2/authorize?${query}`);
  await new Promise(() => {}); // leaving for the sign-in page
}

async function api(path, body) {
  const headers = { 'x-adline-reviewer': $('reviewer').value.trim() || 'local reviewer', ...(auth.idToken ? { authorization: `Bearer ${auth.idToken}` } : {}) };
  const init = body === undefined ? { headers } : { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) };
  const res = await fetch(`${auth.apiBase}/review/api/${path}`, { ...init, credentials: 'same-origin' });
  const data = await res.json().catch(() => ({}));
  if (res.status === 401 && auth.idToken) {
    sessionStorage.removeItem('adline-id-token');
    location.reload();
  }
  if (!res.ok) throw new Error(data.error ?? `HTTP ${res.status}`);
  return data;
}

function notice(text) {
  $('notice').textContent = text;
}
const adId = (sku, ad) => `${sku}|${ad.templateId}|${ad.channel}`;
const isImage = (key) => /\.(png|jpe?g)$/i.test(key ?? '');
// Same-origin paths get the take number so a new take is not served from the browser cache; presigned URLs are unique already.
const mediaSrc = (url, ad) => (url.startsWith('/') ? `${url}?t=${ad.take ?? 0}` : url);

async function decide(action, targets, reason) {
  try {
    const out = await api(`campaigns/${state.campaign}/review`, { action, targets, ...(reason ? { reason } : {}) });
    notice(
      `${action === 'approve' ? 'Approved' : action === 'reject' ? 'Rejected' : 'Reopened'} ${out.changed} ad${out.changed === 1 ? '' : 's'}` +
        `${out.errors.length ? `; ${out.errors.length} could not be changed: ${out.errors.map((e) => e.reason).join('; ')}` : ''}. Feeds rebuilt.`,
    );
    state.selected.clear();
    await refresh(true);
  } catch (error) {
    notice(`Not done: ${error.message}`);
  }
}

async function saveCopy(product, form) {
  const features = form.features.value
    .split('\n')
    .map((s) => s.trim())
    .filter(Boolean);
  const copy = {};
  if (form.headline.value.trim() && form.headline.value.trim() !== product.title) copy.headline = form.headline.value.trim();
  if (features.length) copy.features = features;
  if (form.cta.value.trim() && form.cta.value.trim() !== state.view.defaultCta) copy.cta = form.cta.value.trim();
  try {
    const out = await api(`campaigns/${state.campaign}/products/${encodeURIComponent(product.sku)}/copy`, copy);
    notice(`Copy saved for ${product.sku}; re-rendering the variants it changes (run ${out.runId}).`);
    state.pollUntil = Date.now() + 180_000;
  } catch (error) {
    notice(`Not saved: ${error.message}`);
  }
}

async function regenerate(sku, ad, shot) {
  try {
    const out = await api(`campaigns/${state.campaign}/regenerate`, { sku, templateId: ad.templateId, shot: Number(shot) });
    notice(`Shot ${shot} of ${sku} / ${ad.templateId}: take ${out.take + 1} on its way (run ${out.runId}).`);
    state.pollUntil = Date.now() + 180_000;
  } catch (error) {
    notice(`Not started: ${error.message}`);
  }
}

function passes(ad) {
  const status = $('filter-status').value,
    channel = $('filter-channel').value,
    template = $('filter-template').value;
  return (!status || ad.status === status) && (!channel || ad.channel === channel) && (!template || ad.templateId === template);
}

function variantCard(product, ad) {
  const id = adId(product.sku, ad);
  const media = !ad.video
    ? el('div', { class: 'missing' }, ad.reason ?? ad.status)
    : isImage(ad.video)
      ? el('img', { src: mediaSrc(ad.videoUrl, ad), alt: `${product.sku} ${ad.channel}` })
      : el('video', {
          src: mediaSrc(ad.videoUrl, ad),
          poster: ad.posterUrl ? mediaSrc(ad.posterUrl, ad) : undefined,
          controls: true,
          muted: true,
          playsinline: true,
          preload: 'metadata',
          dataset: { testid: 'video' },
        });
  const reason = el('input', { type: 'text', placeholder: 'reason to reject', maxlength: 500, dataset: { testid: 'reject-reason' } });
  const reviewable = !!ad.video && ['in-review', 'rendered', 'approved', 'rejected'].includes(ad.status);
  const facts = [
    ad.durationSeconds ? `${ad.durationSeconds.toFixed(1)} s` : '',
    ad.bytes ? `${(ad.bytes / 1e6).toFixed(2)} MB` : '',
    `take ${ad.take ?? '–'} of ${ad.takes}`,
  ]
    .filter(Boolean)
    .join(' · ');
  const qc = ad.shots.length
    ? `${ad.shots.length} shots · render ${ad.renderSeconds.toFixed(1)} s · encode ${(ad.encodeSeconds ?? 0).toFixed(1)} s · $${ad.costUsd.toFixed(3)}`
    : '';
  const shotSelect = el(
    'select',
    { 'aria-label': 'shot', dataset: { testid: 'shot' } },
    ad.shots.map((s) => el('option', { value: s.index }, `shot ${s.index} · ${s.role}`)),
  );
  const shotRows = ad.shots.map((s) =>
    el(
      'tr',
      {},
      el('td', {}, `#${s.index} ${s.role}`),
      el('td', {}, s.renderer),
      el('td', {}, `${s.attempts} att.`),
      el('td', {}, s.fallback ? 'fallback' : s.qcFailures.length ? `QC: ${s.qcFailures.join(', ')}` : 'QC ok'),
      el('td', {}, `$${s.costUsd.toFixed(3)}`),
    ),
  );
  return el(
    'article',
    { class: 'variant', dataset: { testid: 'variant', sku: product.sku, template: ad.templateId, channel: ad.channel, status: ad.status, take: ad.take ?? 0 } },
    el('div', { class: 'media' }, media),
    el(
      'div',
      { class: 'body' },
      el(
        'div',
        { class: 'title' },
        el('b', {}, ad.channel),
        el('span', { class: `badge ${ad.status}`, dataset: { testid: 'status' } }, ad.status.replace('-', ' ')),
      ),
      el('div', { class: 'facts' }, `${ad.templateId} · ${facts}`),
      qc ? el('div', { class: 'facts', dataset: { testid: 'figures' } }, qc) : null,
      ad.review?.by && ad.status !== 'in-review'
        ? el('div', { class: 'facts' }, `${ad.status} by ${ad.review.by}, ${new Date(ad.review.at).toLocaleString()}`)
        : null,
      ad.status === 'rejected' && ad.reason ? el('div', { class: 'reason', dataset: { testid: 'reason' } }, ad.reason) : null,
      reviewable
        ? el(
            'div',
            { class: 'actions' },
            el(
              'label',
              { class: 'pick' },
              el('input', {
                type: 'checkbox',
                checked: state.selected.has(id),
                onchange: (e) => (e.target.checked ? state.selected.add(id) : state.selected.delete(id)),
                dataset: { testid: 'select' },
              }),
              'select',
            ),
            el(
              'button',
              {
                class: 'approve',
                disabled: ad.status === 'approved',
                onclick: () => decide('approve', [{ sku: product.sku, templateId: ad.templateId, channel: ad.channel }]),
                dataset: { testid: 'approve' },
              },
              'Approve',
            ),
            reason,
            el(
              'button',
              {
                class: 'reject',
                onclick: () =>
                  reason.value.trim()
                    ? decide('reject', [{ sku: product.sku, templateId: ad.templateId, channel: ad.channel }], reason.value.trim())
                    : (reason.focus(), notice('Write a reason first: a rejection tells the team what to fix.')),
                dataset: { testid: 'reject' },
              },
              'Reject',
            ),
          )
        : null,
      ad.shots.length
        ? el(
            'div',
            { class: 'regen' },
            shotSelect,
            el('button', { onclick: () => regenerate(product.sku, ad, shotSelect.value), dataset: { testid: 'regenerate' } }, 'New take'),
          )
        : null,
      ad.shots.length ? el('details', { class: 'shots' }, el('summary', {}, 'render QC per shot'), el('table', {}, shotRows)) : null,
    ),
  );
}

function productCard(product) {
  const ads = product.ads.filter(passes);
  if (ads.length === 0) return null;
  const form = {
    headline: el('input', { value: product.headline, maxlength: 200, dataset: { testid: 'headline' } }),
    features: el('textarea', { rows: 2, dataset: { testid: 'features' } }, product.features.join('\n')),
    cta: el('input', { value: product.cta, maxlength: 40, dataset: { testid: 'cta' } }),
  };
  return el(
    'section',
    { class: 'product', dataset: { testid: 'product', sku: product.sku } },
    el(
      'div',
      { class: 'product-head' },
      el('h2', {}, product.title),
      el('code', {}, product.sku),
      product.copyEdited ? el('span', { class: 'badge' }, 'copy edited') : null,
      el('button', { onclick: () => decide('approve', [{ sku: product.sku }]), dataset: { testid: 'approve-product' } }, 'Approve all of this product'),
    ),
    el(
      'div',
      { class: 'copy' },
      el('label', {}, 'Headline', form.headline),
      el('label', {}, 'Call to action', form.cta),
      el('label', {}, 'Feature lines, one per line', form.features),
      el('button', { class: 'primary', onclick: () => saveCopy(product, form), dataset: { testid: 'save-copy' } }, 'Save & re-render'),
    ),
    el(
      'div',
      { class: 'variants' },
      ads.map((ad) => variantCard(product, ad)),
    ),
  );
}

// With a bearer token (AWS) a plain link would go unauthenticated: fetch the feed, then hand the browser a blob.
async function downloadWithToken(event, file) {
  if (!auth.idToken) return;
  event.preventDefault();
  const res = await fetch(event.currentTarget.href, { headers: { authorization: `Bearer ${auth.idToken}` } });
  if (!res.ok) return notice(`Feed not downloaded: HTTP ${res.status}`);
  const link = el('a', { href: URL.createObjectURL(await res.blob()), download: `${state.campaign}-${file}` });
  link.click();
  URL.revokeObjectURL(link.href);
}

function render() {
  const view = state.view;
  const all = view.products.flatMap((p) => p.ads);
  const count = (s) => all.filter((a) => a.status === s).length;
  $('summary').replaceChildren(
    ...[
      ['ads', all.length],
      ['in review', count('in-review') + count('rendered')],
      ['approved', count('approved')],
      ['rejected', count('rejected')],
      ['cost', `$${all.reduce((s, a) => s + a.costUsd, 0).toFixed(2)}`],
    ].map(([label, value]) => el('div', { class: 'stat' }, el('b', {}, value), el('span', {}, label))),
  );
  for (const [id, values] of [
    ['filter-channel', view.campaign.channels],
    ['filter-template', view.campaign.templates],
  ]) {
    const select = $(id),
      current = select.value;
    const known = new Set([...values, ...all.map((a) => (id === 'filter-channel' ? a.channel : a.templateId))]);
    select.replaceChildren(el('option', { value: '' }, 'all'), ...[...known].sort().map((v) => el('option', { value: v }, v)));
    select.value = current;
  }
  $('feeds').replaceChildren(
    ...FEEDS.map(([file, label]) =>
      el(
        'a',
        {
          href: `${auth.apiBase}/review/api/campaigns/${state.campaign}/feeds/${file}`,
          download: `${state.campaign}-${file}`,
          onclick: (e) => downloadWithToken(e, file),
          dataset: { testid: `feed-${file}` },
        },
        label,
      ),
    ),
  );
  const cards = view.products.map(productCard).filter(Boolean);
  $('products').replaceChildren(...(cards.length ? cards : [el('p', { class: 'empty' }, 'No ads match these filters yet.')]));
}

async function refresh(force = false) {
  if (!state.campaign) return;
  const view = await api(`campaigns/${state.campaign}`);
  view.defaultCta = view.products[0]?.cta;
  const text = JSON.stringify(view);
  const editing = document.activeElement && document.activeElement.closest('main') && /INPUT|TEXTAREA|SELECT/.test(document.activeElement.tagName);
  const playing = [...document.querySelectorAll('video')].some((v) => !v.paused);
  if (force || (text !== state.shown && !editing && !playing)) {
    state.view = view;
    state.shown = text;
    render();
  }
}

async function start() {
  $('reviewer').value = localStorage.getItem('adline-reviewer') ?? '';
  $('reviewer').addEventListener('change', () => localStorage.setItem('adline-reviewer', $('reviewer').value.trim()));
  for (const id of ['filter-status', 'filter-channel', 'filter-template']) $(id).addEventListener('change', () => render());
  $('bulk-approve').addEventListener('click', () => {
    if (state.selected.size === 0) return notice('Select ads first (the box on each ad), then approve them together.');
    decide(
      'approve',
      [...state.selected].map((id) => {
        const [sku, templateId, channel] = id.split('|');
        return { sku, templateId, channel };
      }),
    );
  });
  await signIn();
  const campaigns = await api('campaigns');
  const wanted = new URLSearchParams(location.search).get('campaign');
  $('campaign').replaceChildren(...campaigns.map((c) => el('option', { value: c.id }, `${c.name} (${c.id})`)));
  state.campaign = campaigns.some((c) => c.id === wanted) ? wanted : (campaigns[0]?.id ?? '');
  $('campaign').value = state.campaign;
  $('campaign').addEventListener('change', () => {
    state.campaign = $('campaign').value;
    state.selected.clear();
    refresh(true);
  });
  if (!state.campaign) return void $('products').replaceChildren(el('p', { class: 'empty' }, 'No campaign yet: run `adline demo` or upload a catalog.'));
  await refresh(true);
  document.body.dataset.ready = 'true';
  setInterval(() => {
    if (Date.now() < state.pollUntil || document.visibilityState === 'visible') refresh().catch((e) => notice(e.message));
  }, 2000);
}

start().catch((error) => notice(`The review app could not start: ${error.message}`));
