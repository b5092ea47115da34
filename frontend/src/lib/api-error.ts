// RFC 9457 problem details, as every TicketFlower service answers errors.

export type ProblemFieldError = {
  loc: Array<string | number>;
  msg: string;
  type: string;
  /** For a problem inside a piece of source (a custom layout): its 1-based line and column there. */
  line?: number;
  column?: number;
};

export type ProblemDetails = {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors: ProblemFieldError[];
};

/** Status used for failures where no HTTP answer arrived at all. */
export const NETWORK_ERROR_STATUS = 0;

export class ApiError extends Error {
  readonly problem: ProblemDetails;

  constructor(problem: ProblemDetails) {
    super(problem.detail ?? problem.title);
    this.name = 'ApiError';
    this.problem = problem;
  }

  get status(): number {
    return this.problem.status;
  }

  static network(): ApiError {
    return new ApiError({
      type: 'about:blank',
      title: 'Network error',
      status: NETWORK_ERROR_STATUS,
      detail: 'The server could not be reached. Check your connection and try again.',
      errors: [],
    });
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function toFieldErrors(value: unknown): ProblemFieldError[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry): ProblemFieldError[] => {
    if (!isRecord(entry) || typeof entry.msg !== 'string') return [];
    const loc = Array.isArray(entry.loc)
      ? entry.loc.filter((part): part is string | number => typeof part === 'string' || typeof part === 'number')
      : [];
    const found: ProblemFieldError = {
      loc,
      msg: entry.msg,
      type: typeof entry.type === 'string' ? entry.type : 'unknown',
    };
    if (typeof entry.line === 'number') found.line = entry.line;
    if (typeof entry.column === 'number') found.column = entry.column;
    return [found];
  });
}

/** Builds problem details from any error answer, whether or not its body is one. */
export function problemFromBody(status: number, statusText: string, body: unknown): ProblemDetails {
  const fallbackTitle = statusText || `Request failed with status ${status}`;
  if (!isRecord(body)) {
    return { type: 'about:blank', title: fallbackTitle, status, errors: [] };
  }
  return {
    type: typeof body.type === 'string' ? body.type : 'about:blank',
    title: typeof body.title === 'string' ? body.title : fallbackTitle,
    status: typeof body.status === 'number' ? body.status : status,
    detail: typeof body.detail === 'string' ? body.detail : undefined,
    instance: typeof body.instance === 'string' ? body.instance : undefined,
    errors: toFieldErrors(body.errors),
  };
}

const LOCATION_PREFIXES = new Set(['body', 'query', 'path', 'header', 'cookie']);

/**
 * `["body", "email"]` → `"email"`, `["body", "system_roles", 0]` → `"system_roles.0"`;
 * null when the error concerns the request as a whole.
 */
export function fieldNameFromLoc(loc: ReadonlyArray<string | number>): string | null {
  const parts = loc.length > 0 && LOCATION_PREFIXES.has(String(loc[0])) ? loc.slice(1) : loc;
  return parts.length > 0 ? parts.join('.') : null;
}

export type FormErrors<F extends string> = {
  fieldErrors: Partial<Record<F, string>>;
  formError: string | null;
};

export const UNEXPECTED_ERROR_MESSAGE = 'Something went wrong. Please try again.';

/**
 * Sorts an error into messages shown next to the form's own fields and one message for the
 * form as a whole (errors about fields the form does not show, or a problem without errors).
 */
export function formErrorsFrom<F extends string>(error: unknown, fields: readonly F[]): FormErrors<F> {
  if (!(error instanceof ApiError)) {
    return { fieldErrors: {}, formError: UNEXPECTED_ERROR_MESSAGE };
  }
  const known = new Set<string>(fields);
  const fieldErrors: Partial<Record<F, string>> = {};
  const unplaced: string[] = [];
  for (const entry of error.problem.errors) {
    const name = fieldNameFromLoc(entry.loc);
    const field = [name, name?.split('.')[0]].find((candidate) => candidate != null && known.has(candidate)) as
      F | undefined;
    if (field === undefined) {
      unplaced.push(entry.msg);
    } else if (fieldErrors[field] === undefined) {
      fieldErrors[field] = entry.msg;
    }
  }
  const placedAny = Object.keys(fieldErrors).length > 0;
  let formError: string | null = null;
  if (unplaced.length > 0) {
    formError = unplaced.join(' ');
  } else if (!placedAny) {
    formError = error.problem.detail ?? error.problem.title;
  }
  return { fieldErrors, formError };
}

/** A one-line message for errors shown outside a form (page loads, row actions). */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    const first = error.problem.errors[0];
    return error.problem.detail ?? first?.msg ?? error.problem.title;
  }
  return UNEXPECTED_ERROR_MESSAGE;
}
