import { useState } from 'react';

import { Button } from '@/components/ui/button';
import { TextField } from '@/components/ui/text-field';

/** Text search of a task list, sent when submitted (the service matches every word as a prefix). */
export function TaskSearch({ value, onSearch }: { value: string; onSearch: (q: string) => void }) {
  const [text, setText] = useState(value);
  return (
    <form
      role="search"
      aria-label="Search tasks"
      className="flex flex-col gap-2 sm:flex-row sm:items-end"
      onSubmit={(event) => {
        event.preventDefault();
        onSearch(text.trim());
      }}
    >
      <div className="flex-1">
        <TextField
          label="Search tasks"
          name="q"
          type="search"
          placeholder="Task name, ticket number, title or data"
          value={text}
          onChange={setText}
        />
      </div>
      <Button type="submit" variant="secondary">
        Search
      </Button>
    </form>
  );
}
