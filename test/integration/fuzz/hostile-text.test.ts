import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { CaseRecord } from '../../../functions/schemas/case';
import { attack, escapedXss, foreignMarkup, xssComment } from '../../support/fuzz-hostile';
import { expectCleanFigures, stats } from '../../support/fuzz-probe';
import {
  answerDetractors,
  bearer,
  caseOf,
  customerEmail,
  emailsTo,
  managerOf,
  send,
  startMarketingExport,
  tickPastDue,
  tokenOf,
  useFuzzWorld,
  world,
} from '../../support/fuzz-world';

/**
 * Fuzz suite, hostile text: markup, formulas and scripts in answers, customers' names and a store's
 * name must come out escaped in every page, e-mail and export. These tests build the world the other
 * fuzz files attack (detractors' cases, the tick past due, marketing's export), step by step.
 */

useFuzzWorld('fuzz-hostile-text', { detractors: false });

const expectNeutralised = (html: string | undefined, where: string) => {
  stats.invariants++;
  const markup = foreignMarkup(html ?? '');
  if (markup.length > 0 || html === undefined) stats.unescaped++;
  expect(html, where).toBeDefined();
  expect(markup, where).toEqual([]);
  expect(html, where).not.toContain(attack.script);
  expect(html, where).not.toContain(attack.img);
};

describe('hostile text in answers, names and store names', () => {
  it('is recognised by the markup check when it is not escaped', () => {
    expect(foreignMarkup(`<p>${xssComment}</p>`)).toContain('an injected element');
    expect(foreignMarkup('<a href="javascript:alert(1)">x</a>')).toContain('a javascript: URL');
    expect(foreignMarkup('<script nonce="n">ok()</script><script>alert(1)</script>')).toContain(
      'a script without the page nonce',
    );
    expect(foreignMarkup(`<p>${escapedXss}</p><script nonce="n">ok()</script>`)).toEqual([]);
  });

  it('comes back escaped in the thank-you page and the survey page', async () => {
    const { thanks, others } = await answerDetractors();
    expect(thanks.status).toBe(200);
    expect(thanks.headers['content-type']).toContain('text/html');
    expectNeutralised(thanks.body, 'thank-you page');
    expect(thanks.body).toContain('Lyon &lt;img src=x onerror=alert(1)&gt;');

    const answered = await send({ method: 'GET', path: `/s/${tokenOf('C1')}` });
    expect(answered.status).toBe(200);
    expectNeutralised(answered.body, 'survey page with the answer');
    expect(answered.body).toContain(escapedXss);

    for (const reply of others) expect(reply.status).toBe(200);
    expect([...caseOf.keys()]).toEqual(['C1', 'C2', 'C5']);
  });

  it('comes out escaped in the invitation and the manager’s alert', async () => {
    const [invitation] = await emailsTo(customerEmail('C1'), /./);
    expectNeutralised(invitation?.body.html, 'invitation');
    expect(invitation?.body.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    const alerts = await emailsTo(managerOf('S1'), /^Detractor at/);
    expect(alerts).toHaveLength(2);
    for (const alert of alerts) expectNeutralised(alert.body.html, `alert ${alert.subject}`);
    const alert = alerts.find((email) => email.body.text?.includes(customerEmail('C1')));
    expect(alert?.body.html).toContain(escapedXss);
    expect(alert?.body.text).toContain(xssComment);
  });

  it('is served as JSON, not markup, by the managers’ API and the dashboard', async () => {
    const listed = await send({ method: 'GET', path: '/m/cases', headers: { authorization: bearer.s1 } });
    expect(listed.status).toBe(200);
    expect(listed.headers['content-type']).toMatch(/^application\/json/);
    expect(listed.headers['x-content-type-options']).toBe('nosniff');
    const { cases } = JSON.parse(listed.body) as { cases: CaseRecord[] };
    expect(cases.find((one) => one.caseId === caseOf.get('C1'))?.comment).toBe(xssComment);
    const dashboard = await send({
      method: 'GET',
      path: '/r/dashboard',
      headers: { authorization: bearer.marketing },
    });
    expect(dashboard.status).toBe(200);
    expect(dashboard.headers['content-type']).toMatch(/^application\/json/);
    stats.invariants += 2;
  });

  it('comes out escaped in the daily digest and the escalation', async () => {
    const tick = await tickPastDue();
    expect(tick.digests).toBeGreaterThanOrEqual(1);
    expect(tick.escalations).toBe(3);
    const [digest] = await emailsTo(managerOf('S1'), /daily NPS digest/);
    expectNeutralised(digest?.body.html, 'digest');
    expect(digest?.body.html).toContain(escapedXss);
    const escalations = await emailsTo(`region@${world.domain}`, /^Overdue follow-up/);
    expect(escalations).toHaveLength(3);
    for (const email of escalations) expectNeutralised(email.body.html, `escalation ${email.subject}`);
  });

  it('is neutralised in a CSV export, which marketing may start', async () => {
    await startMarketingExport();
    const status = await send({
      method: 'GET',
      path: `/r/exports/${world.exportJobId}`,
      headers: { authorization: bearer.marketing },
    });
    const { downloadUrl } = JSON.parse(status.body) as { downloadUrl: string };
    const records = parse(await (await fetch(downloadUrl)).text(), { columns: true }) as Record<
      string,
      string
    >[];
    const row = (customer: string) => records.find((record) => record.customerId === customer);
    expect(records.map((record) => record.customerId).sort()).toEqual(['C1', 'C2', 'C5']);
    expect(row('C1')).toMatchObject({
      firstName: attack.img,
      lastName: `'${attack.formula}`,
      comment: xssComment,
    });
    expect(row('C2')).toMatchObject({ firstName: `'${attack.at}`, comment: `'${attack.formula}` });
    const formulas = records
      .flatMap((record) => Object.values(record))
      .filter((cell) => /^[=+\-@\t\r]/.test(cell));
    stats.invariants += records.length;
    stats.unescaped += formulas.length;
    expect(formulas).toEqual([]);
  });

  it('prints its figures, with nothing unescaped', () => {
    expectCleanFigures('hostile-text', 0);
  });
});
