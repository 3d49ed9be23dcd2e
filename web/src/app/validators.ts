// Client-side form rules that mirror the contracts' schemas (the server checks again).
import type { FormRule } from 'antd';
import { PASSWORD_RULE, password } from '@contracts/org.ts';

export const passwordRules: FormRule[] = [
  { required: true, message: '请输入密码' },
  {
    validator: async (_, v: string | undefined) => {
      if (v && !password.safeParse(v).success) throw new Error(PASSWORD_RULE);
    },
  },
];

export { PASSWORD_RULE };
