/** State of a panel's one-at-a-time actions: which runs, and what came of the last one. */
export type ActionState = { running: string | null; error: string | null; notice: string | null };

export type ActionEvent =
  | { type: 'started'; action: string }
  | { type: 'succeeded'; notice: string | null }
  | { type: 'failed'; error: string };

export const idle: ActionState = { running: null, error: null, notice: null };

export function actionReducer(state: ActionState, event: ActionEvent): ActionState {
  switch (event.type) {
    case 'started':
      return { running: event.action, error: null, notice: null };
    case 'succeeded':
      return { running: null, error: null, notice: event.notice };
    case 'failed':
      return { ...state, running: null, error: event.error };
  }
}
