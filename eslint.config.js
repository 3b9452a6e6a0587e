// Lint: the recommended rules of ESLint, typescript-eslint and eslint-plugin-svelte, plus the one-way data flow
// (files -> format readers -> kernels -> store -> evaluation -> UI) as import boundaries.
import js from '@eslint/js';
import globals from 'globals';
import svelte from 'eslint-plugin-svelte';
import ts from 'typescript-eslint';

/** An import boundary: files matching `files` must not import from the folders in `banned`. */
const boundary = (files, banned, why, allowTypeImports = false) => ({
  files,
  rules: {
    '@typescript-eslint/no-restricted-imports': [
      'error',
      {
        patterns: banned.map((folder) => ({
          regex: `(^|/)(\\.\\./)*(src/)?${folder}/`,
          message: why,
          allowTypeImports,
        })),
      },
    ],
  },
});

export default ts.config(
  {
    ignores: [
      'node_modules/',
      'build/',
      'dist/',
      '.subpath/',
      'public/demo/',
      'public/demo-coco/',
      'public/demo-yolo/',
      'test/fixtures/',
      'test-results/',
      'bench-results/',
      'assembly/',
    ],
  },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      '@typescript-eslint/no-explicit-any': 'off',
      // State classes keep plain Maps and URLSearchParams on purpose: they are rebuilt, not mutated in place.
      'svelte/prefer-svelte-reactivity': 'off',
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: ts.parser, extraFileExtensions: ['.svelte'] } },
  },
  boundary(
    ['src/core/**'],
    ['ui', 'store', 'workers', 'files', 'cli'],
    'core is plain TypeScript below the store, workers and UI: it never imports them.',
  ),
  boundary(
    ['src/kernels/**'],
    ['core', 'ui', 'store', 'workers', 'files', 'cli'],
    'kernels are the ground floor: they import nothing of the app.',
  ),
  boundary(['src/store/**'], ['ui', 'workers', 'cli'], 'the store sits below the workers and the UI.'),
  boundary(['src/workers/**'], ['ui', 'cli'], 'workers never import the UI.'),
  boundary(['src/ui/**'], ['kernels', 'cli'], 'the UI never calls a kernel: it asks a worker.', true),
  boundary(['src/files/**'], ['ui', 'store', 'workers', 'cli', 'kernels'], 'file backings only read files.'),
);
