import { describe, expect, it } from 'vitest';
import { chunk, updateFields } from '../../../functions/adapters/dynamodb';

describe('updateFields', () => {
  it('sets defined fields, removes undefined ones and guards setIfMissing ones', () => {
    expect(updateFields({ name: 'Lyon', region: undefined }, { createdAt: 'now' })).toEqual({
      UpdateExpression: 'SET #f0 = :v0, #f2 = if_not_exists(#f2, :v2) REMOVE #f1',
      ExpressionAttributeNames: { '#f0': 'name', '#f1': 'region', '#f2': 'createdAt' },
      ExpressionAttributeValues: { ':v0': 'Lyon', ':v2': 'now' },
    });
  });
});

describe('chunk', () => {
  it('splits a list into chunks of at most the given size', () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
  });
});
