import { lazy, Suspense, type ComponentType } from 'react';
import { Navigate, Route, Routes } from 'react-router';

import { RedirectIfAuthenticated, RequireAccess, RequireAuth } from '@/app/guards';
import { AdminHomeRoute } from '@/app/routes/admin/admin-home';
import { AssignmentRulesRoute } from '@/app/routes/admin/assignment-rules';
import { CompanyRoute } from '@/app/routes/admin/company';
import { CompanyRolesRoute } from '@/app/routes/admin/company-roles';
import { NewUserRoute } from '@/app/routes/admin/new-user';
import { UserRoute } from '@/app/routes/admin/user';
import { UsersRoute } from '@/app/routes/admin/users';
import { LoginRoute } from '@/app/routes/auth/login';
import { LogoutRoute } from '@/app/routes/auth/logout';
import { ResetPasswordRoute } from '@/app/routes/auth/reset-password';
import { SignupRoute } from '@/app/routes/auth/signup';
import { IntegrationsRoute } from '@/app/routes/admin/integrations';
import { DashboardRoute } from '@/app/routes/dashboard';
import { NotFoundRoute } from '@/app/routes/not-found';
import { NotificationsRoute } from '@/app/routes/notifications';
import { OperatorCompanyRoute, OperatorConsoleRoute, OperatorLoginRoute } from '@/app/routes/operator/operator';
import { ProfileRoute } from '@/app/routes/profile';
import { ReportsRoute } from '@/app/routes/reports';
import { SearchRoute } from '@/app/routes/search';
import { AssignmentQueueRoute } from '@/app/routes/tasks/assignment-queue';
import { MyTasksRoute } from '@/app/routes/tasks/my-tasks';
import { TaskRoute } from '@/app/routes/tasks/task';
import { TeamTasksRoute } from '@/app/routes/tasks/team-tasks';
import { MyTicketsRoute } from '@/app/routes/tickets/my-tickets';
import { SubmitTicketRoute } from '@/app/routes/tickets/submit-ticket';
import { TeamTicketsRoute } from '@/app/routes/tickets/team-tickets';
import { TicketRoute } from '@/app/routes/tickets/ticket';
import { AppLayout } from '@/components/layouts/app-layout';
import { LoadingState } from '@/components/ui/states';
import { paths } from '@/config/paths';
import { NotificationBell } from '@/features/notifications/components/notification-bell';
import { OperatorArea } from '@/features/operator/components/operator-area';
import { useAuth } from '@/lib/auth';
import { ACCESS } from '@/lib/authorization';

/** A route component loaded on first visit: the designer pages bring the graph, YAML and JSONata libraries. */
function lazyRoute<K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) {
  return lazy(() => load().then((module) => ({ default: module[name] })));
}

const DefinitionsRoute = lazyRoute(() => import('@/app/routes/definitions/definitions'), 'DefinitionsRoute');
const TicketTypeRoute = lazyRoute(() => import('@/app/routes/definitions/ticket-type'), 'TicketTypeRoute');
const UploadBundleRoute = lazyRoute(() => import('@/app/routes/definitions/upload'), 'UploadBundleRoute');
const WorkflowRoute = lazyRoute(() => import('@/app/routes/definitions/workflow'), 'WorkflowRoute');
const TaskDefinitionRoute = lazyRoute(() => import('@/app/routes/definitions/task-definition'), 'TaskDefinitionRoute');
const ImportBundleRoute = lazyRoute(() => import('@/app/routes/definitions/import'), 'ImportBundleRoute');
const InstanceRoute = lazyRoute(() => import('@/app/routes/instances/instance'), 'InstanceRoute');
// The calendar brings FullCalendar.
const CalendarRoute = lazyRoute(() => import('@/app/routes/calendar'), 'CalendarRoute');

