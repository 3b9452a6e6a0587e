// Reading a COCO annotation file without holding it whole (json-members.ts): the file is streamed where the
// backing can and "annotations" is parsed in batches of records as it is read, so the text never exists whole
// beside its objects. (One JSON.parse of the whole text also keeps all of it alive afterwards: V8 makes longer
// string values, such as every image's file_name, slices of the parsed text.) What cannot be read this way is
// parsed as one text, which names the line and column of an error.
import { readChunks, type FileTree } from '../file-tree.ts';
import { parseJson } from '../project/errors.ts';
import { JsonMembers, JsonSplitError } from './json-members.ts';

async function streamed(tree: FileTree, file: string): Promise<unknown> {
  const annotations: unknown[] = [];
  const members = new JsonMembers(['annotations'], (_key, elements) => {
    const batch = JSON.parse(`[${elements.join(',')}]`) as unknown[];
    for (const r of batch) annotations.push(r);
  });
  const decoder = new TextDecoder();
  for await (const bytes of readChunks(tree, file)) members.push(decoder.decode(bytes, { stream: true }));
  members.push(decoder.decode());
  const out: Record<string, unknown> = Object.fromEntries(members.end());
  if (members.had('annotations')) out.annotations = annotations;
  return out;
}

/** The parsed annotation file (as JSON.parse would give it, polygons packed); ProjectFileError when it is not JSON. */
export async function readCocoJson(tree: FileTree, file: string): Promise<unknown> {
  try {
    return await streamed(tree, file);
  } catch (err) {
    if (!(err instanceof JsonSplitError) && !(err instanceof SyntaxError)) throw err;
    return parseJson(await tree.readText(file), file);
  }
}
