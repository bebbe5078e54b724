import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import { handler } from '../../../functions/handlers/dashboard-page';
import type { HttpResult } from '../../../functions/shared/http';
import { renderDashboardPage } from '../../../functions/templates/dashboard-page';
import { dashboardPageScript } from '../../../lib/bundling/browser-scripts';

const signIn = vi.hoisted(() => {
  const settings = { issuerUrl: 'https://idp.example.com/pool', clientId: 'staff-pages' };
  // The handler reads its settings when loaded, as in Lambda.
  process.env.OIDC_ISSUER_URL = settings.issuerUrl;
  process.env.OIDC_CLIENT_ID = settings.clientId;
  return settings;
});

const event = {
  rawPath: '/d',
  headers: {},
  requestContext: { http: { method: 'GET' } },
} as unknown as APIGatewayProxyEventV2;

describe('renderDashboardPage', () => {
  const html = renderDashboardPage('n0nce+/=', signIn);

  it('runs one script, allowed by the nonce, holding uPlot and then the dashboard code', () => {
    expect(html.match(/<script nonce=/g)).toHaveLength(1);
    expect(html.match(/<script/g)).toHaveLength(1); // the sign-in settings are data in an attribute
    expect(html).toContain('<script nonce="n0nce+/=">/*! https://github.com/leeoniya/uPlot');
    expect(html).toContain('var uPlot=function');
    expect(html).toContain(`${dashboardPageScript()}</script>`);
    expect(dashboardPageScript()).toContain('uPlot.paths.bars(');
    expect(html.indexOf('var uPlot=')).toBeLessThan(html.indexOf('/r/dashboard?'));
  });

  it("inlines uPlot's stylesheet in the head", () => {
    const head = html.slice(0, html.indexOf('</head>'));
    expect(head).toContain('.uplot');
    expect(head.match(/<style>/g)).toHaveLength(2);
  });

  it('loads nothing from elsewhere: no external script, stylesheet, image or font', () => {
    // The markup: the script's own text (oidc-client-ts carries iframe code the page never runs) aside.
    const markup = html.replace(/(<script[^>]*>)[\s\S]*?<\/script>/g, '$1</script>');
    expect(markup).not.toMatch(/<link|\bsrc=|@import|url\(/i);
    // The only addresses in the page: the identity provider to sign in with, uPlot's licence comment
    // and oidc-client-ts's base for parsing the relative URLs of a redirect back.
    expect(html.match(/https?:\/\/[^\s"')&]+/g)).toEqual([
      'https://idp.example.com/pool',
      'https://github.com/leeoniya/uPlot',
      'http://127.0.0.1',
    ]);
  });

  it('labels every control of the period, granularity and store', () => {
    for (const [id, label] of [
      ['from', 'From'],
      ['to', 'To'],
      ['by', 'Group by'],
      ['store', 'Store'],
    ]) {
      expect(html).toMatch(new RegExp(`<label [^>]*for="${id}">${label}</label>`));
      expect(html).toMatch(new RegExp(`<(input|select) [^>]*id="${id}"`));
    }
    expect(html).toContain('<option value="month" selected>Month</option>');
  });

  it('is an English page whose charts are images with a text alternative and a table of their figures', () => {
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('<div id="trend-chart" class="chart" role="img" aria-label=');
    expect(html).toContain('<div id="distribution-chart" class="chart" role="img" aria-label=');
    expect(html.match(/<details>/g)).toHaveLength(2);
    expect(html).toContain('<h1>NPS dashboard</h1>');
  });

  it('hands its script the sign-in settings as data, and puts API data in the page as text only', () => {
    expect(html).toContain(
      '<div id="sign-in-settings" hidden data-settings="{&quot;issuerUrl&quot;:&quot;https://idp.example.com/pool&quot;,&quot;clientId&quot;:&quot;staff-pages&quot;}"></div>',
    );
    expect(html.match(/<script\b/g)).toHaveLength(1); // its own nonce'd script only
    expect(html).not.toContain('closeloop-manager-token'); // no pasted token any more
    expect(html).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
    expect(html).toContain('fewer than 30 responses');
  });
});

describe('dashboard-page handler', () => {
  it('answers the page with a Content-Security-Policy allowing only its own nonce’d script', async () => {
    const response = (await handler(event, {} as Context)) as HttpResult;
    expect(response.statusCode).toBe(200);
    const headers = response.headers ?? {};
    expect(headers['content-type']).toBe('text/html; charset=utf-8');
    const csp = String(headers['content-security-policy']);
    const nonce = /script-src 'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1];
    expect(nonce).toBeDefined();
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("connect-src 'self' https://idp.example.com");
    expect(response.body).toContain(`<script nonce="${nonce}">`);
  });

  it('uses a fresh nonce for every response', async () => {
    const nonceOf = async () =>
      String(((await handler(event, {} as Context)) as HttpResult).headers?.['content-security-policy']);
    expect(await nonceOf()).not.toBe(await nonceOf());
  });
});
