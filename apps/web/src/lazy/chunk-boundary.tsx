import { Component, type ReactNode } from 'react';
import { useI18n } from '../i18n/i18n';

/**
 * What stands in for a part of the page whose code did not arrive (a dropped connection on a slow
 * link, a new build replacing the old one): it says so, the rest of the page (chat, shuttle, text)
 * goes on, and *Try again* fetches the code again.
 */
export function ChunkFailed({ testId, onRetry }: { testId: string; onRetry: () => void }) {
  const { t } = useI18n();
  return (
    <section className="card" data-testid={testId} data-chunk="failed">
      <p className="notice" role="alert">
        {t('app.partFailed')}
      </p>
      <button type="button" data-testid="chunk-retry" onClick={onRetry}>
        {t('app.tryAgain')}
      </button>
    </section>
  );
}

/**
 * Catches a lazy part's failure to load, so that it does not take the whole page down with it (React
 * unmounts the root on an uncaught error: a blank page). `onRetry` must give the part a fresh lazy
 * component (a rejected one stays rejected); the boundary then renders its children again.
 */
export class ChunkBoundary extends Component<{ testId: string; onRetry: () => void; children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override componentDidCatch(error: unknown): void {
    console.warn('a part of the page did not load', error);
  }

  private readonly retry = () => {
    this.props.onRetry();
    this.setState({ failed: false });
  };

  override render(): ReactNode {
    if (this.state.failed) return <ChunkFailed testId={this.props.testId} onRetry={this.retry} />;
    return this.props.children;
  }
}
