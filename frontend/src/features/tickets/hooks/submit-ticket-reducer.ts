import type { ErrorTree } from '@/lib/error-schema';

export type SubmitTicketState = {
  selectedKey: string | null;
  title: string;
  ticketData: Record<string, unknown>;
  titleError: string | null;
  serverErrors: ErrorTree | null;
  formError: string | null;
  submitting: boolean;
};

export type SubmitTicketAction =
  | { type: 'typeSelected'; key: string }
  | { type: 'titleChanged'; title: string }
  | { type: 'dataChanged'; ticketData: Record<string, unknown> }
  | { type: 'submitted' }
  | { type: 'rejected'; titleError: string | null; serverErrors: ErrorTree | null; formError: string | null };

export const initialSubmitTicketState: SubmitTicketState = {
  selectedKey: null,
  title: '',
  ticketData: {},
  titleError: null,
  serverErrors: null,
  formError: null,
  submitting: false,
};

export function submitTicketReducer(state: SubmitTicketState, action: SubmitTicketAction): SubmitTicketState {
  switch (action.type) {
    case 'typeSelected':
      if (action.key === state.selectedKey) return state;
      // Another type has other fields: what was typed for the previous one does not carry over.
      return { ...initialSubmitTicketState, selectedKey: action.key, title: state.title };
    case 'titleChanged':
      return { ...state, title: action.title, titleError: null };
    case 'dataChanged':
      // The server's findings stay until the next submit; the form's own checks run live.
      return { ...state, ticketData: action.ticketData };
    case 'submitted':
      return { ...state, submitting: true, titleError: null, serverErrors: null, formError: null };
    case 'rejected':
      return {
        ...state,
        submitting: false,
        titleError: action.titleError,
        serverErrors: action.serverErrors,
        formError: action.formError,
      };
  }
}
