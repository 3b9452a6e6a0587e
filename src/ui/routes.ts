// The pages of the sidebar. Adding a page = one file in pages/ + one entry here.
// A page component receives PageProps; it is loaded on first visit (its own chunk).
import type { Component } from 'svelte';
import type { Project } from '../core/model.ts';
import type { IconName } from './components/icons.ts';

export interface PageProps {
  project: Project;
}

export interface PageDef {
  /** The URL segment: #/<scope>/<id>. */
  id: string;
  title: string;
  icon: IconName;
  /** Sidebar group heading. */
  group: 'Project' | 'Model';
  load?: () => Promise<{ default: Component<PageProps> }>;
  /** Shown as the tooltip of a page that is not there yet (the entry is disabled). */
  comingSoon?: string;
  /** A single-key shortcut that jumps to the page (shown in the sidebar). */
  shortcut?: string;
}

export const PAGES: PageDef[] = [
  {
    id: 'overview',
    title: 'Overview',
    icon: 'overview',
    group: 'Project',
    shortcut: '1',
    load: () => import('./pages/OverviewPage.svelte'),
  },
  {
    id: 'ontology',
    title: 'Ontology',
    icon: 'ontology',
    group: 'Project',
    shortcut: '2',
    load: () => import('./pages/OntologyPage.svelte'),
  },
  {
    id: 'images',
    title: 'Images',
    icon: 'images',
    group: 'Project',
    shortcut: '3',
    load: () => import('./pages/ImagesPage.svelte'),
  },
  {
    id: 'predictions',
    title: 'Predictions',
    icon: 'predictions',
    group: 'Model',
    shortcut: '4',
    load: () => import('./pages/import/ImportPage.svelte'),
  },
  {
    id: 'model-quality',
    title: 'Model quality',
    icon: 'quality',
    group: 'Model',
    shortcut: '5',
    load: () => import('./pages/model-quality/ModelQualityPage.svelte'),
  },
  {
    id: 'performance',
    title: 'Performance by metric',
    icon: 'metric',
    group: 'Model',
    shortcut: '6',
    load: () => import('./pages/performance/PerformancePage.svelte'),
  },
  {
    id: 'explorer',
    title: 'Explorer',
    icon: 'explorer',
    group: 'Model',
    shortcut: '7',
    load: () => import('./pages/explorer/ExplorerPage.svelte'),
  },
  {
    id: 'label-errors',
    title: 'Label errors',
    icon: 'alert',
    group: 'Model',
    shortcut: '8',
    load: () => import('./pages/label-errors/LabelErrorsPage.svelte'),
  },
  {
    id: 'compare',
    title: 'Compare runs',
    icon: 'compare',
    group: 'Model',
    shortcut: '9',
    load: () => import('./pages/compare/ComparePage.svelte'),
  },
];

export function findPage(id: string): PageDef | undefined {
  return PAGES.find((p) => p.id === id);
}

/** What the Model pages share in the URL (the run, the IoU threshold, the frames toggle, the class filter). */
const SHARED_MODEL_PARAMS = ['run', 'iou', 'frames', 'class'];

/** What every page keeps: the dataset split read. */
const SHARED_PARAMS = ['split'];

/**
 * The params to carry from the page `from` to the page `to`: every page keeps the split, and a Model page keeps the
 * shared ones of another.
 */
export function carriedParams(from: string, to: string, params: URLSearchParams): Record<string, string> | undefined {
  const carried: Record<string, string> = {};
  const keys = [...SHARED_PARAMS];
  if (findPage(from)?.group === 'Model' && findPage(to)?.group === 'Model' && from !== to)
    keys.push(...SHARED_MODEL_PARAMS);
  for (const key of keys) {
    const value = params.get(key);
    if (value !== null) carried[key] = value;
  }
  return Object.keys(carried).length > 0 ? carried : undefined;
}
