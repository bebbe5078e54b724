import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CaseRecord } from '../../../functions/schemas/case';
import {
  anyAnswer,
  managerRoutes,
  pathOf,
  query,
  randomHeaders,
  validBodyOf,
} from '../../support/fuzz-arbitraries';
import { expectCleanFigures, fuzz, type Probe, probe, trackWrites } from '../../support/fuzz-probe';
import { bearer, caseOf, forged, send, useFuzzWorld, world } from '../../support/fuzz-world';

/**
 * Fuzz suite, the managers' door: every manager route refused without a valid token (none, forged,
 * expired, for someone else), and a manager confined to their own store's cases, reports and exports.
 * Every answer must be a clear 4xx (never a 5xx) unless the request is valid, and nothing may be
 * written. Fixed seeds: the same requests on every run (see test/support/fuzz-*.ts).
 */

useFuzzWorld('fuzz-manager-auth', { detractors: true });

describe('access, bad input and attacks: manager tokens and store confinement', () => {
  const writes = trackWrites();

  it('refuses every manager route without a valid token: none, forged, expired or for someone else', async () => {
    for (const route of managerRoutes) {
      const path = pathOf(route.path, { caseId: caseOf.get('C1') ?? '', jobId: world.exportJobId });
      const body = route.method === 'POST' ? validBodyOf(path) : undefined;
      for (const { label, authorization } of forged) {
        await probe({
          label: `${route.method} ${route.path} with ${label}`,
          method: route.method,
          path,
          headers: { 'content-type': 'application/json', ...(authorization && { authorization }) },
          body,
          allowed: [401],
          hostile: true,
        });
      }
      // The same request with a real token gets through the door (whatever the function then says).
      const genuine = await send({
        method: route.method,
        path,
        headers: { 'content-type': 'application/json', authorization: bearer.s2 },
        body,
      });
      expect(genuine.status, `${route.method} ${route.path}`).not.toBe(401);
    }
  });

  it('confines a manager to their store: another store’s case, report and exports are 403', async () => {
    const s1Case = `/m/cases/${caseOf.get('C1')}`;
    const asS2 = { sees: ['S2'], hostile: true } as const;
    const s2 = { authorization: bearer.s2, 'content-type': 'application/json' };
    await probe({
      ...asS2,
      label: 'S2 reads S1 case',
      method: 'GET',
      path: s1Case,
      headers: s2,
      allowed: [403],
    });
    await probe({
      ...asS2,
      label: 'S2 closes S1 case',
      method: 'POST',
      path: `${s1Case}/close`,
      headers: s2,
      body: '{"resolution":"other","note":"not mine","requestId":"not-mine-1"}',
      allowed: [403],
    });
    for (const path of ['/r/report?store=S1', '/r/dashboard?store=S1'])
      await probe({ ...asS2, label: `S2 asks ${path}`, method: 'GET', path, headers: s2, allowed: [403] });
    await probe({
      ...asS2,
      label: 'S2 starts an export',
      method: 'POST',
      path: '/r/exports',
      headers: s2,
      body: '{"segment":"detractors"}',
      allowed: [403],
    });
    await probe({
      ...asS2,
      label: 'S2 reads marketing’s export',
      method: 'GET',
      path: `/r/exports/${world.exportJobId}`,
      headers: s2,
      allowed: [403],
    });
    const own = await probe({
      label: 'S2 reads its report',
      method: 'GET',
      path: '/r/report',
      headers: s2,
      allowed: [200],
      hostile: false,
      sees: ['S2'],
    });
    expect((JSON.parse(own.body) as { stores: { storeId: string }[] }).stores.map((s) => s.storeId)).toEqual([
      'S2',
    ]);
    const ownCases = await probe({
      label: 'S2 lists its cases',
      method: 'GET',
      path: '/m/cases',
      headers: s2,
      allowed: [200],
      hostile: false,
      sees: ['S2'],
    });
    expect((JSON.parse(ownCases.body) as { cases: CaseRecord[] }).cases.map((one) => one.caseId)).toEqual([
      caseOf.get('C5'),
    ]);
    await probe({
      label: 'S1 reads its case',
      method: 'GET',
      path: s1Case,
      headers: { authorization: bearer.s1 },
      allowed: [200],
      hostile: false,
      sees: ['S1'],
    });
    await probe({
      label: 'a customer’s own address as a token',
      method: 'GET',
      path: s1Case,
      headers: { authorization: bearer.customer },
      allowed: [403],
      hostile: true,
      sees: [],
    });
  });

  it('refuses generated manager requests with forged tokens', async () => {
    const forgedRequest = fc
      .tuple(fc.constantFrom(...managerRoutes), fc.constantFrom(...forged), query, randomHeaders, anyAnswer)
      .map(
        ([route, { label, authorization }, search, headers, answer]): Probe => ({
          label: `${route.method} ${route.path} with ${label}`,
          method: route.method,
          path: `${pathOf(route.path, { caseId: caseOf.get('C1') ?? '', jobId: world.exportJobId })}${search}`,
          headers: { ...headers, 'content-type': answer.type, ...(authorization && { authorization }) },
          body: route.method === 'POST' ? answer.body : undefined,
          allowed: [401],
          hostile: true,
        }),
      );
    await fuzz(forgedRequest, 200, 14);
  });

  it('wrote nothing: no item, no queued task, no e-mail', async () => {
    await writes.expectWrittenOnly();
  });

  it('prints its figures, with nothing lost, no 5xx, no write and nothing unescaped', () => {
    expectCleanFigures('manager-auth', 200);
  });
});
