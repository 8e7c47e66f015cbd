import { useEffect } from 'react';

/** How often job-driven views (catalog jobs) ask again (ms). */
export const POLL_JOBS_MS = 2500;

/** Re-runs `reload` every POLL_JOBS_MS while the tab is visible (background jobs: not on the live stream). */
export function usePolling(reload: () => Promise<void>) {
  useEffect(() => {
    const id = window.setInterval(() => {
      if (document.visibilityState === 'visible') void reload();
    }, POLL_JOBS_MS);
    return () => window.clearInterval(id);
  }, [reload]);
}
