// 登记设备 / 修改设备 in a drawer: location, owning unit, allowed codes, each document the device's
// lawfulness rests on (reviews, announcement, signage, verification), and the document the change
// itself rests on (every change is ledgered with it). The server's per-field errors land on the fields.
import { Alert, Button, DatePicker, Divider, Drawer, Form, Input, InputNumber, Select, Space, Switch, Typography, type FormInstance } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { DEVICE_STATUSES, DEVICE_TYPES, DEVICE_TYPE_RULES, type Device, type DeviceType } from '@contracts/devices.ts';
import { useFormSave } from '../../api/forms.ts';
import { ApiError } from '../../api/client.ts';
import { UnitTreeSelect } from '../../components/UnitTreeSelect.tsx';
import { t } from '../../locales/zh-CN.ts';
import { devicesApi, type DeviceCreateBody, type DeviceUpdateBody } from './api.ts';
import { beijingToday, typeRequirements } from './labels.ts';

/** null: closed; 'new': register; a device: edit */
export type DeviceFormTarget = 'new' | Device | null;

interface ReviewValues {
  on: boolean;
  date?: Dayjs;
  documentNo?: string;
  reviewer?: string;
}

interface Values {
  id: string;
  type: DeviceType;
  owningUnitId: number;
  location: { road: string; direction?: string; km?: number | null; lat?: number | null; lon?: number | null; description?: string };
  allowedCodes: string[];
  legalReview: ReviewValues;
  technicalReview: ReviewValues;
  announcement: { on: boolean; date?: Dayjs; channel?: string; url?: string };
  signage: { present: boolean; distanceM?: number | null };
  verification: { on: boolean; certificateNo?: string; validFrom?: Dayjs; validTo?: Dayjs };
  policeOperated: boolean;
  status: { status: keyof typeof DEVICE_STATUSES; from: Dayjs; reason: string; documentNo: string };
  basis: { documentNo: string; note?: string };
}

const typeOptions = Object.entries(DEVICE_TYPES).map(([value, label]) => ({ value, label }));
const DAY = 'YYYY-MM-DD';
const day = (d: Dayjs | undefined) => d!.format(DAY);
const blank = (v: string | undefined | null) => (v?.trim() ? v.trim() : undefined);
const num = (v: number | null | undefined) => (v === null || v === undefined ? undefined : v);
const required = (message: string) => [{ required: true, whitespace: true, message }];

export type DeviceFormBody = ReturnType<typeof toBody>;

function toBody(v: Values) {
  const review = (r: ReviewValues) => (r.on ? { date: day(r.date), documentNo: r.documentNo!.trim(), reviewer: r.reviewer!.trim() } : null);
  return {
    type: v.type,
    owningUnitId: v.owningUnitId,
    location: {
      road: v.location.road.trim(),
      direction: blank(v.location.direction),
      km: num(v.location.km),
      lat: num(v.location.lat),
      lon: num(v.location.lon),
      description: blank(v.location.description),
    },
    allowedCodes: v.allowedCodes.map((c) => c.trim().toUpperCase()).filter(Boolean),
    legalReview: review(v.legalReview),
    technicalReview: review(v.technicalReview),
    announcement: v.announcement.on ? { date: day(v.announcement.date), channel: v.announcement.channel!.trim(), url: blank(v.announcement.url) } : null,
    signage: v.signage.present ? { present: true, distanceM: num(v.signage.distanceM) } : { present: false },
    verification: v.verification.on
      ? { certificateNo: v.verification.certificateNo!.trim(), validFrom: day(v.verification.validFrom), validTo: day(v.verification.validTo) }
      : null,
    policeOperated: v.policeOperated,
    basis: { documentNo: v.basis.documentNo.trim(), note: blank(v.basis.note) },
  };
}

function initialValues(d: Device | null): Partial<Values> {
  const date = (v: string | undefined) => (v ? dayjs(v) : undefined);
  if (!d) {
    return {
      type: 'redLight',
      allowedCodes: [],
      legalReview: { on: false },
      technicalReview: { on: false },
      announcement: { on: false },
      signage: { present: false },
      verification: { on: false },
      policeOperated: false,
      status: { status: 'active', from: dayjs(beijingToday()), reason: '新设备启用', documentNo: '' },
    };
  }
  return {
    id: d.id,
    type: d.type,
    owningUnitId: d.owningUnitId,
    location: { ...d.location },
    allowedCodes: d.allowedCodes,
    legalReview: d.legalReview ? { on: true, ...d.legalReview, date: date(d.legalReview.date) } : { on: false },
    technicalReview: d.technicalReview ? { on: true, ...d.technicalReview, date: date(d.technicalReview.date) } : { on: false },
    announcement: d.announcement ? { on: true, ...d.announcement, date: date(d.announcement.date) } : { on: false },
    signage: { present: d.signage.present, distanceM: d.signage.distanceM },
    verification: d.verification
      ? { on: true, certificateNo: d.verification.certificateNo, validFrom: date(d.verification.validFrom), validTo: date(d.verification.validTo) }
      : { on: false },
    policeOperated: d.policeOperated,
  };
}

