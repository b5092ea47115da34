import { Component, type ErrorInfo, type ReactNode } from 'react';

import { StatusPage } from '@/components/errors/status-page';
import { Button } from '@/components/ui/button';

type ErrorBoundaryState = { failed: boolean };

/** Last line of defence: a render error shows a way out instead of a blank page. */
export class ErrorBoundary extends Component<{ children: ReactNode }, ErrorBoundaryState> {
  override state: ErrorBoundaryState = { failed: false };

  static getDerivedStateFromError(): ErrorBoundaryState {
    return { failed: true };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error('Unhandled render error', error, info.componentStack);
  }

  override render() {
    if (!this.state.failed) return this.props.children;
    return (
      <main className="px-4">
        <StatusPage
          code="Error"
          title="Something went wrong"
          actions={<Button onClick={() => window.location.assign('/')}>Reload TicketFlower</Button>}
        >
          <p>An unexpected error stopped this page. Reloading usually helps.</p>
        </StatusPage>
      </main>
    );
  }
}
