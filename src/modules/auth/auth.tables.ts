import type { Generated } from 'kysely';

/** Tables the auth module owns (migrations/0001_org.sql). */
export type AuthTables = {
  sessions: {
    token_hash: string;
    public_id: string;
    account_id: number;
    csrf_token: string;
    ip: string;
    user_agent: string;
    created_at: Date;
    last_seen_at: Date;
    expires_at: Date;
    ended_at: Date | null;
    end_reason: string | null;
  };
  login_log: {
    id: Generated<number>;
    at: Generated<Date>;
    username: string;
    account_id: number | null;
    ip: string;
    user_agent: string;
    result: 'success' | 'failure';
    reason: string;
  };
  api_tokens: {
    id: Generated<number>;
    name: string;
    prefix: string;
    secret_hash: string;
    permissions: string[];
    created_by: number;
    created_at: Generated<Date>;
    expires_at: Date;
    revoked_at: Date | null;
    last_used_at: Date | null;
    use_count: Generated<number>;
  };
};
