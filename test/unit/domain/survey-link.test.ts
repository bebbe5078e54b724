import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { LINK_TOKEN_LENGTH, legacyKeyOf, surveyKeyOf } from '../../../functions/domain/survey-link';
import { SurveyToken } from '../../../functions/schemas/survey';

const linkToken = 'AAECAwQFBgcICQoLDA0ODw';

describe('surveyKeyOf', () => {
  it('is the base64url SHA-256 of the link token: 43 characters a survey token accepts', () => {
    const key = surveyKeyOf(linkToken);

    expect(key).toBe(createHash('sha256').update(linkToken).digest('base64url'));
    expect(key).toHaveLength(43);
    expect(SurveyToken.safeParse(key).success).toBe(true);
    expect(key).not.toContain(linkToken);
  });

  it('gives the same key for the same token and different keys for different tokens', () => {
    expect(surveyKeyOf(linkToken)).toBe(surveyKeyOf(linkToken));
    expect(surveyKeyOf(linkToken)).not.toBe(surveyKeyOf(`${linkToken.slice(0, -1)}x`));
  });

  it('keys a key under another key, so a key read from the table is not a link', () => {
    expect(surveyKeyOf(surveyKeyOf(linkToken))).not.toBe(surveyKeyOf(linkToken));
  });
});

describe('legacyKeyOf', () => {
  it('is the raw token for a link token sent before keys were hashed', () => {
    expect(linkToken).toHaveLength(LINK_TOKEN_LENGTH);
    expect(legacyKeyOf(linkToken)).toBe(linkToken);
  });

  it('is nothing for a stored key, or any token of another length', () => {
    expect(legacyKeyOf(surveyKeyOf(linkToken))).toBeUndefined();
    expect(legacyKeyOf(`${linkToken}A`)).toBeUndefined();
  });
});
