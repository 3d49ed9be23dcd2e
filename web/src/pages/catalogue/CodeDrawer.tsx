// One code in one version: every effective period, side by side.
import { useEffect, useState } from 'react';
import { Descriptions, Drawer, Spin, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { CATALOGUE_CATEGORIES, type CatalogueCodeDetail } from '@contracts/catalogue.ts';
import { catalogueApi } from './api.ts';
import { fineText, versionLabel, warningTag } from './columns.tsx';

/** the console runs in Beijing time, like the brigade */
const inForceToday = (p: { effectiveFrom: string; effectiveTo: string | null }) => {
  const today = dayjs().format('YYYY-MM-DD');
  return p.effectiveFrom <= today && (p.effectiveTo === null || today < p.effectiveTo);
};

export function CodeDrawer({ target, onClose }: { target: { code: string; version?: number } | null; onClose: () => void }) {
  const [detail, setDetail] = useState<CatalogueCodeDetail | null>(null);

  useEffect(() => {
    if (!target) return;
    let live = true;
    setDetail(null);
    catalogueApi
      .code(target.code, target.version)
      .then((d) => live && setDetail(d))
      .catch(() => undefined); // the client has shown the error
    return () => {
      live = false;
    };
  }, [target]);

  return (
    <Drawer title={target ? `违法代码 ${target.code}` : ''} open={target !== null} onClose={onClose} size={560} destroyOnHidden>
      {!detail && <Spin />}
      {detail && (
        <>
          <Typography.Paragraph type="secondary">
            {versionLabel(detail.version)}；共 {detail.periods.length} 个有效期
          </Typography.Paragraph>
          {detail.periods.map((p) => (
            <Descriptions
              key={p.effectiveFrom}
              bordered
              size="small"
              column={1}
              style={{ marginBottom: 16 }}
              title={
                <>
                  {p.effectiveFrom} 至 {p.effectiveTo ?? '长期'}
                  {inForceToday(p) && <Tag color="blue" style={{ marginLeft: 8 }}>现行</Tag>}
                </>
              }
              items={[
                { key: 'description', label: '违法行为', children: p.description },
                { key: 'basis', label: '法律依据', children: p.basis },
                { key: 'fine', label: '罚款（元）', children: `${fineText(p)}，默认 ${p.fineDefault}` },
                { key: 'points', label: '记分', children: p.points },
                { key: 'category', label: '类别', children: CATALOGUE_CATEGORIES[p.category] },
                { key: 'warning', label: '首违警告', children: warningTag(p.warningEligible) },
                { key: 'window', label: '连续违法时长', children: p.continuingWindowMinutes === null ? '按规则参数默认值' : `${p.continuingWindowMinutes} 分钟` },
              ]}
            />
          ))}
        </>
      )}
    </Drawer>
  );
}
