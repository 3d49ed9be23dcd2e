import type { z } from 'zod';
import type { publicDeviceList } from '@contracts/devices.ts';
import { api } from '../../api/client.ts';

export type PublicDeviceList = z.infer<typeof publicDeviceList>;

export const publicDevicesApi = {
  /** no session needed; errors are shown in the page */
  list: () => api.get<PublicDeviceList>('/api/public/devices', undefined, { silent: true, allow401: true }),
};
