// Lint for the whole repository, with type information wherever there is TypeScript: the server
// (libs/, apps/api), its tests (test/, *.spec.ts), scripts/ and the web client (apps/web), each
// with typescript-eslint's recommended type-aware rules plus exhaustive switches; the web client
// adds the rules of React hooks and jsx-a11y's accessibility rules. The benchmark scripts (plain
// JavaScript) get JavaScript's recommended rules and the promise rules. Layout is Prettier's
// (`npm run format`), so no rule here is about it.
import js from '@eslint/js';
import jsxA11y from 'eslint-plugin-jsx-a11y';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const typed = (project) => ({ project, tsconfigRootDir: import.meta.dirname });

/** Promises awaited or handled, never passed where a plain callback is expected, no async without await. */
const promiseRules = {
  '@typescript-eslint/no-floating-promises': 'error',
  '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
  '@typescript-eslint/await-thenable': 'error',
  '@typescript-eslint/require-await': 'error',
};

/** On top of recommendedTypeChecked (which has most of them already; named here so that they stay). */
const typeAwareRules = {
  ...promiseRules,
  '@typescript-eslint/switch-exhaustiveness-check': 'error',
  '@typescript-eslint/no-unnecessary-type-assertion': 'error',
  // `const { omitted, ...rest } = x` is how a field is left out of a copy.
  '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true }],
  // Y.Text turns into its text with toString() at run time, but yjs' declarations leave the method out.
  '@typescript-eslint/no-base-to-string': ['error', { ignoredTypeNames: ['Error', 'RegExp', 'URL', 'URLSearchParams', 'YText'] }],
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'data/**', '.parley-data/**', 'test-artifacts/**', 'bench/results/**'] },
  {
    files: ['libs/**/*.ts', 'apps/api/**/*.ts', 'test/**/*.ts', 'scripts/**/*.ts'],
    extends: [js.configs.recommended, ...tseslint.configs.recommendedTypeChecked],
    languageOptions: { globals: globals.node, parserOptions: typed(['./tsconfig.eslint.json']) },
    rules: typeAwareRules,
  },
  {
    // Tests read HTTP bodies (supertest types them `any`) and socket payloads and check their shape
    // with toEqual/toMatchObject at run time; typing every read would add casts, not safety.
    files: ['test/**/*.ts', '**/*.spec.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['apps/web/**/*.{ts,tsx,mts}'],
    extends: [js.configs.recommended, ...tseslint.configs.recommendedTypeChecked, jsxA11y.flatConfigs.strict],
    languageOptions: {
      globals: globals.browser,
      parserOptions: typed(['./apps/web/tsconfig.json', './apps/web/tsconfig.spec.json']),
    },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...typeAwareRules,
      // Labels here wrap their control (<label>text<input/></label>): the association is implicit.
      'jsx-a11y/label-has-associated-control': ['error', { assert: 'either', depth: 3 }],
    },
  },
  {
    // Plain JavaScript is all `any` to the type checker, so only the promise rules use its types.
    files: ['bench/**/*.js'],
    extends: [js.configs.recommended],
    languageOptions: {
      sourceType: 'commonjs',
      globals: globals.node,
      parser: tseslint.parser,
      parserOptions: typed(['./tsconfig.eslint.json']),
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: promiseRules,
  },
  {
    files: ['test/support/*.browser.js'],
    extends: [js.configs.recommended],
    languageOptions: { sourceType: 'script', globals: { ...globals.browser, io: 'readonly' } },
  },
  {
    files: ['*.js'],
    extends: [js.configs.recommended],
    languageOptions: { sourceType: 'commonjs', globals: globals.node },
  },
  {
    files: ['*.mjs'],
    extends: [js.configs.recommended],
    languageOptions: { globals: globals.node },
  },
);
