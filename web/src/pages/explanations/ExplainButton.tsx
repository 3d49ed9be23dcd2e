// On a look-up alert's detail (告警): 发起说明核查 for the person it names, or — while a request for
// the alert is still open — a link to that request, since an alert has one open request at a time.
import { useCallback, useState } from 'react';
import { Button } from 'antd';
import { QuestionCircleOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router';
import type { AlertDetail } from '@contracts/alerts.ts';
import { EXPLANATION_STATUSES } from '@contracts/lookups.ts';
import { useLoad } from '../records/useLoad.ts';
import { explanationsApi } from './api.ts';
import { RequestModal, type ExplanationTarget } from './RequestModal.tsx';

export function ExplainButton({ alert, onCreated }: { alert: Pick<AlertDetail, 'id' | 'subjectLabel'>; onCreated: () => void }) {
  const navigate = useNavigate();
  const [target, setTarget] = useState<ExplanationTarget | null>(null);
  const load = useCallback(() => explanationsApi.list({ alertId: alert.id, page: 1, pageSize: 20 }), [alert.id]);
  const requests = useLoad(load);
  const open = requests.data?.items.find((e) => e.status === 'requested' || e.status === 'answered');

  if (open) {
    return (
      <Button icon={<QuestionCircleOutlined />} onClick={() => navigate(`/lookups/explanations?id=${open.id}`)}>
        说明核查 #{open.id}（{EXPLANATION_STATUSES[open.status]}）
      </Button>
    );
  }
  return (
    <>
      <Button icon={<QuestionCircleOutlined />} disabled={requests.data === undefined && !requests.error} onClick={() => setTarget({ alertId: alert.id, who: alert.subjectLabel })}>
        发起说明核查
      </Button>
      <RequestModal
        target={target}
        onClose={(created) => {
          setTarget(null);
          if (created) {
            requests.reload();
            onCreated();
          }
        }}
      />
    </>
  );
}
