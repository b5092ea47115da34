/**
 * The contract between the app and a layout's sandboxed frame.
 *
 * The frame is an `<iframe sandbox="allow-scripts" srcdoc=...>` without `allow-same-origin`:
 * its origin is opaque, so it can reach neither the app's DOM, cookies, storage nor the access
 * token (kept in the app's memory), and its CSP allows no network at all. The two sides talk
 * only through `postMessage`; the app accepts a message only from that frame's window and
 * copies every value it receives as plain JSON before using it.
 */

export const CHANNEL = 'tf-layout';
/** A form value posted back larger than this is refused (a real form is a few kilobytes). */
export const MAX_VALUE_BYTES = 256 * 1024;
export const MAX_FRAME_HEIGHT = 4000;

export type LayoutMode = 'edit' | 'display';

/** Field messages for the kit: `{ laptop: ['must be equal to one of the allowed values'] }`. */
export type FieldErrors = Record<string, string[]>;

/** Everything a layout receives: the data it shows and the JSON Schema, nothing else. */
export type LayoutProps = {
  mode: LayoutMode;
  /** The JSON Schema of `value` (an edit layout's output schema, a display's data schema). */
  schema: Record<string, unknown>;
  /** The form value an edit layout edits, or the data a display layout shows. */
  value: Record<string, unknown>;
  /** Read-only data shown beside the form (a task's input); a display layout's data again. */
  data: Record<string, unknown>;
  /** A little about what is shown (a workflow's path and status), only plain values. */
  context: Record<string, unknown>;
  errors: FieldErrors;
  disabled: boolean;
};

export type ToFrame =
  | { channel: typeof CHANNEL; type: 'render'; nonce: string; code: string; props: LayoutProps }
  | { channel: typeof CHANNEL; type: 'update'; nonce: string; props: LayoutProps };

/**
 * What the frame may say. There is no "submit": only the app's own button, outside the frame,
 * sends a form, so a layout cannot complete a task or submit a ticket by itself.
 */
export type FromFrame =
  | { type: 'ready' }
  | { type: 'rendered'; nonce: string }
  | { type: 'change'; nonce: string; value: Record<string, unknown> }
  | { type: 'error'; nonce: string; message: string }
  | { type: 'resize'; nonce: string; height: number };

/** A value as plain JSON (no functions, prototypes or cycles), or null when it is not one. */
export function plainJsonObject(value: unknown, maxBytes = MAX_VALUE_BYTES): Record<string, unknown> | null {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    return null;
  }
  if (text === undefined || text.length > maxBytes) return null;
  const copy: unknown = JSON.parse(text);
  return copy && typeof copy === 'object' && !Array.isArray(copy) ? (copy as Record<string, unknown>) : null;
}

function text(value: unknown, max: number): string {
  return typeof value === 'string' ? value.slice(0, max) : '';
}

/**
 * The frame's message, or null when it is not one to act on: from another window (another
 * frame, an extension, the app itself), of another render (`nonce`), or malformed.
 */
export function readFrameMessage(
  event: Pick<MessageEvent, 'data' | 'source'>,
  frame: unknown,
  nonce: string,
): FromFrame | null {
  if (!frame || event.source !== frame) return null;
  const data = event.data as Record<string, unknown> | null;
  if (!data || typeof data !== 'object' || data.channel !== CHANNEL) return null;
  if (data.type === 'ready') return { type: 'ready' };
  if (data.nonce !== nonce) return null;
  switch (data.type) {
    case 'rendered':
      return { type: 'rendered', nonce };
    case 'change': {
      const value = plainJsonObject(data.value);
      return value
        ? { type: 'change', nonce, value }
        : { type: 'error', nonce, message: 'The layout posted a value that is not a JSON object.' };
    }
    case 'error':
      return { type: 'error', nonce, message: text(data.message, 2000) || 'The layout failed.' };
    case 'resize': {
      const height = Number(data.height);
      if (!Number.isFinite(height)) return null;
      return { type: 'resize', nonce, height: Math.min(Math.max(Math.ceil(height), 0), MAX_FRAME_HEIGHT) };
    }
    default:
      return null;
  }
}

/**
 * The frame's Content Security Policy: the bundled runtime script and the layout's own code
 * (evaluated, or as a blob the frame makes, whichever the app page's inherited policy allows)
 * may run; nothing may be fetched, framed, submitted or navigated to a base. Styles come as
 * constructed style sheets.
 */
export function sandboxPolicy(runtimeUrl: string): string {
  return [
    "default-src 'none'",
    `script-src ${runtimeUrl} 'unsafe-eval' blob:`,
    "style-src 'unsafe-inline'",
    'img-src data:',
    'font-src data:',
    "connect-src 'none'",
    "frame-src 'none'",
    "worker-src 'none'",
    "media-src 'none'",
    "object-src 'none'",
    "manifest-src 'none'",
    "form-action 'none'",
    "base-uri 'none'",
  ].join('; ');
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/** The frame's whole document, for `srcdoc`: the policy, a root, and the runtime script. */
export function sandboxDocument(runtimeUrl: string): string {
  const url = escapeAttribute(runtimeUrl);
  return [
    '<!doctype html><html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(sandboxPolicy(runtimeUrl))}">`,
    '<meta name="referrer" content="no-referrer">',
    `</head><body><div id="root"></div><script src="${url}"></script></body></html>`,
  ].join('');
}

/** A fresh per-render token, so a late message of an earlier render is ignored. */
export function newNonce(): string {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
