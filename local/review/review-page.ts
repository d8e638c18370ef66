/** The review app's page: a static shell; review.js fills it from the JSON API (no inline script, nothing external). */
export function reviewPageHtml(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>adline review</title>
<link rel="stylesheet" href="/review/assets/review.css">
<script type="module" src="/review/assets/review.js"></script>
</head>
<body>
<header class="bar">
  <h1>adline <span>review</span></h1>
  <label>Campaign <select id="campaign" data-testid="campaign"></select></label>
  <label>Status <select id="filter-status" data-testid="filter-status">
    <option value="">all</option><option value="in-review">in review</option><option value="approved">approved</option>
    <option value="rejected">rejected</option><option value="rendered">rendered</option>\
<option value="failed">failed</option><option value="retired">retired</option>
  </select></label>
  <label>Channel <select id="filter-channel" data-testid="filter-channel"><option value="">all</option></select></label>
  <label>Template <select id="filter-template" data-testid="filter-template"><option value="">all</option></select></label>
  <label>Reviewer <input id="reviewer" data-testid="reviewer" placeholder="your name" maxlength="100"></label>
  <button id="bulk-approve" data-testid="bulk-approve" class="primary">Approve selected</button>
  <nav id="feeds" class="feeds" aria-label="Delivery feeds"></nav>
</header>
<p id="notice" class="notice" role="status" aria-live="polite"></p>
<section id="summary" class="summary"></section>
<main id="products"></main>
</body>
</html>
`;
}