export function AppRoutes() {
  const { state } = useAuth();

  if (state.status === 'restoring') {
    return (
      <main className="flex min-h-screen items-center justify-center">
        <LoadingState label="Loading TicketFlower…" />
      </main>
    );
  }

  return (
    <Suspense fallback={<LoadingState label="Loading…" />}>
      <Routes>
        <Route element={<RedirectIfAuthenticated />}>
          <Route path={paths.login} element={<LoginRoute />} />
          <Route path={paths.signup} element={<SignupRoute />} />
        </Route>
        <Route path={paths.resetPassword} element={<ResetPasswordRoute />} />
        <Route path={paths.logout} element={<LogoutRoute />} />
        {/* The platform operators: their own session, whether or not a company user is signed in. */}
        <Route element={<OperatorArea />}>
          <Route path={paths.operatorLogin} element={<OperatorLoginRoute />} />
          <Route path={paths.operator} element={<OperatorConsoleRoute />} />
          <Route path={paths.operatorCompany} element={<OperatorCompanyRoute />} />
        </Route>

        <Route element={<RequireAuth />}>
          <Route element={<AppLayout headerAction={<NotificationBell />} />}>
            <Route index element={<DashboardRoute />} />
            <Route path={paths.profile} element={<ProfileRoute />} />
            <Route path={paths.notifications} element={<NotificationsRoute />} />
            <Route path={paths.search} element={<SearchRoute />} />
            <Route path={paths.myTickets} element={<MyTicketsRoute />} />
            <Route path={paths.submitTicket} element={<SubmitTicketRoute />} />
            {/* The submitter and the ticket team see a ticket; the service answers 404 to anyone else. */}
            <Route path={paths.ticket} element={<TicketRoute />} />
            <Route path={paths.task} element={<TaskRoute />} />
            <Route element={<RequireAccess access={ACCESS.tickets} />}>
              <Route path={paths.tickets} element={<TeamTicketsRoute />} />
              <Route path={paths.instance} element={<InstanceRoute />} />
            </Route>
            <Route element={<RequireAccess access={ACCESS.tasks} />}>
              <Route path={paths.tasks} element={<TeamTasksRoute />} />
              <Route path={paths.assignmentQueue} element={<AssignmentQueueRoute />} />
            </Route>
            <Route element={<RequireAccess access={ACCESS.calendar} />}>
              <Route path={paths.calendar} element={<CalendarRoute />} />
            </Route>
            <Route element={<RequireAccess access={ACCESS.reports} />}>
              <Route path={paths.reports} element={<ReportsRoute />} />
            </Route>
            <Route element={<RequireAccess access={ACCESS.myTasks} />}>
              <Route path={paths.myTasks} element={<MyTasksRoute />} />
            </Route>
            <Route element={<RequireAccess access={ACCESS.definitions} />}>
              <Route path={paths.definitions} element={<DefinitionsRoute />} />
              <Route path={paths.definitionsUpload} element={<UploadBundleRoute />} />
              <Route path={paths.definitionsImport} element={<ImportBundleRoute />} />
              <Route path={paths.taskDefinition} element={<TaskDefinitionRoute />} />
              <Route path={paths.workflow} element={<WorkflowRoute />} />
              <Route path={paths.ticketType} element={<TicketTypeRoute />} />
            </Route>
            <Route element={<RequireAccess access={ACCESS.admin} />}>
              <Route path={paths.admin} element={<AdminHomeRoute />} />
              <Route path={paths.adminCompany} element={<CompanyRoute />} />
              <Route path={paths.adminUsers} element={<UsersRoute />} />
              <Route path={paths.adminUserNew} element={<NewUserRoute />} />
              <Route path={paths.adminUser} element={<UserRoute />} />
              <Route path={paths.adminCompanyRoles} element={<CompanyRolesRoute />} />
              <Route path={paths.adminIntegrations} element={<IntegrationsRoute />} />
              <Route path={paths.adminAssignment} element={<AssignmentRulesRoute />} />
              {/* The metrics page became the reports page. */}
              <Route path="/admin/metrics" element={<Navigate to={paths.reports} replace />} />
            </Route>
          </Route>
        </Route>

        <Route path="*" element={<NotFoundRoute />} />
      </Routes>
    </Suspense>
  );
}
