/**
 * A definition's `edit_layout` / `display_layout` is one of two kinds: declarative sections
 * (`{ sections: [...] }`, drawn by the app's own form) or React component source written by the
 * company's designers (`{ source, language }`), run in a sandboxed frame.
 */
export type ComponentLayout = { source: string; language?: 'tsx' | 'jsx' };

export function componentLayout(layout: unknown): ComponentLayout | null {
  if (!layout || typeof layout !== 'object' || Array.isArray(layout)) return null;
  const { source, language } = layout as Record<string, unknown>;
  if (typeof source !== 'string') return null;
  return { source, language: language === 'jsx' ? 'jsx' : 'tsx' };
}
