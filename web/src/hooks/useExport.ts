import { useState } from 'react';
import { App } from 'antd';
import { t } from '../locales/zh-CN.ts';

/** An export button's click handler and spinner; failures are shown by the API client. */
export function useExport(run: () => Promise<void>): { exporting: boolean; exportFile: () => void } {
  const { message } = App.useApp();
  const [exporting, setExporting] = useState(false);
  const exportFile = () => {
    setExporting(true);
    run()
      .then(() => void message.success(t.exported))
      .catch(() => undefined)
      .finally(() => setExporting(false));
  };
  return { exporting, exportFile };
}
