/**
 * The survey page's script. Saves the preselected score (with the comment and reasons already on the
 * form) as soon as a real browser has loaded and shown the page. A link scanner that only fetches the
 * URL runs no script and records nothing; a browser without script still has the visible Send button.
 * A busy service (5xx, network) is tried again after 1, 2, 4 and 8 s (or its Retry-After), unless the
 * customer sends first.
 */
const autoSave = () => {
  const form = document.getElementById('survey') as HTMLFormElement | null;
  const status = document.getElementById('status') as HTMLElement;
  const chosen = form?.querySelector('input[name=score]:checked');
  if (!form || !chosen || form.dataset.autosave !== 'true') return;
  // A form of text fields only (no file input), which is what URLSearchParams takes.
  const fields = new URLSearchParams(new FormData(form) as unknown as Record<string, string>);
  fields.set('source', 'auto');
  let sent = false;
  form.addEventListener('submit', () => {
    sent = true;
  });
  const retry = (attempt: number, seconds?: number) => {
    if (attempt < 4 && !sent)
      setTimeout(() => save(attempt + 1), Math.max(seconds || 0, 2 ** attempt) * 1000);
  };
  const save = (attempt = 0): Promise<void> =>
    fetch(form.action, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: fields.toString(),
    })
      .then((response) => {
        if (response.ok) status.textContent = form.dataset.saved ?? '';
        else if (response.status >= 500) retry(attempt, Number(response.headers.get('retry-after')));
      })
      .catch(() => retry(attempt));
  if (document.visibilityState === 'visible') save();
  else
    document.addEventListener('visibilitychange', () => document.visibilityState === 'visible' && save(), {
      once: true,
    });
};

autoSave();
