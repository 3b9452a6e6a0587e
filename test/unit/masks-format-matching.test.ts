// File -> (data unit, frame) matching shared by the mask, YOLO and COCO readers (data-unit-match.ts).
import { describe, expect, it } from 'vitest';
import {
  DataUnitMatcher,
  NamePatternError,
  compileNamePattern,
  previewMatches,
} from '../../src/core/formats/data-unit-match.ts';
import { makeProject } from './formats-b-project.ts';

const A = '668c6d1a-0217-4097-b930-8dfc03db62b4';
const B = '0d029202-d58b-4dad-a6ba-b80821da6b0a';
const V = '5a1d7f43-0000-4000-8000-00000000000v'.replace('v', 'a');
const G1 = '9e0e0b8e-1111-4111-8111-111111111111';
const G2 = '9e0e0b8e-2222-4222-8222-222222222222';
const ontology = { objects: [], classifications: [] };
const project = makeProject(ontology, [
  { dataHash: A, width: 100, height: 80, title: 'street_a.png' },
  { dataHash: B, width: 100, height: 80, title: 'Street_B.JPG' },
  { dataHash: V, width: 640, height: 480, title: 'drive.mp4', dataType: 'video' },
  { dataHash: G1, width: 10, height: 10, title: 'dup.png', dataType: 'img_group', sequence: 0 },
  { dataHash: G2, width: 10, height: 10, title: 'dup.png', dataType: 'img_group', sequence: 1 },
]);

function match(path: string, pattern?: string) {
  const m = new DataUnitMatcher(project, pattern).match(path);
  return m.ok ? { hash: m.dataUnit.dataHash, frame: m.frame, rule: m.rule } : { code: m.code };
}

describe('default matching', () => {
  it('takes a stem that is a data hash, in any case', () => {
    expect(match(`masks/${A.toUpperCase()}.png`)).toEqual({ hash: A, frame: 0, rule: 'data_hash' });
  });
  it("reads EA's <du_hash>_<frame> naming for videos", () => {
    expect(match(`${V}_12.png`)).toEqual({ hash: V, frame: 12, rule: 'data_hash_frame' });
  });
  it('refuses a frame that an image does not have', () => {
    expect(match(`${A}_3.png`)).toEqual({ code: 'bad_frame' });
  });
  it("reads KITTI's <data_hash>__<name> naming without taking the name as a frame", () => {
    expect(match(`${A}__000042.txt`)).toEqual({ hash: A, frame: 0, rule: 'data_hash_prefix' });
  });
  it('matches data titles with or without extension, exact case first then ignoring case', () => {
    expect(match('street_a.png')).toEqual({ hash: A, frame: 0, rule: 'title' });
    expect(match('street_a.txt')).toEqual({ hash: A, frame: 0, rule: 'title' });
    expect(match('street_a.png.json')).toEqual({ hash: A, frame: 0, rule: 'title' });
    expect(match('street_b.png')).toEqual({ hash: B, frame: 0, rule: 'title' });
  });
  it('reads <title>__<frame> for videos', () => {
    expect(match('drive__7.png')).toEqual({ hash: V, frame: 7, rule: 'title_frame' });
  });
  it('never guesses between data units sharing a title', () => {
    expect(match('dup.png')).toEqual({ code: 'ambiguous_title' });
  });
  it('says whether an unmatched name looked like a data hash', () => {
    expect(match('00000000-0000-0000-0000-000000000000.png')).toEqual({ code: 'unknown_data_hash' });
    expect(match('cat.png')).toEqual({ code: 'no_match' });
  });
});

describe('name patterns', () => {
  it('takes regular expressions with named groups, Python (?P<...>) too', () => {
    expect(match(`x/${V}__0004.png`, String.raw`(?<dataHash>[0-9a-f-]{36})__(?<frame>\d+)\.png`)).toEqual({
      hash: V,
      frame: 4,
      rule: 'pattern',
    });
    expect(match('pred-street_a.png', String.raw`^pred-(?P<data_title>.+)\.png$`)).toEqual({
      hash: A,
      frame: 0,
      rule: 'pattern',
    });
  });
  it('takes simple patterns with placeholders', () => {
    expect(match(`${V}--9.png`, '{dataHash}--{frame}.png')).toEqual({ hash: V, frame: 9, rule: 'pattern' });
    expect(match('out/street_a_mask.png', '{title}_mask.png')).toEqual({ hash: A, frame: 0, rule: 'pattern' });
    expect(match('street_a.png', '{title}_mask.png')).toEqual({ code: 'no_match' });
  });
  it('matches the whole path when the pattern has a slash', () => {
    expect(match(`${G2}/1.png`, '{dataHash}/{frame}.png')).toEqual({ hash: G2, frame: 1, rule: 'pattern' });
    expect(match(`deep/${G2}/1.png`, '{dataHash}/{frame}.png')).toEqual({ code: 'no_match' });
    expect(match(`deep/${G2}/1.png`, '**/{dataHash}/{frame}.png')).toEqual({ hash: G2, frame: 1, rule: 'pattern' });
  });
  it('refuses patterns that cannot name a data unit', () => {
    expect(() => compileNamePattern('{frame}.png')).toThrow(NamePatternError);
    expect(() => compileNamePattern('(?<hash>.*)')).toThrow(/unknown group/);
    expect(() => compileNamePattern('(?<dataHash>[')).toThrow(NamePatternError);
  });
});

describe('preview', () => {
  it('lists each file with its data unit or the reason it has none', () => {
    expect(previewMatches(project, [`${A}.png`, 'nothing.png'])).toEqual([
      { path: `${A}.png`, dataHash: A, title: 'street_a.png', frame: 0, rule: 'data_hash' },
      { path: 'nothing.png', code: 'no_match', reason: expect.stringContaining('nothing.png') },
    ]);
  });
});
