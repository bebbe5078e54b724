import escapeHtml from 'escape-html';

/**
 * The local provider's own pages, in the spirit of Cognito's managed login: a sign-in form (e-mail
 * and password), the form that asks for a new password after a temporary one, the sign-out step and
 * errors. Plain HTML forms, labelled for assistive technology; errors are announced (`role="alert"`).
 */
const layout = (title: string, body: string, script = '') => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)} · closeloop (local sign-in)</title>
<style>
body{margin:0;font:17px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#18181b;background:#f4f4f5}
main{max-width:24rem;margin:2rem auto;padding:1.5rem;background:#fff;border-radius:8px}
h1{font-size:1.4rem;margin:0 0 1rem}
label{display:block;font-weight:600;margin:.75rem 0 .35rem}
input{box-sizing:border-box;width:100%;font:inherit;padding:.5rem;border:2px solid #71717a;border-radius:6px}
button{font:inherit;margin-top:1.25rem;padding:.7rem 1.4rem;border:0;border-radius:6px;background:#18181b;color:#fff;cursor:pointer}
button:focus-visible,input:focus-visible{outline:3px solid #2563eb;outline-offset:2px}
.error{color:#991b1b;font-weight:600}
.hint{font-size:.85rem;color:#3f3f46}
</style>
</head>
<body><main>
<h1>${escapeHtml(title)}</h1>
${body}
</main>${script}</body>
</html>`;

const errorLine = (error?: string) =>
  error === undefined ? '' : `<p class="error" role="alert" id="form-error">${escapeHtml(error)}</p>`;

export const signInPage = (action: string, { email = '', error }: { email?: string; error?: string } = {}) =>
  layout(
    'Sign in',
    `${errorLine(error)}
<form method="post" action="${escapeHtml(action)}"${error ? ' aria-describedby="form-error"' : ''}>
<label for="email">E-mail address</label>
<input id="email" name="email" type="email" autocomplete="username" required value="${escapeHtml(email)}"${email ? '' : ' autofocus'}>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required${email ? ' autofocus' : ''}>
<button type="submit">Sign in</button>
</form>`,
  );

export const newPasswordPage = (action: string, { error }: { error?: string } = {}) =>
  layout(
    'Choose a new password',
    `${errorLine(error)}
<p>You signed in with a temporary password: choose your own to continue.</p>
<form method="post" action="${escapeHtml(action)}"${error ? ' aria-describedby="form-error"' : ''}>
<label for="new-password">New password</label>
<input id="new-password" name="newPassword" type="password" autocomplete="new-password" required aria-describedby="password-rules" autofocus>
<p class="hint" id="password-rules">At least 12 characters, with upper- and lower-case letters, a digit and a symbol.</p>
<label for="confirm-password">Confirm the new password</label>
<input id="confirm-password" name="confirmPassword" type="password" autocomplete="new-password" required>
<button type="submit">Save and sign in</button>
</form>`,
  );

/**
 * The sign-out step of the provider's end-session endpoint (`form` is oidc-provider's, with its
 * anti-forgery field): submitted at once, as Cognito's `/logout` signs out without asking.
 */
export const signOutPage = (form: string) =>
  layout(
    'Signing out',
    `${form.replace('</form>', '<input type="hidden" name="logout" value="yes"></form>')}
<p>Signing you out…</p>
<noscript><button type="submit" form="op.logoutForm">Sign out</button></noscript>`,
    `<script>document.getElementById('op.logoutForm').submit()</script>`,
  );

export const signedOutPage = () => layout('Signed out', '<p>You are signed out.</p>');

export const errorPage = (title: string, message: string) =>
  layout(title, `<p class="error" role="alert">${escapeHtml(message)}</p>`);

/** Cognito's default password policy, as the stack sets it: what is wrong with `password`, if anything. */
export const passwordPolicyProblem = (password: string): string | undefined => {
  if (password.length < 12) return 'The password must have at least 12 characters.';
  if (!/[a-z]/.test(password) || !/[A-Z]/.test(password))
    return 'The password must have upper- and lower-case letters.';
  if (!/\d/.test(password)) return 'The password must have a digit.';
  if (!/[^A-Za-z0-9]/.test(password)) return 'The password must have a symbol.';
  return undefined;
};
