import escapeHtml from 'escape-html';

/**
 * A small, accessible HTML page in the customer's language: system fonts, readable contrast, no
 * scripts, no external resources (the Content-Security-Policy forbids them).
 */
export const page = ({
  language,
  title,
  body,
}: {
  language: string;
  title: string;
  body: string;
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
</style>
</head>
<body><main>
<h1>${escapeHtml(title)}</h1>
${body}
</main></body>
</html>`;

export { escapeHtml };
