import escapeHtml from 'escape-html';

/**
 * A small, accessible HTML page in the customer's language: system fonts, readable contrast, no
 * external resources, and at most one inline script, allowed by its nonce (the
 * Content-Security-Policy forbids everything else).
 */
export const page = ({
  language,
  title,
  body,
  script,
}: {
  language: string;
  title: string;
  body: string;
  /** Inline script, allowed by the response's CSP nonce. */
  script?: { nonce: string; code: string };
}) => `<!doctype html>
<html lang="${escapeHtml(language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<style>
body{margin:0;font:17px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#18181b;background:#f4f4f5}
main{max-width:34rem;margin:2rem auto;padding:1.5rem;background:#fff;border-radius:8px}
h1{font-size:1.4rem;margin:0 0 1rem}
button{font:inherit;padding:.7rem 1.4rem;border:0;border-radius:6px;background:#18181b;color:#fff;cursor:pointer}
button:focus-visible{outline:3px solid #2563eb;outline-offset:2px}
fieldset{border:0;margin:0 0 1.25rem;padding:0}
legend{font-weight:600;margin-bottom:.5rem}
.scores{display:flex;gap:4px}
.scores label{flex:1;position:relative}
.scores input{position:absolute;opacity:0;inset:0;margin:0}
.scores span{display:block;text-align:center;padding:.6rem 0;border:2px solid #71717a;border-radius:6px;font-weight:700;cursor:pointer}
.scores input:checked+span{background:#18181b;border-color:#18181b;color:#fff}
.scores input:focus-visible+span{outline:3px solid #2563eb;outline-offset:2px}
.ends{display:flex;justify-content:space-between;font-size:.85rem;color:#3f3f46;margin-top:.3rem}
.reasons label{display:inline-flex;align-items:center;gap:.35rem;margin:0 1rem .4rem 0}
textarea{width:100%;box-sizing:border-box;font:inherit;padding:.5rem;border:2px solid #71717a;border-radius:6px}
label.block{display:block;font-weight:600;margin-bottom:.35rem}
.hint{font-size:.85rem;color:#3f3f46;margin:.25rem 0 0}
.status{min-height:1.5em;color:#166534;font-weight:600}
.error{color:#991b1b;font-weight:600}
.viewer{display:flex;flex-wrap:wrap;justify-content:space-between;align-items:center;gap:.5rem}
.viewer button{background:#fff;color:#18181b;border:2px solid #18181b;padding:.3rem .9rem}
h2{font-size:1.15rem;margin:1.5rem 0 .75rem}
blockquote{margin:.5rem 0 1rem;padding:.5rem 1rem;border-left:4px solid #18181b;background:#f4f4f5}
figure{margin:0}
.choice{display:flex;align-items:center;gap:.5rem;min-height:44px}
</style>
</head>
<body><main>
<h1>${escapeHtml(title)}</h1>
${body}
</main>${script ? `<script nonce="${escapeHtml(script.nonce)}">${script.code}</script>` : ''}</body>
</html>`;

export { escapeHtml };
