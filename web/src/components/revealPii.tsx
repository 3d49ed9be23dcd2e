// Showing full personal data: the user confirms first (the read is ledgered), then sees the values
// with the reminder that this view was recorded. One flow for every page that unmasks.
import { Descriptions, type DescriptionsProps } from 'antd';
import type { useAppProps } from 'antd/es/app/context';
import { t } from '../locales/zh-CN.ts';

export function revealPii<T>(
  modal: useAppProps['modal'],
  opts: { confirmTitle: string; title: string; load: () => Promise<T>; items: (data: T) => DescriptionsProps['items'] },
) {
  modal.confirm({
    title: opts.confirmTitle,
    content: t.piiNotice,
    okText: '确认查看',
    cancelText: t.cancel,
    onOk: async () => {
      const data = await opts.load();
      modal.info({
        title: opts.title,
        okText: t.close,
        content: (
          <>
            <Descriptions column={1} size="small" items={opts.items(data)} />
            <p style={{ color: '#8c8c8c', marginTop: 8 }}>{t.piiRecorded}</p>
          </>
        ),
      });
    },
  });
}
