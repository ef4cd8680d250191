// Lint rules that keep the architecture honest: the engine and the CSV reader are
// pure (no vscode, fs, worker_threads or DOM), the webview talks only protocol.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const nodeOnly = ['fs', 'node:fs', 'fs/promises', 'node:fs/promises', 'worker_threads', 'node:worker_threads',
  'child_process', 'node:child_process', 'path', 'node:path', 'os', 'node:os'];

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', 'test/e2e/vscode/**', 'test/e2e/artifacts/**', 'test/fixtures/**', '**/*.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { files: ['**/*.mjs', '**/*.cjs'], languageOptions: { globals: { ...globals.node } } },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-syntax': ['error', { selector: "CallExpression[callee.object.name=/^(it|describe|test)$/][callee.property.name='only']", message: 'no .only in tests' }],
    },
  },
  {
    files: ['src/engine/**/*.ts', 'src/csv/**/*.ts', 'src/protocol/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: ['vscode', ...nodeOnly].map((name) => ({ name, message: 'engine, csv and protocol code is pure: no vscode, file system, threads or DOM' })) }],
      'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'process', 'require'],
    },
  },
  {
    files: ['webview/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['**/engine/**', '**/csv/**', '**/extension/**', '**/worker/**', '**/cli/**', 'vscode', 'node:*', 'fs', 'path'], message: 'the webview imports only protocol types and its UI libraries' }],
      }],
    },
  },
  {
    files: ['src/cli/**/*.ts', 'src/worker/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'only src/extension imports vscode' }] }] },
  },
);
