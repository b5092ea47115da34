import { useId, useReducer, useRef } from 'react';

import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { downloadAttachment, uploadAttachment } from '@/features/tickets/api/tickets';
import type { Attachment } from '@/features/tickets/types/tickets';
import { errorMessage } from '@/lib/api-error';
import { saveBlob } from '@/lib/download';
import { formatBytes, formatDateTime } from '@/lib/format';

type PanelState = { uploading: boolean; downloading: string | null; error: string | null; notice: string | null };
type PanelAction =
  | { type: 'uploadStarted' }
  | { type: 'uploaded'; filename: string }
  | { type: 'downloadStarted'; id: string }
  | { type: 'downloaded' }
  | { type: 'failed'; error: string };

function panelReducer(state: PanelState, action: PanelAction): PanelState {
  switch (action.type) {
    case 'uploadStarted':
      return { ...state, uploading: true, error: null, notice: null };
    case 'uploaded':
      return { ...state, uploading: false, notice: `${action.filename} was attached.` };
    case 'downloadStarted':
      return { ...state, downloading: action.id, error: null };
    case 'downloaded':
      return { ...state, downloading: null };
    case 'failed':
      return { ...state, uploading: false, downloading: null, error: action.error };
  }
}

type AttachmentsPanelProps = {
  ticketId: string;
  attachments: Attachment[];
  onUploaded: () => void;
};

export function AttachmentsPanel({ ticketId, attachments, onUploaded }: AttachmentsPanelProps) {
  const [state, dispatch] = useReducer(panelReducer, {
    uploading: false,
    downloading: null,
    error: null,
    notice: null,
  });
  const input = useRef<HTMLInputElement>(null);
  const inputId = useId();

  const upload = async () => {
    const file = input.current?.files?.[0];
    if (!file) {
      dispatch({ type: 'failed', error: 'Choose a file to attach.' });
      return;
    }
    dispatch({ type: 'uploadStarted' });
    try {
      await uploadAttachment(ticketId, file);
      if (input.current) input.current.value = '';
      dispatch({ type: 'uploaded', filename: file.name });
      onUploaded();
    } catch (error) {
      dispatch({ type: 'failed', error: errorMessage(error) });
    }
  };

  const download = async (attachment: Attachment) => {
    dispatch({ type: 'downloadStarted', id: attachment.id });
    try {
      saveBlob(await downloadAttachment(ticketId, attachment.id), attachment.filename);
      dispatch({ type: 'downloaded' });
    } catch (error) {
      dispatch({ type: 'failed', error: errorMessage(error) });
    }
  };

  return (
    <div className="flex flex-col gap-4">
      {attachments.length === 0 ? (
        <p className="text-sm text-slate-600">No attachments yet.</p>
      ) : (
        <ul className="divide-y divide-slate-100 rounded-md border border-slate-200">
          {attachments.map((attachment) => (
            <li key={attachment.id} className="flex flex-wrap items-center justify-between gap-2 px-3 py-2 text-sm">
              <span className="min-w-0 break-all">
                <span className="font-medium">{attachment.filename}</span>
                {attachment.version > 1 && <span className="text-slate-600"> (version {attachment.version})</span>}
                <span className="block text-xs text-slate-600">
                  {formatBytes(attachment.size_bytes)} · {formatDateTime(attachment.created_at)}
                </span>
              </span>
              <Button
                variant="secondary"
                size="small"
                loading={state.downloading === attachment.id}
                onClick={() => void download(attachment)}
                aria-label={`Download ${attachment.filename}`}
              >
                Download
              </Button>
            </li>
          ))}
        </ul>
      )}
      {/* Stacked: the card can be a narrow column, where a file input and a button side by
          side do not fit. */}
      <form
        className="flex min-w-0 flex-col items-start gap-2"
        onSubmit={(event) => {
          event.preventDefault();
          void upload();
        }}
      >
        <div className="flex w-full min-w-0 flex-col gap-1">
          <label htmlFor={inputId} className="text-sm font-semibold">
            Attach a file
          </label>
          <input id={inputId} ref={input} type="file" name="file" className="w-full min-w-0 max-w-full text-sm" />
        </div>
        <Button type="submit" variant="secondary" loading={state.uploading}>
          Upload
        </Button>
      </form>
      {state.error && <Alert tone="error">{state.error}</Alert>}
      {state.notice && <Alert tone="success">{state.notice}</Alert>}
    </div>
  );
}
