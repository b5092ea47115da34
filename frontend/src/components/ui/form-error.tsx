import { Alert } from '@/components/ui/alert';

/** The message for a form as a whole; focusable so a refused submit can move focus to it. */
export function FormError({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <div tabIndex={-1} data-form-error="" className="outline-none">
      <Alert tone="error">{message}</Alert>
    </div>
  );
}
