// Hash routes, so deep links work on any static host and sub-path: #/<scope>/<page>?<params>.
// scope 'demo' is the built-in demo, 'project' a folder the user opened; no scope is the start screen.

export type Scope = 'demo' | 'project';

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
  const scope = path[0] === 'demo' || path[0] === 'project' ? path[0] : null;
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

  /** Goes to a page (a new history entry). */
  go(scope: Scope | null, page = '', params?: URLSearchParams | Record<string, string>) {
    const hash = formatHash(scope, page, params);
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
    return formatHash(scope, page, params);
  }
}
