// Hash routes, so deep links work on any static host and sub-path: #/<scope>/<page>?<params>.
// scope 'demo' is the built-in demo ('demo-coco' and 'demo-yolo' the same demo as a COCO and a YOLO dataset),
// 'project' a folder the user opened; no scope is the start screen.
// `split` (a dataset's split; absent = every split) is sticky: links within a scope keep it.

export type DemoScope = 'demo' | 'demo-coco' | 'demo-yolo';
export type Scope = DemoScope | 'project';

export const SCOPES: readonly Scope[] = ['demo', 'demo-coco', 'demo-yolo', 'project'];
export const isDemoScope = (scope: Scope | null): scope is DemoScope => scope !== null && scope !== 'project';

/** Params that stay in the URL when moving within a scope. */
const STICKY = ['split'];

export interface Route {
  scope: Scope | null;
  /** A page id from routes.ts; '' when the scope was given alone. */
  page: string;
  params: URLSearchParams;
}

export function parseHash(hash: string): Route {
  const raw = hash.replace(/^#/, '');
  const cut = raw.indexOf('?');
  const path = (cut < 0 ? raw : raw.slice(0, cut)).split('/').filter(Boolean);
  const params = new URLSearchParams(cut < 0 ? '' : raw.slice(cut + 1));
  const scope = SCOPES.includes(path[0] as Scope) ? (path[0] as Scope) : null;
  return { scope, page: scope ? (path[1] ?? '') : '', params };
}

export function formatHash(scope: Scope | null, page = '', params?: URLSearchParams | Record<string, string>): string {
  if (!scope) return '#/';
  const query = params ? new URLSearchParams(params).toString() : '';
  return `#/${scope}${page ? `/${page}` : ''}${query ? `?${query}` : ''}`;
}

export class Router {
  route = $state.raw<Route>(parseHash(location.hash));
  readonly #onChange = () => (this.route = parseHash(location.hash));

  constructor() {
    addEventListener('hashchange', this.#onChange);
  }

  destroy() {
    removeEventListener('hashchange', this.#onChange);
  }

  /**
   * Goes to a page (a new history entry). Within the same scope the sticky params (the split) come along unless
   * `params` sets them or `carry` is false (a new folder).
   */
  go(scope: Scope | null, page = '', params?: URLSearchParams | Record<string, string>, carry = true) {
    const hash = formatHash(scope, page, carry ? this.#withSticky(scope, params) : params);
    if (hash !== location.hash) location.hash = hash;
    else this.#onChange();
  }

  /** Changes the current page's params; `replace` keeps the history short for things like paging. */
  setParams(params: Record<string, string | number | undefined>, replace = false) {
    const next = new URLSearchParams(this.route.params);
    for (const [key, value] of Object.entries(params)) {
      if (value === undefined || value === '') next.delete(key);
      else next.set(key, String(value));
    }
    const hash = formatHash(this.route.scope, this.route.page, next);
    if (replace) {
      history.replaceState(history.state, '', hash);
      this.#onChange();
    } else {
      location.hash = hash;
    }
  }

  /** Replaces the URL without a history entry (e.g. #/demo -> #/demo/overview). */
  replace(scope: Scope | null, page = '', params?: URLSearchParams | Record<string, string>) {
    history.replaceState(history.state, '', formatHash(scope, page, params));
    this.#onChange();
  }

  href(scope: Scope | null, page = '', params?: Record<string, string>): string {
    return formatHash(scope, page, this.#withSticky(scope, params));
  }

  #withSticky(scope: Scope | null, params?: URLSearchParams | Record<string, string>) {
    if (scope === null || scope !== this.route.scope) return params;
    const out = new URLSearchParams(params);
    for (const key of STICKY) {
      const value = this.route.params.get(key);
      if (value !== null && !out.has(key)) out.set(key, value);
    }
    return out.size > 0 ? out : params;
  }
}
