// The sandboxed frame's runtime: React, the component kit and the bridge to the app. It is
// bundled as one classic script (a `?worker&url` asset) and loaded by the frame's srcdoc; the
// layout's compiled code arrives by postMessage and runs inside the frame.
import * as React from 'react';
import { Component, type ErrorInfo, type ReactNode } from 'react';
import { createRoot, type Root } from 'react-dom/client';

import { CHANNEL, type LayoutProps } from '@/components/custom-layout/bridge';
import * as kit from '@/components/custom-layout/runtime/kit';
import css from '@/components/custom-layout/runtime/kit.css?inline';

type Factory = (
  require: (name: string) => unknown,
  exports: Record<string, unknown>,
  module: { exports: Record<string, unknown> },
  react: typeof React,
) => void;

declare global {
  interface Window {
    __tfLayoutDefine?: (factory: Factory) => void;
  }
}

const sheet = new CSSStyleSheet();
sheet.replaceSync(css);
document.adoptedStyleSheets = [sheet];

let nonce = '';
let root: Root | null = null;
let layout: React.ComponentType<kit.LayoutApi> | null = null;
let props: LayoutProps | null = null;
let value: Record<string, unknown> = {};
let failed = false;

function post(message: Record<string, unknown>) {
  window.parent.postMessage({ channel: CHANNEL, nonce, ...message }, '*');
}

function fail(error: unknown) {
  if (failed) return;
  failed = true;
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  post({ type: 'error', message });
}

window.addEventListener('error', (event) => fail(event.error ?? event.message));
window.addEventListener('unhandledrejection', (event) => fail(event.reason));

class Boundary extends Component<{ children: ReactNode }, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };
  static getDerivedStateFromError(error: Error) {
    return { error };
  }
  override componentDidCatch(error: Error, _info: ErrorInfo) {
    fail(error);
  }
  override render() {
    return this.state.error ? <pre className="tf-failure">{String(this.state.error)}</pre> : this.props.children;
  }
}

function modules(name: string): unknown {
  if (name === 'react') return React;
  if (name === '@ticketflower/layout') return kit;
  throw new Error(`A layout cannot import ${JSON.stringify(name)}.`);
}

function setValues(next: Record<string, unknown>) {
  value = next;
  post({ type: 'change', value });
  draw();
}

function setValue(name: string, field: unknown) {
  const next = { ...value };
  if (field === undefined) delete next[name];
  else next[name] = field;
  setValues(next);
}

function draw() {
  if (!root || !layout || !props) return;
  const api: kit.LayoutApi = {
    ...props,
    schema: props.schema as kit.LayoutApi['schema'],
    value,
    setValue,
    setValues,
  };
  const Layout = layout;
  root.render(
    <Boundary>
      <kit.LayoutContext.Provider value={api}>
        <div className="tf-layout">
          <Layout {...api} />
        </div>
      </kit.LayoutContext.Provider>
    </Boundary>,
  );
}

function component(factory: Factory): React.ComponentType<kit.LayoutApi> {
  const module = { exports: {} as Record<string, unknown> };
  factory(modules, module.exports, module, React);
  const exported = module.exports.default;
  if (typeof exported !== 'function' && (typeof exported !== 'object' || exported === null)) {
    throw new Error('The layout has no default export of a component.');
  }
  return exported as React.ComponentType<kit.LayoutApi>;
}

/**
 * Runs the compiled layout. The frame inherits the app page's policy, so this takes whichever
 * of the two ways that policy allows: `new Function` ('unsafe-eval', which the app's own form
 * validator needs too) or a blob script (`blob:`).
 */
function load(code: string): Promise<React.ComponentType<kit.LayoutApi>> {
  try {
    // The layout's code runs here by design: this frame is its sandbox.
    const factory = new Function('require', 'exports', 'module', 'React', code) as Factory;
    return Promise.resolve().then(() => component(factory));
  } catch (error) {
    if (!(error instanceof EvalError)) return Promise.reject(error);
  }
  return new Promise((resolve, reject) => {
    window.__tfLayoutDefine = (factory) => {
      window.__tfLayoutDefine = undefined;
      try {
        resolve(component(factory));
      } catch (error) {
        reject(error);
      }
    };
    // The wrapper shares the first line with the code so the line numbers of errors match.
    const blob = new Blob([`window.__tfLayoutDefine(function (require, exports, module, React) {${code}\n});`], {
      type: 'text/javascript',
    });
    const script = document.createElement('script');
    script.src = URL.createObjectURL(blob);
    script.onerror = () => reject(new Error('The layout code could not be loaded.'));
    document.head.appendChild(script);
  });
}

window.addEventListener('message', (event: MessageEvent) => {
  // Only the app that made this frame speaks to it.
  if (event.source !== window.parent) return;
  const message = event.data as { channel?: string; type?: string; nonce?: string; code?: string; props?: LayoutProps };
  if (!message || message.channel !== CHANNEL || !message.props) return;
  if (message.type === 'render' && typeof message.code === 'string' && !layout) {
    nonce = String(message.nonce ?? '');
    props = message.props;
    value = { ...message.props.value };
    load(message.code).then(
      (component) => {
        layout = component;
        root = createRoot(document.getElementById('root') as HTMLElement);
        draw();
        requestAnimationFrame(() => {
          if (!failed) post({ type: 'rendered' });
        });
      },
      (error: unknown) => fail(error),
    );
  } else if (message.type === 'update' && message.nonce === nonce) {
    // An edit layout's value stays the frame's own after the first render: an update carries
    // errors, the disabled flag and the data, never an older copy of what the user is typing.
    if (message.props.mode === 'display') value = { ...message.props.value };
    props = { ...message.props, value };
    draw();
  }
});

new ResizeObserver(() => post({ type: 'resize', height: document.body.scrollHeight + 8 })).observe(document.body);

window.parent.postMessage({ channel: CHANNEL, type: 'ready' }, '*');
