import { Suspense, lazy, useEffect } from 'react';
import { App as AntApp, Spin } from 'antd';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { configureClient } from '../api/client.ts';
import ChangePasswordPage from '../pages/change-password/index.tsx';
import LoginPage from '../pages/login/index.tsx';
import { AuthProvider } from './auth.tsx';
import { Home, NotFound, RequirePermission, RequireSession } from './guards.tsx';
import { ConsoleLayout } from './Layout.tsx';
import { PAGES, REDIRECTS } from './pages.tsx';

/** The public device list (L1 Art.16): outside the login guard, loaded only when opened. */
const PublicDevicesPage = lazy(() => import('../pages/public-devices/index.tsx'));

/** Lets the API client show errors with antd's themed message. */
function ErrorBridge() {
  const { message } = AntApp.useApp();
  useEffect(() => configureClient({ notifyError: (text) => void message.error(text) }), [message]);
  return null;
}

export function ConsoleApp() {
  return (
    <AntApp>
      <ErrorBridge />
      <BrowserRouter>
        <AuthProvider>
          <Routes>
            <Route path="/login" element={<LoginPage />} />
            <Route path="/change-password" element={<ChangePasswordPage />} />
            <Route
              path="/public/devices"
              element={
                <Suspense fallback={<Spin size="large" fullscreen />}>
                  <PublicDevicesPage />
                </Suspense>
              }
            />
            <Route
              element={
                <RequireSession>
                  <ConsoleLayout />
                </RequireSession>
              }
            >
              <Route index element={<Home />} />
              {PAGES.map(({ path, view, Component }) => (
                <Route
                  key={path}
                  path={path}
                  element={
                    <RequirePermission permission={view}>
                      <Component />
                    </RequirePermission>
                  }
                />
              ))}
              {REDIRECTS.map(({ from, to }) => (
                <Route key={from} path={from} element={<Navigate to={to} replace />} />
              ))}
              <Route path="*" element={<NotFound />} />
            </Route>
          </Routes>
        </AuthProvider>
      </BrowserRouter>
    </AntApp>
  );
}
