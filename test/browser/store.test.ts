// Recent folders in real IndexedDB: directory handles survive a new connection (what a reload does).
import { afterEach, describe, expect, it } from 'vitest';
import { deleteDB } from 'idb';
import { openAppDb } from '../../src/store/db.ts';
import { RecentFolders, RECENT_LIMIT } from '../../src/store/recent.ts';

const name = `predlens-test-${crypto.randomUUID()}`;
afterEach(async () => {
  await deleteDB(name);
});

async function opfsFolder(folder: string): Promise<FileSystemDirectoryHandle> {
  const root = await navigator.storage.getDirectory();
  return root.getDirectoryHandle(folder, { create: true });
}

describe('recent folders store', () => {
  it('keeps directory handles and the demo across connections, newest first, without repeats', async () => {
    const street = await opfsFolder('street-scenes');
    const other = await opfsFolder('other-project');

    const first = await openAppDb(name);
    const store = new RecentFolders(first);
    await store.remember({ kind: 'demo', name: 'Demo project', title: 'Demo' }, 1000);
    await store.remember({ kind: 'handle', handle: street, title: 'Street scenes' }, 2000);
    await store.remember({ kind: 'handle', handle: other }, 3000);
    first.close();

    const second = await openAppDb(name);
    const again = new RecentFolders(second);
    const listed = await again.list();
    expect(listed.map((r) => r.name)).toEqual(['other-project', 'street-scenes', 'Demo project']);
    expect(listed[2]).toMatchObject({ id: 'demo', kind: 'demo', title: 'Demo' });
    // The handle came back from IndexedDB as a real handle to the same folder.
    const kept = listed[1].handle!;
    expect(kept).toBeInstanceOf(FileSystemDirectoryHandle);
    expect(await kept.isSameEntry(street)).toBe(true);

    // Opening the same folder again moves it to the top and keeps its title.
    await again.remember({ kind: 'handle', handle: await opfsFolder('street-scenes') }, 4000);
    const after = await again.list();
    expect(after.map((r) => r.name)).toEqual(['street-scenes', 'other-project', 'Demo project']);
    expect(after[0]).toMatchObject({ id: listed[1].id, title: 'Street scenes', openedAt: 4000 });

    await again.forget('demo');
    expect((await again.list()).map((r) => r.kind)).toEqual(['handle', 'handle']);
    second.close();
  });

  it(`keeps the ${RECENT_LIMIT} newest folders`, async () => {
    const db = await openAppDb(name);
    const store = new RecentFolders(db);
    for (let i = 0; i < RECENT_LIMIT + 3; i++) await store.remember({ kind: 'picked', name: `folder-${i}` }, i);
    const listed = await store.list();
    expect(listed).toHaveLength(RECENT_LIMIT);
    expect(listed[0].name).toBe(`folder-${RECENT_LIMIT + 2}`);
    expect(listed.at(-1)!.name).toBe('folder-3');
    db.close();
  });
});