/** JSON with object keys sorted (the server's jsonb does not keep key order) and absent keys dropped. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1))) : v,
  );
}

/** The PATCH body: only the fields the form changed (absent = unchanged), plus the basis. */
export function changedOnly(before: Device, body: DeviceFormBody): DeviceUpdateBody {
  const { basis, ...fields } = body;
  const out: Record<string, unknown> = { basis };
  for (const [key, value] of Object.entries(fields)) {
    if (canonical(value) !== canonical(before[key as keyof Device] ?? null)) out[key] = value;
  }
  return out as DeviceUpdateBody;
}

/** The server's `legalReview.date` on the form's ['legalReview', 'date'], or the nearest field above it. */
export function applyNestedErrors(form: FormInstance, err: ApiError): number {
  const known = new Set(form.getFieldsError().map((f) => f.name.join('.')));
  const byField = new Map<string, string[]>();
  for (const detail of err.details) {
    const parts = detail.path.split(/[./[\]]/).filter((p) => p && p !== 'body' && p !== 'query');
    while (parts.length && !known.has(parts.join('.'))) parts.pop();
    if (!parts.length) continue;
    const key = parts.join('.');
    byField.set(key, [...(byField.get(key) ?? []), detail.message]);
  }
  form.setFields([...byField].map(([name, errors]) => ({ name: name.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)), errors })));
  return byField.size;
}

function DocumentToggle({ name, label }: { name: string; label: string }) {
  return (
    <Form.Item name={[name, 'on']} label={label} valuePropName="checked" style={{ marginBottom: 8 }}>
      <Switch checkedChildren="已具备" unCheckedChildren="未具备" />
    </Form.Item>
  );
}

function ReviewFields({ name, what }: { name: 'legalReview' | 'technicalReview'; what: string }) {
  return (
    <Form.Item noStyle shouldUpdate={(a: Values, b: Values) => a[name]?.on !== b[name]?.on}>
      {({ getFieldValue }) =>
        getFieldValue([name, 'on']) && (
          <Space wrap align="start">
            <Form.Item name={[name, 'date']} label={`${what}日期`} rules={[{ required: true, message: `请选择${what}日期` }]}>
              <DatePicker />
            </Form.Item>
            <Form.Item name={[name, 'documentNo']} label="审核文号" rules={required('请填写审核文号')}>
              <Input maxLength={100} style={{ width: 200 }} />
            </Form.Item>
            <Form.Item name={[name, 'reviewer']} label="审核人" rules={required('请填写审核人')}>
              <Input maxLength={50} style={{ width: 140 }} />
            </Form.Item>
          </Space>
        )
      }
    </Form.Item>
  );
}

interface Props {
  target: DeviceFormTarget;
  onClose: () => void;
  onSaved: (d: Device) => void;
}

/**
 * One form instance per opening (keyed by the device): a form kept between openings would carry the
 * last device's values into the next, since antd applies initial values only once per instance.
 */
export function DeviceForm({ target, onClose, onSaved }: Props) {
  if (target === null) return null;
  return <DeviceFormDrawer key={target === 'new' ? 'new' : `${target.id}:${target.revision}`} target={target} onClose={onClose} onSaved={onSaved} />;
}

