/**
 * State of the Explanations view. Placeholder wired into the session, the app's tabs and the report; the
 * view's owner fills it in.
 */
import type { LoupeSession } from './session.svelte';

export class ExplainState {
  #session: LoupeSession;

  constructor(session: LoupeSession) {
    this.#session = session;
  }

  /** Whether the view has anything to show for what is loaded. */
  get applies(): boolean {
    return !!this.#session.model;
  }

  /** This view's section of the report JSON (documented in docs/report.md); null when empty. */
  report(): unknown {
    return null;
  }
}
