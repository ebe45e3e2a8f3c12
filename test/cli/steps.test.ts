/** How --tx and --query steps are grouped: in order, and with --parallel consecutive --tx together. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TransactionStep } from '../../src/cli/options';
import { stepGroups } from '../../src/cli/steps';

const steps = (kinds: string): TransactionStep[] => [...kinds].map((k, index) => ({ index, kind: k === 't' ? 'invoke' : 'query', args: ['F'] }));
const shape = (groups: TransactionStep[][]): number[][] => groups.map((g) => g.map((s) => s.index));

describe('CLI step groups', () => {
  test('without --parallel every step runs alone, in order', () => {
    assert.deepEqual(shape(stepGroups(steps('ttqtq'), false)), [[0], [1], [2], [3], [4]]);
  });

  test('with --parallel consecutive --tx run together and each --query is a barrier of its own', () => {
    assert.deepEqual(shape(stepGroups(steps('tttqttqq'), true)), [[0, 1, 2], [3], [4, 5], [6], [7]]);
    assert.deepEqual(shape(stepGroups(steps('qtt'), true)), [[0], [1, 2]]);
    assert.deepEqual(stepGroups([], true), []);
  });
});
