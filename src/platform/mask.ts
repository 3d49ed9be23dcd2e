// Masks for personal data shown in lists. The full value is only returned by endpoints that
// ledger the read.

export function maskPhone(phone: string | null): string | null {
  if (!phone) return phone;
  return phone.length >= 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****';
}

export function maskIdNumber(id: string | null): string | null {
  if (!id) return id;
  return id.length > 8 ? `${id.slice(0, 4)}**********${id.slice(-4)}` : '****';
}

export function maskName(name: string | null): string | null {
  if (!name) return name;
  const chars = [...name];
  return chars.length <= 1 ? '*' : `${chars[0]}${'*'.repeat(chars.length - 1)}`;
}
