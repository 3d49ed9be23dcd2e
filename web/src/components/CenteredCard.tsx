import type { ReactNode } from 'react';
import { Card, Typography } from 'antd';
import { t } from '../locales/zh-CN.ts';

/** The login and forced password pages: one card in the middle of the screen. */
export function CenteredCard({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div style={{ minHeight: '100vh', boxSizing: 'border-box', display: 'grid', placeItems: 'center', background: '#f0f2f5', padding: 16 }}>
      {/* a grid item sized `width: 400` would widen its auto track past a phone's screen */}
      <div style={{ width: '100%', maxWidth: 400 }}>
        <Typography.Title level={3} style={{ textAlign: 'center', marginBottom: 24 }}>
          {t.appName}
        </Typography.Title>
        <Card title={title}>{children}</Card>
      </div>
    </div>
  );
}
