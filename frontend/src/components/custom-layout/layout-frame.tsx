import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';

import {
  CHANNEL,
  newNonce,
  readFrameMessage,
  sandboxDocument,
  type LayoutProps,
  type ToFrame,
} from '@/components/custom-layout/bridge';
import { compileLayout, type CompileResult } from '@/components/custom-layout/compile';
import type { ComponentLayout } from '@/components/custom-layout/layout-kind';
import { sandboxRuntimeUrl } from '@/components/custom-layout/runtime-url';

/** A layout that has not drawn itself by then is taken as broken. */
export const RENDER_TIMEOUT_MS = 8000;

export type LayoutFailure = { message: string; line: number | null; column: number | null };

type LayoutFrameProps = {
  layout: ComponentLayout;
  props: LayoutProps;
  title: string;
  onChange?: (value: Record<string, unknown>) => void;
  onFailure: (failure: LayoutFailure) => void;
  onRendered?: () => void;
};

/**
 * Runs a component layout in a sandboxed frame. Compiled here, drawn there: the frame gets
 * the code and the props by postMessage, and what it posts back is accepted only from its own
 * window, for this render, as plain JSON.
 */
export function LayoutFrame({ layout, props, title, onChange, onFailure, onRendered }: LayoutFrameProps) {
  const frame = useRef<HTMLIFrameElement>(null);
  const [height, setHeight] = useState(120);
  const [compiled, setCompiled] = useState<CompileResult | null>(null);
  const nonce = useMemo(() => newNonce(), []);
  const srcDoc = useMemo(() => sandboxDocument(sandboxRuntimeUrl()), []);
  const latest = useRef({ props, onChange, onFailure, onRendered });
  useLayoutEffect(() => {
    latest.current = { props, onChange, onFailure, onRendered };
  });
  const state = useRef({ started: false, rendered: false, failed: false, loads: 0 });

  useEffect(() => {
    let current = true;
    void compileLayout(layout).then((result) => {
      if (!current) return;
      setCompiled(result);
      if (!result.ok) latest.current.onFailure(result.error);
    });
    return () => {
      current = false;
    };
  }, [layout]);

  useEffect(() => {
    if (!compiled?.ok) return;
    const code = compiled.code;
    const status = state.current;
    const fail = (message: string) => {
      if (status.failed) return;
      status.failed = true;
      latest.current.onFailure({ message, line: null, column: null });
    };
    const send = (message: ToFrame) => frame.current?.contentWindow?.postMessage(message, '*');
    const onMessage = (event: MessageEvent) => {
      const message = readFrameMessage(event, frame.current?.contentWindow, nonce);
      if (!message || status.failed) return;
      switch (message.type) {
        case 'ready':
          if (status.started) return;
          status.started = true;
          send({ channel: CHANNEL, type: 'render', nonce, code, props: latest.current.props });
          break;
        case 'rendered':
          status.rendered = true;
          latest.current.onRendered?.();
          break;
        case 'resize':
          setHeight(Math.max(message.height, 40));
          break;
        case 'change':
          latest.current.onChange?.(message.value);
          break;
        case 'error':
          fail(message.message);
          break;
      }
    };
    window.addEventListener('message', onMessage);
    const timer = window.setTimeout(() => {
      if (!status.rendered) fail('The layout did not show within a few seconds.');
    }, RENDER_TIMEOUT_MS);
    return () => {
      window.removeEventListener('message', onMessage);
      window.clearTimeout(timer);
    };
  }, [compiled, nonce]);

  useEffect(() => {
    if (!state.current.started || state.current.failed) return;
    frame.current?.contentWindow?.postMessage(
      { channel: CHANNEL, type: 'update', nonce, props } satisfies ToFrame,
      '*',
    );
  }, [props, nonce]);

  if (!compiled?.ok) return <p className="text-sm text-slate-600">Loading the layout…</p>;
  return (
    <iframe
      ref={frame}
      title={title}
      // Scripts run, but in an opaque origin: no same-origin access, no forms, popups or
      // navigation of the app; the srcdoc's CSP allows no network.
      sandbox="allow-scripts"
      srcDoc={srcDoc}
      referrerPolicy="no-referrer"
      data-testid="layout-frame"
      onLoad={() => {
        // A srcdoc frame loads once; a second load means the layout navigated it away.
        state.current.loads += 1;
        if (state.current.loads > 1 && !state.current.failed) {
          state.current.failed = true;
          latest.current.onFailure({ message: 'The layout tried to leave its frame.', line: null, column: null });
        }
      }}
      style={{ height, width: '100%', border: 0, display: 'block' }}
    />
  );
}