function DeviceFormDrawer({ target, onClose, onSaved }: Props) {
  const [form] = Form.useForm<Values>();
  const editing = target !== null && target !== 'new' ? target : null;
  const type = Form.useWatch('type', form);

  const save = async (v: Values) => {
    const body = toBody(v);
    try {
      if (editing) return await devicesApi.update(editing.id, changedOnly(editing, body) satisfies DeviceUpdateBody);
      const create: DeviceCreateBody = {
        ...body,
        id: v.id.trim(),
        status: { status: v.status.status, from: day(v.status.from), reason: v.status.reason.trim(), documentNo: v.status.documentNo.trim() },
      };
      return await devicesApi.create(create);
    } catch (e) {
      if (e instanceof ApiError) applyNestedErrors(form, e);
      throw e;
    }
  };
  const { saving, onFinish } = useFormSave(form, save, onSaved);
  const rules = type ? DEVICE_TYPE_RULES[type] : null;

  return (
    <Drawer
      title={editing ? `修改设备：${editing.id}` : '登记设备'}
      open={target !== null}
      onClose={onClose}
      size="min(720px, 100vw)"
      destroyOnHidden
      footer={
        <Space style={{ float: 'right' }}>
          <Button onClick={onClose}>{t.cancel}</Button>
          <Button type="primary" loading={saving} onClick={() => form.submit()}>
            {t.save}
          </Button>
        </Space>
      }
    >
      <Form form={form} name="device" layout="vertical" onFinish={onFinish} preserve={false} initialValues={initialValues(editing)} scrollToFirstError>
        <Space wrap align="start">
          <Form.Item
            name="id"
            label="设备编号"
            extra={editing ? '设备编号登记后不可修改' : '字母、数字、-、_ 和 .'}
            rules={[...required('请填写设备编号'), { pattern: /^[0-9A-Za-z_.-]+$/, message: '设备编号只能包含字母、数字、-、_ 和 .' }]}
          >
            <Input maxLength={40} disabled={!!editing} style={{ width: 200 }} />
          </Form.Item>
          <Form.Item name="type" label="设备类型" rules={[{ required: true, message: '请选择设备类型' }]}>
            <Select options={typeOptions} style={{ width: 220 }} />
          </Form.Item>
        </Space>
        {type && (
          <Alert type="info" showIcon style={{ marginBottom: 16 }} title={`${DEVICE_TYPES[type]}须具备：${typeRequirements(type).join('、')}`} />
        )}
        <Form.Item name="owningUnitId" label="管理单位" rules={[{ required: true, message: '请选择管理单位' }]}>
          <UnitTreeSelect style={{ width: '100%' }} />
        </Form.Item>
        <Divider titlePlacement="start">设置地点</Divider>
        <Space wrap align="start">
          <Form.Item name={['location', 'road']} label="道路" rules={required('请填写道路')}>
            <Input maxLength={100} style={{ width: 200 }} />
          </Form.Item>
          <Form.Item name={['location', 'direction']} label="方向">
            <Input maxLength={30} style={{ width: 120 }} placeholder="如 东向西" />
          </Form.Item>
          <Form.Item name={['location', 'km']} label="公里桩">
            <InputNumber min={0} max={10000} step={0.1} style={{ width: 110 }} />
          </Form.Item>
          <Form.Item name={['location', 'lat']} label="纬度">
            <InputNumber min={-90} max={90} step={0.000001} style={{ width: 130 }} />
          </Form.Item>
          <Form.Item name={['location', 'lon']} label="经度">
            <InputNumber min={-180} max={180} step={0.000001} style={{ width: 130 }} />
          </Form.Item>
        </Space>
        <Form.Item name={['location', 'description']} label="地点描述">
          <Input maxLength={200} placeholder="如 中山路与解放路交叉口北侧" />
        </Form.Item>
        <Form.Item
          name="allowedCodes"
          label="准许抓拍的违法代码"
          extra="输入代码后回车，可填多个"
          rules={[{ required: true, type: 'array', min: 1, message: '至少填写一个准许抓拍的违法代码' }]}
        >
          <Select mode="tags" tokenSeparators={[',', '，', ' ', '、']} open={false} suffixIcon={null} />
        </Form.Item>

        <Divider titlePlacement="start">合法性依据</Divider>
        <DocumentToggle name="legalReview" label="法制审核" />
        <ReviewFields name="legalReview" what="法制审核" />
        <DocumentToggle name="technicalReview" label="技术审核" />
        <ReviewFields name="technicalReview" what="技术审核" />
        <DocumentToggle name="announcement" label={rules?.fixed === false ? '向社会公布（本类型可不公布地点）' : '向社会公布设置地点'} />
        <Form.Item noStyle shouldUpdate={(a: Values, b: Values) => a.announcement?.on !== b.announcement?.on}>
          {({ getFieldValue }) =>
            getFieldValue(['announcement', 'on']) && (
              <Space wrap align="start">
                <Form.Item name={['announcement', 'date']} label="公告日期" rules={[{ required: true, message: '请选择公告日期' }]}>
                  <DatePicker />
                </Form.Item>
                <Form.Item name={['announcement', 'channel']} label="公告渠道" rules={required('请填写公告渠道')}>
                  <Input maxLength={100} style={{ width: 180 }} placeholder="如 市公安局官网" />
                </Form.Item>
                <Form.Item name={['announcement', 'url']} label="公告链接" rules={[{ type: 'url', message: '公告链接应为网址' }]}>
                  <Input maxLength={500} style={{ width: 240 }} />
                </Form.Item>
              </Space>
            )
          }
        </Form.Item>
        <Space wrap align="start">
          <Form.Item name={['signage', 'present']} label="警示标志" valuePropName="checked">
            <Switch checkedChildren="已设置" unCheckedChildren="未设置" />
          </Form.Item>
          <Form.Item noStyle shouldUpdate={(a: Values, b: Values) => a.signage?.present !== b.signage?.present}>
            {({ getFieldValue }) =>
              getFieldValue(['signage', 'present']) && (
                <Form.Item name={['signage', 'distanceM']} label="距设备（米）">
                  <InputNumber min={0} max={5000} precision={0} style={{ width: 120 }} />
                </Form.Item>
              )
            }
          </Form.Item>
          <Form.Item name="policeOperated" label="由民警操作" valuePropName="checked">
            <Switch checkedChildren="是" unCheckedChildren="否" />
          </Form.Item>
        </Space>
        <DocumentToggle name="verification" label={rules?.verification ? '计量检定（本类型必须）' : '计量检定'} />
        <Form.Item noStyle shouldUpdate={(a: Values, b: Values) => a.verification?.on !== b.verification?.on}>
          {({ getFieldValue }) =>
            getFieldValue(['verification', 'on']) && (
              <Space wrap align="start">
                <Form.Item
                  name={['verification', 'certificateNo']}
                  label="检定证书编号"
                  extra={editing?.verification ? '填写新的证书编号时，原证书自动转为历史证书' : undefined}
                  rules={required('请填写检定证书编号')}
                >
                  <Input maxLength={100} style={{ width: 200 }} />
                </Form.Item>
                <Form.Item name={['verification', 'validFrom']} label="有效期起" rules={[{ required: true, message: '请选择有效期起' }]}>
                  <DatePicker />
                </Form.Item>
                <Form.Item
                  name={['verification', 'validTo']}
                  label="有效期止"
                  dependencies={[['verification', 'validFrom']]}
                  rules={[
                    { required: true, message: '请选择有效期止' },
                    ({ getFieldValue }) => ({
                      validator: (_, v: Dayjs | undefined) => {
                        const from = getFieldValue(['verification', 'validFrom']) as Dayjs | undefined;
                        return v && from && v.isBefore(from, 'day') ? Promise.reject(new Error('有效期止不能早于有效期起')) : Promise.resolve();
                      },
                    }),
                  ]}
                >
                  <DatePicker />
                </Form.Item>
              </Space>
            )
          }
        </Form.Item>

        {!editing && (
          <>
            <Divider titlePlacement="start">初始状态</Divider>
            <Space wrap align="start">
              <Form.Item name={['status', 'status']} label="状态" rules={[{ required: true, message: '请选择状态' }]}>
                <Select options={Object.entries(DEVICE_STATUSES).map(([value, label]) => ({ value, label }))} style={{ width: 100 }} />
              </Form.Item>
              <Form.Item name={['status', 'from']} label="生效日期" rules={[{ required: true, message: '请选择生效日期' }]}>
                <DatePicker />
              </Form.Item>
              <Form.Item name={['status', 'reason']} label="原因" rules={required('请填写原因')}>
                <Input maxLength={500} style={{ width: 160 }} />
              </Form.Item>
              <Form.Item name={['status', 'documentNo']} label="依据文号" rules={required('请填写依据文号')}>
                <Input maxLength={100} style={{ width: 180 }} />
              </Form.Item>
            </Space>
          </>
        )}

        <Divider titlePlacement="start">变更依据</Divider>
        <Typography.Paragraph type="secondary" style={{ marginTop: 0 }}>
          每次登记或修改都连同所依据的文书记入审计账本。
        </Typography.Paragraph>
        <Space wrap align="start">
          <Form.Item name={['basis', 'documentNo']} label="变更依据文号" rules={required('请填写变更依据文号')}>
            <Input maxLength={100} style={{ width: 220 }} />
          </Form.Item>
          <Form.Item name={['basis', 'note']} label="说明">
            <Input maxLength={500} style={{ width: 280 }} />
          </Form.Item>
        </Space>
      </Form>
    </Drawer>
  );
}
