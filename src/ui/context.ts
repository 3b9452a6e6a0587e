// The one context module: the AppState every page and component reads.
import { getContext, setContext } from 'svelte';
import type { AppState } from './state/app.svelte.ts';

const APP = Symbol('predlens-app');

export function setAppContext(app: AppState): AppState {
  return setContext(APP, app);
}

export function getAppContext(): AppState {
  const app = getContext<AppState | undefined>(APP);
  if (!app) throw new Error('getAppContext() called outside <App>');
  return app;
}
