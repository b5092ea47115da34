import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import { LoginForm } from '@/features/auth/components/login-form';
import { accessTokenStore } from '@/lib/token-store';
import { makeSession, makeUser } from '@/testing/data';
import { createFakeServer, jsonResponse, problemResponse } from '@/testing/fake-server';
import { renderWithProviders } from '@/testing/render';

async function fillAndSubmit(email: string, password: string) {
  const user = userEvent.setup();
  await user.type(await screen.findByLabelText(/^email/i), email);
  await user.type(screen.getByLabelText(/^password/i), password);
  await user.click(screen.getByRole('button', { name: 'Sign in' }));
}

describe('LoginForm', () => {
  it('shows the field errors of a problem body next to the fields they concern', async () => {
    const server = createFakeServer().on(
      'POST',
      '/api/identity/login',
      problemResponse(422, 'Unprocessable Content', {
        errors: [{ loc: ['body', 'email'], msg: 'value is not a valid email address', type: 'value_error' }],
      }),
    );
    renderWithProviders(<LoginForm />, { server });

    await fillAndSubmit('ada@nowhere', 'correct horse');

    const email = screen.getByLabelText(/^email/i);
    const message = await screen.findByText('value is not a valid email address');
    expect(email).toHaveAttribute('aria-invalid', 'true');
    expect(email).toHaveAccessibleDescription('value is not a valid email address');
    expect(email.getAttribute('aria-describedby')).toContain(message.id);
    expect(email).toHaveFocus();
    expect(screen.getByLabelText(/^password/i)).not.toHaveAttribute('aria-invalid');
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('shows wrong credentials as a message for the whole form, without trying to refresh', async () => {
    const server = createFakeServer().on(
      'POST',
      '/api/identity/login',
      problemResponse(401, 'Unauthorized', { detail: 'Incorrect email or password.' }),
    );
    renderWithProviders(<LoginForm />, { server });

    await fillAndSubmit('ada@acme.test', 'wrong');

    expect(await screen.findByRole('alert')).toHaveTextContent('Incorrect email or password.');
    // No start-up restore (nobody signed in in this browser), and a failed login must not
    // trigger a token refresh either.
    expect(server.requestsTo('POST', '/api/identity/refresh')).toHaveLength(0);
  });

  it('checks required fields before sending anything', async () => {
    const server = createFakeServer();
    renderWithProviders(<LoginForm />, { server });

    await userEvent.setup().click(await screen.findByRole('button', { name: 'Sign in' }));

    expect(await screen.findByText('Email is required.')).toBeInTheDocument();
    expect(screen.getByText('Password is required.')).toBeInTheDocument();
    expect(screen.getByLabelText(/^email/i)).toHaveFocus();
    expect(server.requestsTo('POST', '/api/identity/login')).toHaveLength(0);
  });

  it('signs in with the entered credentials and keeps the access token in memory', async () => {
    const session = makeSession(makeUser({ email: 'ada@acme.test' }), 'fresh-token');
    const server = createFakeServer().on('POST', '/api/identity/login', jsonResponse(200, session));
    renderWithProviders(<LoginForm />, { server });

    await fillAndSubmit(' ada@acme.test ', 's3cret');

    await waitFor(() => expect(accessTokenStore.get()).toBe('fresh-token'));
    expect(server.requestsTo('POST', '/api/identity/login')[0]?.body).toEqual({
      email: 'ada@acme.test',
      password: 's3cret',
    });
    // Storage holds only the marker that a session exists, never a token.
    expect(Object.entries(window.localStorage)).toEqual([['tf.session', '1']]);
  });
});
