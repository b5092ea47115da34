import { describe, expect, it } from 'vitest';

import { initialSubmitTicketState, submitTicketReducer } from '@/features/tickets/hooks/submit-ticket-reducer';

describe('submitTicketReducer', () => {
  const chosen = submitTicketReducer(initialSubmitTicketState, { type: 'typeSelected', key: 'it_onboarding' });

  it('starts over with the fields of a newly picked type, keeping the title', () => {
    const typed = submitTicketReducer(submitTicketReducer(chosen, { type: 'titleChanged', title: 'New hire' }), {
      type: 'dataChanged',
      ticketData: { employee_name: 'Grace' },
    });
    const switched = submitTicketReducer(typed, { type: 'typeSelected', key: 'hr_leave' });
    expect(switched).toMatchObject({ selectedKey: 'hr_leave', title: 'New hire', ticketData: {} });
    expect(submitTicketReducer(typed, { type: 'typeSelected', key: 'it_onboarding' })).toBe(typed);
  });

  it('clears earlier findings when submitted and shows the new ones when refused', () => {
    const submitting = submitTicketReducer({ ...chosen, formError: 'old', titleError: 'old' }, { type: 'submitted' });
    expect(submitting).toMatchObject({ submitting: true, formError: null, titleError: null, serverErrors: null });

    const refused = submitTicketReducer(submitting, {
      type: 'rejected',
      titleError: 'a title is required',
      serverErrors: { employee_name: { __errors: ['too short'] } },
      formError: null,
    });
    expect(refused).toMatchObject({
      submitting: false,
      titleError: 'a title is required',
      serverErrors: { employee_name: { __errors: ['too short'] } },
    });
  });

  it('dismisses the title error once the title is edited', () => {
    const refused = { ...chosen, titleError: 'a title is required' };
    expect(submitTicketReducer(refused, { type: 'titleChanged', title: 'x' }).titleError).toBeNull();
  });
});
