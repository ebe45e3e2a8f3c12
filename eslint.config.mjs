// The house style, checked: typescript-eslint's type-aware recommended rules over src/, test/ and
// bench/, plain ESLint over the build and test scripts, and the two-layer rule (the engine never
// imports vscode, nor the editor or CLI layers). Formatting is Prettier's (.prettierrc.json), not ESLint's.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'dist/**',
      'node_modules/**',
      '.vscode-e2e/**',
      'test-results/**',
      '.cache/**',
      '.chaincode/**',
      // A copy of fabric-samples' chaincode and New Project's templates: code for users' projects, in their style.
      'examples/**',
      'src/engine/scaffold/templates/**',
      '**/node_modules/**',
    ],
  },
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // node:test's test()/describe() return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] }] },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      // An async method that implements a Promise-returning interface without awaiting anything still
      // turns a throw into a rejection; dropping `async` to please this rule would change that.
      '@typescript-eslint/require-await': 'off',
      // Decoded wire values (a header type, a tag byte) are numbers compared with the enum that names
      // them: a peer can send any number, so typing the field as the enum would lie.
      '@typescript-eslint/no-unsafe-enum-comparison': 'off',
      // `_name` marks a parameter an interface requires and this implementation does not use.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // Tests read what they check straight from JSON.parse and from untyped oracles (fabric-protos'
    // google-protobuf classes): a missing field fails the assertion that reads it, which is the check.
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      // They also load modules at a chosen moment (the activation probe times a require; a stand-in
      // must answer `require('vscode')` first) and reach plain JavaScript (scripts/package.js).
      '@typescript-eslint/no-require-imports': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // The engine is the lower layer: the CLI and the tests use it without VS Code.
    files: ['src/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'The engine never imports vscode: emit an event and let src/vscode adapt it.' }],
          patterns: [{ group: ['**/vscode/*', '**/cli/*'], message: 'The engine never imports the editor or CLI layers.' }],
        },
      ],
    },
  },
  {
    files: ['**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: {
      'no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // Browser-side code of the UI check runs in the page (playwright's evaluate).
    files: ['scripts/e2e/**/*.js'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
);
