import type { EventClickArg, EventInput, EventSourceFuncArg } from '@fullcalendar/core';
import dayGridPlugin from '@fullcalendar/daygrid';
import listPlugin from '@fullcalendar/list';
import FullCalendar from '@fullcalendar/react';
import timeGridPlugin from '@fullcalendar/timegrid';
import { useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router';

import { Alert } from '@/components/ui/alert';
import { Tabs } from '@/components/ui/tabs';
import { taskHref } from '@/config/paths';
import type { CalendarScope } from '@/features/tasks/api/calendar';
import { useCalendarTasks } from '@/features/tasks/hooks/use-calendar-tasks';
import { ACTIVE_TASK_STATUSES, type Task } from '@/features/tasks/types/tasks';
import { formatDateTime } from '@/lib/format';

import styles from './task-calendar.module.css';

const SCOPES = [
  { key: 'mine', label: 'My tasks' },
  { key: 'team', label: 'Everyone' },
] as const;

function isOpen(task: Task): boolean {
  return ACTIVE_TASK_STATUSES.includes(task.status);
}

// Overdue red, open indigo, done slate: blocks in the month and week views, dots in the agenda.
const COLOURS = { overdue: '#dc2626', open: '#4f46e5', done: '#94a3b8' } as const;

function eventOf(task: Task): EventInput {
  const colour = COLOURS[task.overdue ? 'overdue' : isOpen(task) ? 'open' : 'done'];
  return {
    id: task.id,
    title: `${task.ticket_number} ${task.name}`,
    start: task.due_at ?? undefined,
    allDay: false,
    backgroundColor: colour,
    borderColor: colour,
    textColor: '#ffffff',
    extendedProps: { task },
  };
}

type TaskCalendarProps = {
  /** Whether the user may see everyone's tasks (the ticket team). */
  team: boolean;
  /** Whether the user has tasks of their own (a task worker). */
  worker: boolean;
};

/** Upcoming and overdue FORM tasks by due date: month, week and agenda views. */
export function TaskCalendar({ team, worker }: TaskCalendarProps) {
  const [scope, setScope] = useState<CalendarScope>(worker ? 'mine' : 'team');
  const { tasks, error, load } = useCalendarTasks(scope);
  const navigate = useNavigate();

  // A new function would make FullCalendar fetch again on every render: one per scope.
  const events = useMemo(
    () => (info: EventSourceFuncArg, success: (found: EventInput[]) => void, failure: (error: Error) => void) => {
      load({ start: info.start, end: info.end }).then(
        (found) => success(found.filter((t) => t.due_at).map(eventOf)),
        (problem: unknown) => failure(problem instanceof Error ? problem : new Error(String(problem))),
      );
    },
    [load],
  );

  const overdue = useMemo(() => (tasks ?? []).filter((t) => t.overdue), [tasks]);

  const onEventClick = (click: EventClickArg) => {
    click.jsEvent.preventDefault();
    void navigate(taskHref(click.event.id));
  };

  return (
    <div className="flex flex-col gap-4">
      {team && worker && (
        <Tabs label="Whose tasks" tabs={SCOPES} selected={scope} onSelect={(next) => setScope(next)} />
      )}
      {error && <Alert tone="error">{error}</Alert>}
      <section aria-labelledby="overdue-heading" className="rounded-lg border border-red-200 bg-red-50 p-4">
        <h2 id="overdue-heading" className="text-sm font-semibold text-red-900">
          Overdue {tasks ? `(${overdue.length})` : ''}
        </h2>
        {tasks && overdue.length === 0 && <p className="mt-1 text-sm text-red-900/80">Nothing is late.</p>}
        {overdue.length > 0 && (
          <ul className="mt-2 flex flex-col gap-1 text-sm" data-testid="overdue-list">
            {overdue.map((task) => (
              <li key={task.id}>
                <Link to={taskHref(task.id)} className="font-medium text-red-800 hover:underline">
                  {task.name}
                </Link>{' '}
                <span className="text-red-900/80">
                  · {task.ticket_number} {task.ticket_title} · was due {formatDateTime(task.due_at)}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <div className={`${styles.calendar} rounded-lg border border-slate-200 bg-white p-3 shadow-sm`}>
        <FullCalendar
          key={scope}
          plugins={[dayGridPlugin, timeGridPlugin, listPlugin]}
          initialView="dayGridMonth"
          headerToolbar={{ left: 'prev,next today', center: 'title', right: 'dayGridMonth,timeGridWeek,listWeek' }}
          buttonText={{ today: 'Today', month: 'Month', week: 'Week', list: 'Agenda' }}
          events={events}
          eventClick={onEventClick}
          eventTimeFormat={{ hour: '2-digit', minute: '2-digit', hour12: false }}
          eventDisplay="block"
          nowIndicator
          height="auto"
          dayMaxEvents={4}
          noEventsContent="No tasks are due in these days."
        />
      </div>
      <p className="text-xs text-slate-500">
        <span className={`${styles.legend} ${styles.overdue}`} /> overdue ·{' '}
        <span className={`${styles.legend} ${styles.open}`} /> open ·{' '}
        <span className={`${styles.legend} ${styles.done}`} /> done
      </p>
    </div>
  );
}
