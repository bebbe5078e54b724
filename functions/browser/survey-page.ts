/**
 * The survey page's script. Saves the preselected score (with the comment and reasons already on the
 * form) once the page has been seen: at the customer's first gesture on it, after a short dwell while
 * visible, or as the page is closed, whichever comes first, so that a customer who clicks a score and
 * closes the tab at once is still counted. It tells the service what it saw (a gesture, how long the
 * page was visible, whether the browser is automated): an answer nobody touched is held for a short
 * time and discarded if the invitation shows a link scanner's signs meanwhile. A link scanner that
 * only fetches the URL runs no script and records nothing; a browser without script still has the
 * visible Send button. A busy service (5xx, network) is tried again after 1, 2, 4 and 8 s (or its
 * Retry-After), unless the customer sends first.
 */
const DWELL_MS = 1500;

const autoSave = () => {
  const form = document.getElementById('survey') as HTMLFormElement | null;
  const status = document.getElementById('status') as HTMLElement;
  const chosen = form?.querySelector('input[name=score]:checked');
  if (!form || !chosen || form.dataset.autosave !== 'true') return;
  // A form of text fields only (no file input), which is what URLSearchParams takes.
  const fields = new URLSearchParams(new FormData(form) as unknown as Record<string, string>);
  let visibleSince = document.visibilityState === 'visible' ? performance.now() : undefined;
  let visibleMs = 0;
  let gesture = false;
  let started = false;
  let sent = false;
  form.addEventListener('submit', () => {
    sent = true;
  });

  const dwellMs = () =>
    Math.round(visibleMs + (visibleSince === undefined ? 0 : performance.now() - visibleSince));
  const retry = (attempt: number, seconds?: number) => {
    if (attempt < 4 && !sent)
      setTimeout(() => post(attempt + 1), Math.max(seconds || 0, 2 ** attempt) * 1000);
  };
  const post = (attempt = 0): Promise<void> =>
    fetch(form.action, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: fields.toString(),
      // Outlives the page, so an answer saved as the tab closes still arrives.
      keepalive: true,
    })
      .then((response) => {
        if (response.ok) status.textContent = form.dataset.saved ?? '';
        else if (response.status >= 500) retry(attempt, Number(response.headers.get('retry-after')));
      })
      .catch(() => retry(attempt));

  const save = () => {
    if (started || sent || dwellMs() === 0) return;
    started = true;
    fields.set('source', 'auto');
    fields.set('gesture', String(gesture));
    fields.set('dwellMs', String(dwellMs()));
    fields.set('webdriver', String(navigator.webdriver === true));
    void post();
  };

  const onGesture = (event: Event) => {
    if (!event.isTrusted) return;
    gesture = true;
    save();
  };
  for (const type of ['pointerdown', 'keydown', 'touchstart'])
    document.addEventListener(type, onGesture, { capture: true, passive: true });
  let dwelling = false;
  const startDwell = () => {
    if (!dwelling) setTimeout(save, DWELL_MS);
    dwelling = true;
  };
  if (visibleSince !== undefined) startDwell();
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') {
      visibleSince = performance.now();
      startDwell();
    } else {
      if (visibleSince !== undefined) visibleMs += performance.now() - visibleSince;
      visibleSince = undefined;
      save();
    }
  });
  window.addEventListener('pagehide', save);
};

autoSave();
