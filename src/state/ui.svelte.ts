/**
 * What the page shows: the open view (tab) and presenter mode. Kept apart from the session so the
 * tour, the settings link and the views can all move between tabs the same way.
 */
export const VIEWS = ['findings', 'overview', 'predictions', 'quality', 'explain', 'fairness', 'drift', 'latency', 'scorecard'] as const;
export type View = (typeof VIEWS)[number];

export class UiState {
  view = $state<View>('overview');
  /** Larger type for presenting (and the tour's caption bar). */
  presenter = $state(false);

  show(view: View): void {
    this.view = view;
  }
}
