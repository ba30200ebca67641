import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['**/node_modules/**', '**/dist/**', 'coverage/**', 'reports/**', '.stryker/**', 'jest.*.js'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': ['error', { allow: ['error'] }],
      // Packages meet only through their entry points (src/public.ts of a service, src/index.ts of a
      // package): a service can then be moved or deleted without breaking another (docs/architecture.md §6).
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^@medcollab/[a-z-]+/',
              message: 'Import the package through its entry point (@medcollab/<name>), never its files.',
            },
            {
              regex: '^(\\.\\./)+(services|gateway|packages)/',
              message: 'Reach another package through its name (@medcollab/<name>), not a relative path.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['scripts/**', 'bench/**', 'gateway/src/compose.ts'],
    rules: { 'no-console': 'off' },
  },
);
