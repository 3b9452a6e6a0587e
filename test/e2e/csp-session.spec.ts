// No network, enforced: the built app carries a Content-Security-Policy that allows only its own origin (plus blob:
// and data:), and a whole session (open the demo, import a run, visit every page and every Model quality tab, open
// an image and an Explorer item) makes no request beyond the origin, raises no CSP violation and logs no console
// error. Run at the root of `vite preview` and under /app/v1/ of a plain static server (no headers of its own: the
// policy is the page's meta tag, and the workers inherit it: spawn.ts starts them from blob: modules). Removing
// 'wasm-unsafe-eval' from the policy breaks the session (the kernels compile in workers), which shows the policy
// reaches them. A probe shows the policy really blocks: a fetch and an image from another origin are refused, and
// so is a fetch from a blob: worker, each with a violation report.
import { expect, test, type Page } from '@playwright/test';
import { E2E_PORT, SUBPATH_PORT } from '../ports.ts';

interface Violation {
  directive: string;
  blocked: string;
  source: string;
}

declare global {
  interface Window {
    __cspViolations?: Violation[];
  }
}

/** Collects every securitypolicyviolation of every document the page loads (before the app's scripts run). */
async function recordViolations(page: Page) {
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__cspViolations!.push({
        directive: e.effectiveDirective,
        blocked: e.blockedURI,
        source: `${e.sourceFile}:${e.lineNumber}`,
      });
    });
  });
}

const violations = (page: Page) => page.evaluate(() => window.__cspViolations ?? []);

const ROOTS = [
  { name: 'the root of vite preview', origin: `http://127.0.0.1:${E2E_PORT}`, path: '/' },
  { name: '/app/v1/ of a plain static server', origin: `http://127.0.0.1:${SUBPATH_PORT}`, path: '/app/v1/' },
];

for (const root of ROOTS) {
  test(`a whole session at ${root.name}: nothing beyond the origin, no CSP violation`, async ({ page, context }) => {
    test.setTimeout(180_000);
    await recordViolations(page);
    const requests: string[] = [];
    context.on('request', (r) => requests.push(r.url()));
    const consoleErrors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => consoleErrors.push(`page error: ${e.message}`));
    const app = `${root.origin}${root.path}`;

    // Open the demo from the start page.
    await page.goto(app);
    const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    expect(csp).toContain("default-src 'none'");
    await page.getByTestId('open-demo').click();
    await expect(page.getByTestId('overview-title')).toBeVisible();
    await expect(page.locator('[data-testid^="pixels-"]').first()).toHaveText(/^[\d,]+$/, { timeout: 30_000 });

    await page.locator('[data-page="ontology"]').click();
    await expect(page).toHaveURL(/#\/demo\/ontology/);

    // Images: the grid draws, one image opens large.
    await page.locator('[data-page="images"]').click();
    const tile = page.getByTestId('image-grid').locator('canvas').first();
    await expect(tile).toHaveAttribute('data-drawn', 'labels', { timeout: 30_000 });
    await tile.click();
    await page.keyboard.press('Escape');

    // Import a run of the demo's predictions.
    await page.locator('[data-page="predictions"]').click();
    await page.getByTestId('import-open').click();
    await page.getByTestId('demo-set-coco').click();
    await expect(page.getByTestId('import-review')).toBeVisible();
    await page.getByTestId('import-start').click();
    await expect(page.getByTestId('import-done')).toBeVisible({ timeout: 60_000 });

    // Model quality, every tab.
    await page.locator('[data-page="model-quality"]').click();
    await expect(page.getByTestId('map-value')).not.toHaveAttribute('data-value', '', { timeout: 60_000 });
    const tabs = page.locator('[data-testid^="tab-"][role="tab"]');
    const count = await tabs.count();
    expect(count).toBeGreaterThanOrEqual(5);
    for (let i = 0; i < count; i++) {
      await tabs.nth(i).click();
      await expect(tabs.nth(i)).toHaveAttribute('aria-selected', 'true');
    }

    // Performance by metric (metrics computed in a worker from the demo's images) and the Explorer.
    await page.locator('[data-page="performance"]').click();
    await expect(page.getByTestId('fnr-chart')).toBeVisible({ timeout: 90_000 });
    await page.locator('[data-page="explorer"]').click();
    const card = page.getByTestId('explorer-grid').locator('[data-index]').first();
    await expect(card).toBeVisible({ timeout: 60_000 });
    await card.click();
    await page.keyboard.press('Escape');
    await page.locator('[data-page="overview"]').click();
    await expect(page.getByTestId('overview-title')).toBeVisible();

    expect(await violations(page)).toEqual([]);
    expect(consoleErrors).toEqual([]);
    const elsewhere = requests.filter(
      (url) => !url.startsWith(`${root.origin}/`) && !url.startsWith('blob:') && !url.startsWith('data:'),
    );
    expect(elsewhere).toEqual([]);
    // The session did reach its own files: the page, the wasm (from a worker), the demo's images.
    expect(requests.some((url) => url.startsWith(`${app}assets/`) && url.endsWith('.wasm'))).toBe(true);
    expect(requests.some((url) => url.startsWith(`${app}demo/`) && url.endsWith('.png'))).toBe(true);

    // The policy blocks what would leave: a fetch and an image from another origin, each reported.
    const probe = await page.evaluate(async () => {
      const fetched = await fetch('http://10.255.255.1/leak').then(
        () => 'fetched',
        (e: Error) => e.name,
      );
      const image = await new Promise<string>((resolve) => {
        const img = new Image();
        img.onload = () => resolve('loaded');
        img.onerror = () => resolve('refused');
        img.src = 'http://10.255.255.1/pixel.png';
      });
      // Workers start from blob: modules (spawn.ts), which inherit this policy: one refuses a foreign fetch too.
      const worker = await new Promise<string>((resolve) => {
        const source = `self.addEventListener('securitypolicyviolation', (e) => postMessage(e.effectiveDirective));
          fetch('http://10.255.255.1/from-worker').catch(() => undefined);`;
        const w = new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })), { type: 'module' });
        w.onmessage = (e) => {
          resolve(String(e.data));
          w.terminate();
        };
      });
      return { fetched, image, worker };
    });
    expect(probe).toEqual({ fetched: 'TypeError', image: 'refused', worker: 'connect-src' });
    await expect
      .poll(async () => (await violations(page)).map((v) => `${v.directive} ${v.blocked}`).sort())
      .toEqual(['connect-src http://10.255.255.1/leak', 'img-src http://10.255.255.1/pixel.png']);
  });
}
