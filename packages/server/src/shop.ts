/**
 * The shop as its customers see it on the share page and their own screens (docs/deploy.md:
 * SHOP_NAME, SHOP_PHONE, SHOP_ADDRESS, SHOP_HOURS). Unset ones are left out, never shown empty.
 */
export interface Shop {
  name: string;
  phone?: string;
  address?: string;
  hours?: string;
}

const DEFAULT_NAME = 'The workshop';

function setting(env: NodeJS.ProcessEnv, name: string, max: number): string | undefined {
  const value = env[name]?.trim();
  if (!value) return undefined;
  if (value.length > max) throw new Error(`${name} must be at most ${max} characters`);
  return value;
}

export function shopSettings(env: NodeJS.ProcessEnv): Shop {
  const phone = setting(env, 'SHOP_PHONE', 40);
  const address = setting(env, 'SHOP_ADDRESS', 300);
  const hours = setting(env, 'SHOP_HOURS', 300);
  return {
    name: setting(env, 'SHOP_NAME', 100) ?? DEFAULT_NAME,
    ...(phone ? { phone } : {}),
    ...(address ? { address } : {}),
    ...(hours ? { hours } : {})
  };
}
