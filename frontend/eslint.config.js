import { readdirSync } from 'node:fs';

import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const features = readdirSync(new URL('./src/features', import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

const RELATIVE_PARENT = {
  group: ['../*'],
  message: 'Use the absolute "@/..." import instead of a relative parent path.',
};

// Code flows one way: shared (components, config, hooks, lib, types) → features → app,
// and a feature never imports another feature; the app layer composes them.
const boundaries = [
  {
    files: ['src/{components,config,hooks,lib,types,testing}/**/*.{ts,tsx}'],
    ignores: ['**/*.test.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            RELATIVE_PARENT,
            { group: ['@/features/*', '@/app/*'], message: 'Shared code must not depend on features or the app.' },
          ],
        },
      ],
    },
  },
  ...features.map((feature) => ({
    files: [`src/features/${feature}/**/*.{ts,tsx}`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            RELATIVE_PARENT,
            {
              group: ['@/features/*', `!@/features/${feature}`],
              message: 'Features must not import each other; compose them in src/app.',
            },
            { group: ['@/app/*'], message: 'Features must not depend on the app layer.' },
          ],
        },
      ],
    },
  })),
];

export default tseslint.config(
  { ignores: ['dist', 'node_modules', 'src/types/api.gen.ts'] },
  ...tseslint.configs.recommended,
  reactHooks.configs.flat.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { patterns: [RELATIVE_PARENT] }],
    },
  },
  ...boundaries,
);
