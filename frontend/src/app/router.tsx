import { Route, Routes } from 'react-router';

import { RedirectIfAuthenticated, RequireAccess, RequireAuth } from '@/app/guards';
import { AdminHomeRoute } from '@/app/routes/admin/admin-home';
import { CompanyRolesRoute } from '@/app/routes/admin/company-roles';
import { NewUserRoute } from '@/app/routes/admin/new-user';
import { UserRoute } from '@/app/routes/admin/user';
import { UsersRoute } from '@/app/routes/admin/users';
import { LoginRoute } from '@/app/routes/auth/login';
import { LogoutRoute } from '@/app/routes/auth/logout';
import { ResetPasswordRoute } from '@/app/routes/auth/reset-password';
import { SignupRoute } from '@/app/routes/auth/signup';
import { ComingSoonRoute } from '@/app/routes/coming-soon';
import { DashboardRoute } from '@/app/routes/dashboard';
import { NotFoundRoute } from '@/app/routes/not-found';
import { ProfileRoute } from '@/app/routes/profile';
import { AppLayout } from '@/components/layouts/app-layout';
import { LoadingState } from '@/components/ui/states';
import { NAVIGATION } from '@/config/navigation';
import { paths } from '@/config/paths';
import { useAuth } from '@/lib/auth';
import { ACCESS } from '@/lib/authorization';

// Sections of the navigation whose pages are not built yet answer with a placeholder,
// behind the same access rule as their link.
const PLANNED_SECTIONS = NAVIGATION.filter((item) => item.to !== paths.admin);

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
    <Routes>
      <Route element={<RedirectIfAuthenticated />}>
        <Route path={paths.login} element={<LoginRoute />} />
        <Route path={paths.signup} element={<SignupRoute />} />
      </Route>
      <Route path={paths.resetPassword} element={<ResetPasswordRoute />} />
      <Route path={paths.logout} element={<LogoutRoute />} />

      <Route element={<RequireAuth />}>
        <Route element={<AppLayout />}>
          <Route index element={<DashboardRoute />} />
          <Route path={paths.profile} element={<ProfileRoute />} />
          {PLANNED_SECTIONS.map((section) => (
            <Route
              key={section.to}
              path={section.to}
              element={
                <RequireAccess access={section.access}>
                  <ComingSoonRoute section={section} />
                </RequireAccess>
              }
            />
          ))}
          <Route element={<RequireAccess access={ACCESS.admin} />}>
            <Route path={paths.admin} element={<AdminHomeRoute />} />
            <Route path={paths.adminUsers} element={<UsersRoute />} />
            <Route path={paths.adminUserNew} element={<NewUserRoute />} />
            <Route path={paths.adminUser} element={<UserRoute />} />
            <Route path={paths.adminCompanyRoles} element={<CompanyRolesRoute />} />
          </Route>
        </Route>
      </Route>

      <Route path="*" element={<NotFoundRoute />} />
    </Routes>
  );
}
