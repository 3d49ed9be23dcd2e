import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { ConsoleApp } from './app/App.tsx';

dayjs.locale('zh-cn');

// Pages are loaded on demand; after an upgrade the chunk names of the old build are gone, and the
// open page would go blank on its next navigation. Load the new build instead, once per minute at
// most, so a chunk that is truly missing does not reload forever.
window.addEventListener('vite:preloadError', (event) => {
  const last = Number(sessionStorage.getItem('clearlane.reloadedAt') ?? 0);
  if (Date.now() - last < 60_000) return;
  event.preventDefault();
  sessionStorage.setItem('clearlane.reloadedAt', String(Date.now()));
  window.location.reload();
});

const root = document.getElementById('root');
if (!root) throw new Error('#root missing from index.html');

createRoot(root).render(
  <StrictMode>
    <ConfigProvider locale={zhCN} button={{ autoInsertSpace: false }} theme={{ token: { colorPrimary: '#1f4e99' } }}>
      <ConsoleApp />
    </ConfigProvider>
  </StrictMode>,
);
