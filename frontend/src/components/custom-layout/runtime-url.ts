// The sandbox runtime, bundled by Vite into one classic script with React and the kit inside
// (`?worker&url` builds a self-contained asset and gives its URL; nothing is fetched elsewhere).
import runtimeUrl from '@/components/custom-layout/runtime/main.tsx?worker&url';

/** The runtime's absolute URL: the frame's CSP names exactly this script. */
export function sandboxRuntimeUrl(): string {
  return new URL(runtimeUrl, window.location.href).href;
}
