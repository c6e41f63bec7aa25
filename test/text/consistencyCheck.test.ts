import { describe, expect, it } from 'vitest';
import { consistencyCheck, lengthStats, checkTextColumn } from '../../src/text/consistencyCheck.js';
import { tableFromRows } from '../../src/table/Table.js';
import { findColumn } from '../../src/metadata/Metadata.js';
import { hospitalMetadata } from '../fixtures/hospital.js';

describe('consistencyCheck', () => {
  const keywords = { F: ['she', 'her'], M: ['he', 'his'], X: ['they'] };
  it('hand-made case: contradiction and support shares', () => {
    const texts = ['She recovered well.', 'He went home; her visit helped.', 'Quiet night.', 'HIS leg healed', 'she left', null, 'he', 'they are fine'];
    const sex = ['F', 'F', 'M', 'M', 'M', 'F', 'unknown', 'X'];
    // row 0: F, "she" -> support. row 1: F, "he" contradicts, "her" supports. row 2: M, none.
    // row 3: M, "his" supports. row 4: M, "she" contradicts. row 5: text missing -> unchecked.
    // row 6: value has no keyword list -> unchecked. row 7: X, "they" supports.
    const r = consistencyCheck(texts, sex, keywords, 'sex');
    expect(r).toEqual({ against: 'sex', checked: 6, contradicting: 2, contradictionShare: 2 / 6, supporting: 4, supportingShare: 4 / 6 });
  });

  it('matches on word boundaries only ("he" is not in "the" or "helped"), multi-word keywords, case-insensitive keys', () => {
    expect(consistencyCheck(['the helper', 'The chest pain'], ['F', 'f'], { F: ['chest pain'], M: ['he'] })).toMatchObject({
      checked: 2, contradicting: 0, supporting: 1,
    });
  });

  it('a keyword listed under both values contradicts neither', () => {
    expect(consistencyCheck(['the patient'], ['F'], { F: ['patient'], M: ['patient'] })).toMatchObject({ contradicting: 0, supporting: 1 });
  });

  it('nothing checked gives null shares', () => {
    expect(consistencyCheck([], [], keywords)).toMatchObject({ checked: 0, contradictionShare: null, supportingShare: null });
  });
});

describe('lengthStats', () => {
  it('min, quartiles (linear interpolation), max and mean, ignoring missing values', () => {
    // lengths 1, 2, 3, 4, 10 -> q1 = 2, median 3, q3 = 4 (R quantile type 7), mean 4
    expect(lengthStats(['a', 'bb', null, 'ccc', 'dddd', 'eeeeeeeeee'])).toEqual({ count: 5, min: 1, q1: 2, median: 3, q3: 4, max: 10, mean: 4 });
    // lengths 1, 2, 3, 4 -> q1 = 1.75, median 2.5, q3 = 3.25
    expect(lengthStats(['a', 'bb', 'ccc', 'dddd'])).toMatchObject({ q1: 1.75, median: 2.5, q3: 3.25 });
    expect(lengthStats([null])).toEqual({ count: 0, min: null, q1: null, median: null, q3: null, max: null, mean: null });
    expect(lengthStats(['😀😀']).max).toBe(2);
  });
});

describe('checkTextColumn', () => {
  it('uses the column\'s declared consistency and reports a missing column instead of failing', () => {
    const md = hospitalMetadata();
    const t = tableFromRows([
      { sex: 'F', note: 'She is well.' },
      { sex: 'M', note: 'She is well.' },
    ]);
    const q = checkTextColumn(t, findColumn(md, 'note')!);
    expect(q.consistency).toMatchObject({ against: 'sex', checked: 2, contradicting: 1, supporting: 1 });
    expect(q.lengths).toMatchObject({ count: 2, min: 12, max: 12 });
    const q2 = checkTextColumn(tableFromRows([{ note: 'x' }]), findColumn(md, 'note')!);
    expect(q2.consistency?.problem).toMatch(/"sex" is not in the table/);
  });
});
