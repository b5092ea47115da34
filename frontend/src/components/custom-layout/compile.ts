import type { ComponentLayout } from '@/components/custom-layout/layout-kind';

export type CompileResult =
  { ok: true; code: string } | { ok: false; error: { message: string; line: number | null; column: number | null } };

/** What a layout may import; the sandbox's `require` knows these and nothing else. */
export const LAYOUT_MODULES = ['react', '@ticketflower/layout'] as const;

/**
 * Compiles a layout's TSX/JSX to a CommonJS-style function body with sucrase (types dropped,
 * JSX to `React.createElement`, imports to `require`). The sandbox runs the result; nothing
 * is evaluated here. Positions are 1-based, as an editor shows them.
 */
export async function compileLayout(layout: ComponentLayout): Promise<CompileResult> {
  // The compiler is loaded only where a custom layout is shown (it is a fifth of the app's size).
  const { transform } = await import('sucrase');
  const transforms: Array<'typescript' | 'jsx' | 'imports'> =
    layout.language === 'jsx' ? ['jsx', 'imports'] : ['typescript', 'jsx', 'imports'];
  try {
    const { code } = transform(layout.source, {
      transforms,
      production: true,
      jsxRuntime: 'classic',
      filePath: `layout.${layout.language ?? 'tsx'}`,
    });
    if (!/\bexports\.\s*default\s*=/.test(code)) {
      return { ok: false, error: { message: 'The layout has no default export.', line: null, column: null } };
    }
    return { ok: true, code };
  } catch (error) {
    const loc = (error as { loc?: { line?: number; column?: number } }).loc;
    const message = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      error: {
        message,
        line: typeof loc?.line === 'number' ? loc.line : null,
        column: typeof loc?.column === 'number' ? loc.column : null,
      },
    };
  }
}
