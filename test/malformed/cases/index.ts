// Every list of malformed cases the corpus runs. To add a kind of input (PNG image headers, coco-eval inputs),
// write a module returning CaseList[] (see types.ts: each case runs the real code and returns what it accepted and
// rejected, or throws) and add it here.
import { cocoInputCaseLists } from './coco-eval-inputs.ts';
import { jsonFormatCases } from './json-formats.ts';
import { otherFormatCases } from './other-formats.ts';
import { pngMaskCaseLists } from './png-masks.ts';
import { projectFileCases } from './project-files.ts';
import { textFormatCases } from './text-formats.ts';
import type { CaseList } from './types.ts';

export function caseLists(): CaseList[] {
  return [
    ...textFormatCases(),
    ...jsonFormatCases(),
    ...otherFormatCases(),
    ...projectFileCases(),
    ...pngMaskCaseLists(),
    ...cocoInputCaseLists(),
  ];
}
