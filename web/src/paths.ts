/** The address of a chain's page: `chainPath(id, 'orders')` → /chains/<id>/orders. */
export const chainPath = (chainId: string, path: string) => `/chains/${chainId}/${path}`;
